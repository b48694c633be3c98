"""Reads behind the search page and the map API (one FilterSet for both)."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.core.paginator import Paginator
from django.urls import reverse

from .filters import PlotFilter
from .models import Plot

PAGE_SIZE = 20
MAP_LIMIT = 500  # features per API response; the map says when there are more
COORDINATE_DECIMALS = 5  # about 1 m


def plot_search(*, params):
    """A bound PlotFilter over the plots on offer; check `.is_valid()`."""
    return PlotFilter(params, queryset=Plot.objects.on_offer())


def search_results_page(search, *, page):
    plots = search.qs.select_related("park__organisation", "commune").defer(
        "geom", "park__perimeter", "commune__boundary", "commune__point"
    )
    return Paginator(plots, PAGE_SIZE).get_page(page)


def plots_geojson(search, *, limit=MAP_LIMIT):
    """The FeatureCollection as a string, shaped by the database.

    Geometries leave the database as GeoJSON text and go into the response
    untouched; only the few popup properties are encoded in Python.
    """
    geojson = AsGeoJSON(Transform("geom", 4326), precision=COORDINATE_DECIMALS)
    rows = list(
        search.qs.annotate(geojson=geojson).values("geojson", *POPUP_FIELDS)[
            : limit + 1
        ]
    )
    plot_url = reverse("sites:plot", args=[SLUG])
    features = ",".join(_feature(row, plot_url) for row in rows[:limit])
    truncated = "true" if len(rows) > limit else "false"
    return (
        f'{{"type":"FeatureCollection","truncated":{truncated},'
        f'"limit":{limit},"features":[{features}]}}'
    )


SLUG = "-slug-"
POPUP_FIELDS = (
    "pk",
    "slug",
    "name",
    "surface_ha",
    "marketing_stage",
    "commune__name",
    "park__name",
    "park__organisation__short_name",
)


def _feature(row, plot_url):
    properties = {
        "name": row["name"],
        "url": plot_url.replace(SLUG, row["slug"]),
        "surface_ha": float(row["surface_ha"]),
        "stage": str(Plot.MarketingStage(row["marketing_stage"]).label),
        "commune": row["commune__name"],
        "park": row["park__name"],
        "organisation": row["park__organisation__short_name"],
    }
    return (
        f'{{"type":"Feature","id":{row["pk"]:d},"geometry":{row["geojson"]},'
        f'"properties":{json.dumps(properties)}}}'
    )
