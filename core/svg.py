"""Small static maps as inline SVG: an outline in its surroundings, no script,
no tiles, readable in print and without JavaScript.

Geometries come in a metric projection (Lambert-93 here); the picture is
north-up, framed on the focus with a margin, simplified to what its width in
pixels can show, with a scale bar.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

PIXELS = 240  # the width the picture is simplified for
SCALE_STEPS_M = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)


@dataclass(frozen=True)
class Frame:
    west: float
    north: float
    width: float
    height: float

    def point(self, x, y):
        return f"{x - self.west:.1f},{self.north - y:.1f}"


def frame_around(geometry, *, span=None, margin=0.25, minimum_m=50):
    """A frame centred on `geometry`: its extent with a margin, or `span`
    (width, height in metres), so that several pictures share one scale."""
    west, south, east, north = geometry.extent
    width, height = span or frame_span([geometry], margin=margin, minimum_m=minimum_m)
    x, y = (west + east) / 2, (south + north) / 2
    return Frame(x - width / 2, y + height / 2, width, height)


def frame_span(geometries, *, margin=0.25, minimum_m=50):
    """The width and height that show each of `geometries` with a margin."""
    widths, heights = [], []
    for geometry in geometries:
        west, south, east, north = geometry.extent
        widths.append(east - west)
        heights.append(north - south)
    pad = max(max(widths) * margin, max(heights) * margin, minimum_m)
    return max(widths) + 2 * pad, max(heights) + 2 * pad


def path_data(geometry, frame):
    """SVG path data of a (multi)polygon's rings, clipped to the frame and
    simplified to about a pixel."""
    box = Polygon.from_bbox(
        (
            frame.west,
            frame.north - frame.height,
            frame.west + frame.width,
            frame.north,
        )
    )
    box.srid = geometry.srid
    tolerance = frame.width / PIXELS
    # Simplified first: clipping a million vertices would cost seconds.
    shape = geometry.simplify(tolerance, preserve_topology=True).intersection(box)
    rings = []
    for polygon in _polygons(shape):
        for ring in polygon:
            points = " ".join(frame.point(x, y) for x, y, *_ in ring.coords[:-1])
            rings.append(f"M{points}Z")
    return "".join(rings)


def _polygons(shape):
    if shape.empty:
        return []
    if shape.geom_type == "Polygon":
        return [shape]
    return [part for part in shape if part.geom_type == "Polygon"]


def scale_bar_m(frame):
    """The longest round length that fits in a third of the width."""
    fitting = [step for step in SCALE_STEPS_M if step <= frame.width / 3]
    return fitting[-1] if fitting else SCALE_STEPS_M[0]


def _scale_label(metres):
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


# For an SVG shown as an image (<img>, a popup), where the page's CSS cannot
# reach: the same look as .outline-map in static/css/compare.css.
STANDALONE_STYLE = (
    "<style>svg{background:#e9ece6}"
    ".svg-context{fill:#fff;fill-opacity:.6;stroke:#5b6475;stroke-dasharray:4 3}"
    ".svg-focus{fill:#0b5a8a;fill-opacity:.6;stroke:#0b5a8a;stroke-width:2}"
    ".svg-scale{stroke:#1d2433}text{fill:#1d2433;font-family:sans-serif}</style>"
)


def outline_svg(focus, *, context=None, label, span=None, standalone=False):
    """An <svg> of `focus` (filled) within `context` (an outline, such as its
    park's perimeter); `label` is read by screen readers; `span` as for
    `frame_around`; `standalone` carries its own style, for an image file."""
    frame = frame_around(focus, span=span)
    unit = frame.width / PIXELS  # a pixel, in metres
    paths = []
    if context is not None:
        paths.append(("svg-context", path_data(context, frame)))
    paths.append(("svg-focus", path_data(focus, frame)))
    bar = scale_bar_m(frame)
    left, bottom = 8 * unit, frame.height - 8 * unit
    numbers = {
        "w": frame.width,
        "h": frame.height,
        "x0": left,
        "x1": left + bar,
        "y": bottom,
        "stroke": 2 * unit,
        "ty": bottom - 4 * unit,
        "font": 12 * unit,
    }
    return format_html(
        '<svg class="outline-map" xmlns="http://www.w3.org/2000/svg"'
        ' viewBox="0 0 {w} {h}" role="img"'
        ' aria-label="{label}" preserveAspectRatio="xMidYMid meet">'
        "<title>{label}</title>{style}{paths}"
        '<path class="svg-scale" d="M{x0},{y}H{x1}" stroke-width="{stroke}"/>'
        '<text x="{x0}" y="{ty}" font-size="{font}">{bar}</text></svg>',
        label=label,
        paths=format_html_join(
            "",
            '<path class="{}" d="{}" fill-rule="evenodd"'
            ' vector-effect="non-scaling-stroke"/>',
            paths,
        ),
        bar=_scale_label(bar),
        style=mark_safe(STANDALONE_STYLE if standalone else ""),
        **{name: f"{value:.1f}" for name, value in numbers.items()},
    )
