from django.urls import path, re_path

from . import opendata

app_name = "exchange"
urlpatterns = [
    path("opendata/", opendata.page, name="opendata"),
    re_path(
        rf"^opendata/(?P<name>{opendata.NAME_PATTERN})\.(?P<fmt>geojson|csv)$",
        opendata.dataset,
        name="opendata-file",
    ),
]
