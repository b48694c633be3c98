from django.urls import path

from . import views

app_name = "sites"
urlpatterns = [
    path("recherche/", views.search, name="search"),
    path(
        "recherche/suggestions/<slug:kind>/",
        views.search_suggestions,
        name="search-suggestions",
    ),
    path("comparer/", views.compare, name="compare"),
    path("terrains/<slug:slug>/", views.plot_detail, name="plot"),
    path("terrains/<slug:slug>/fiche.pdf", views.plot_sheet_pdf, name="plot-sheet"),
    path("parcs/<slug:slug>/", views.park_detail, name="park"),
    path(
        "organisations/<slug:slug>/",
        views.organisation_detail,
        name="organisation",
    ),
]
