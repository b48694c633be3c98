from django.urls import path, re_path

from . import opendata, views

app_name = "sites"
urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("terrains/<slug:slug>/", views.plot_detail, name="plot"),
    path("parcs/<slug:slug>/", views.park_detail, name="park"),
    path(
        "organisations/<slug:slug>/",
        views.organisation_detail,
        name="organisation",
    ),
    path("opendata/", opendata.page, name="opendata"),
    re_path(
        r"^opendata/(?P<name>zae-sites|zae-terrains)\.(?P<fmt>geojson|csv)$",
        opendata.dataset,
        name="opendata-file",
    ),
]
