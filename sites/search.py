"""Reads behind the search page and the map API (one FilterSet for both)."""

from django.contrib.gis.db.models.functions import (
    ForcePolygonCW,
    GeomOutputGeoFunc,
    Reverse,
)
from django.core.paginator import Paginator
from django.urls import reverse

from core.geo import MAP_API_DECIMALS, as_geojson, feature, feature_collection

from .filters import PlotFilter
from .models import Plot

PAGE_SIZE = 20
MAP_LIMIT = 500  # features per API response; the map says when there are more
# The map draws outlines simplified to the metre (in Lambert-93, before they
# become WGS84): a surveyed outline of thousands of points costs every visitor
# its weight for nothing on a map; the plot's own page keeps the full outline.
MAP_SIMPLIFY_M = 1


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """PostGIS's and SpatiaLite's ST_SimplifyPreserveTopology(geometry, tolerance),
    which never makes a polygon invalid or empty."""

    function = "ST_SimplifyPreserveTopology"


class Multi(GeomOutputGeoFunc):
    """ST_Multi: the API's outlines stay MultiPolygons once simplified."""

    function = "ST_Multi"


def map_outline(field="geom"):
    """The outline for the public map: simplified, exterior rings
    counter-clockwise and holes clockwise as RFC 7946 says (still in Lambert-93:
    as_geojson takes it to WGS84, which keeps the orientation)."""
    simplified = SimplifyPreserveTopology(field, MAP_SIMPLIFY_M)
    return Multi(Reverse(ForcePolygonCW(simplified)))


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
    geojson = as_geojson(map_outline(), decimals=MAP_API_DECIMALS)
    rows = list(
        search.qs.annotate(geojson=geojson).values("geojson", *POPUP_FIELDS)[
            : limit + 1
        ]
    )
    plot_url = reverse("sites:plot", args=[SLUG])
    return feature_collection(
        (_feature(row, plot_url) for row in rows[:limit]),
        truncated=len(rows) > limit,
        limit=limit,
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
    return feature(row["geojson"], properties, id=row["pk"])
