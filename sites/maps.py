"""GeoJSON for the page maps (static/js/plot-map.js draws it).

Geometries arrive as WGS84 GeoJSON text shaped by the database (see selectors).
Properties are plain text, which the script inserts with textContent:
`kind` (perimeter or plot) styles a feature, `focus` frames the view.
"""

import re

from django.contrib.gis.geos import MultiPolygon, Polygon

from core.caching import listings_cached
from core.geo import MAP_API_DECIMALS, WGS84, feature, feature_collection

from .models import SRID, BusinessPark, Commune

MAX_BASE_LAYER_PARKS = 500  # the territory's; a region's largest would need tiles


def plot_map(plot):
    """The plot, framed, inside its park's perimeter."""
    return feature_collection(
        [
            feature(
                plot.perimeter_geojson, {"kind": "perimeter", "name": plot.park.name}
            ),
            feature(
                plot.geom_geojson, {"kind": "plot", "name": plot.name, "focus": True}
            ),
        ]
    )


def _plot_feature(plot):
    return feature(
        plot.geom_geojson,
        {
            "kind": "plot",
            "stage": plot.marketing_stage,
            "name": plot.name,
            "detail": str(plot.get_marketing_stage_display()),
            "url": plot.get_absolute_url(),
        },
    )


def park_map(park, plots):
    """The park's perimeter, framed, and its plots linked to their pages."""
    perimeter = feature(
        park.perimeter_geojson,
        {"kind": "perimeter", "name": park.name, "focus": True},
    )
    return feature_collection([perimeter, *map(_plot_feature, plots)])


# The base layer under every public map's tiles (static/js/maps.js): the
# territory's communes, its agglomerations' borders and the parks, so that a
# map still says where things are when the tile server does not answer. About
# 20 m of detail is all a map at a commune's scale can show.
BASE_LAYER_TOLERANCE_M = 20


def _wgs84_geojson(geometry):
    outline = geometry.simplify(BASE_LAYER_TOLERANCE_M, preserve_topology=True)
    outline.transform(WGS84)
    return _rounded(outline.json)


def _rounded(text, decimals=MAP_API_DECIMALS):
    """GeoJSON text with its coordinates rounded (GEOS writes 15 digits)."""
    return re.sub(
        r"-?\d+\.\d+", lambda number: f"{float(number.group()):.{decimals}f}", text
    )


def territory_base_layer():
    """GeoJSON text of the base layer, kept until a listing changes (parks
    come and go; communes change with the territory's import)."""
    return listings_cached("base-layer", _territory_base_layer, per_language=False)


def _territory_base_layer():
    communes = list(
        Commune.objects.in_territory()
        .exclude(boundary=None)
        .select_related("organisation")
        .only("name", "boundary", "organisation__slug")
    )
    features = [
        feature(
            _wgs84_geojson(commune.boundary),
            {"kind": "commune", "name": commune.name, "org": commune.organisation.slug},
        )
        for commune in communes
    ]
    by_organisation = {}
    for commune in communes:
        by_organisation.setdefault(commune.organisation.slug, []).append(
            commune.boundary
        )
    for slug, boundaries in by_organisation.items():
        border = MultiPolygon(
            [polygon for boundary in boundaries for polygon in boundary],
            srid=boundaries[0].srid,
        ).unary_union
        features.append(
            feature(_wgs84_geojson(border), {"kind": "border", "org": slug})
        )
    parks = BusinessPark.objects.published().only("name", "perimeter")
    if communes:
        extent = _extent(commune.boundary.extent for commune in communes)
        frame = Polygon.from_bbox(extent)
        frame.srid = SRID
        parks = parks.filter(perimeter__bboverlaps=frame)
    for park in parks.order_by("-surface_gross_ha", "pk")[:MAX_BASE_LAYER_PARKS]:
        features.append(
            feature(_wgs84_geojson(park.perimeter), {"kind": "park", "name": park.name})
        )
    return feature_collection(features)


def _extent(extents):
    xmins, ymins, xmaxs, ymaxs = zip(*extents, strict=True)
    return min(xmins), min(ymins), max(xmaxs), max(ymaxs)
