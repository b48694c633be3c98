"""GeoJSON for the page maps (static/js/plot-map.js draws it).

Geometries arrive as WGS84 GeoJSON text shaped by the database (see selectors).
Properties are plain text, which the script inserts with textContent:
`kind` (perimeter or plot) styles a feature, `focus` frames the view.
"""

from core.geo import feature, feature_collection


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
