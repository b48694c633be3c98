"""Maps and codes drawn as inline SVG, for paper: a printed page or a PDF
cannot load map tiles or scripts, so what they show is drawn here.

Geometries are in a metric projection (Lambert-93, settings.STORAGE_SRID), so
one SVG unit is one metre and nothing needs reprojecting; y is flipped
(SVG's axis points down).
"""

import functools

import segno
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Points in the drawing, roughly: a simplification tolerance of 1/400 of the
# frame is about a printed tenth of a millimetre on a 4 cm map, invisible, and
# bounds a 10,000-point outline to a few hundred.
DETAIL = 400
PADDING = 0.08  # of the frame, around what is drawn
SCALE_STEPS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000]
# Colours as attributes, not classes: PDF renderers do not apply the page's
# CSS inside an SVG. The portal's accent for the context, amber for the focus.
STYLES = {
    "context": {"fill": "#e3edf4", "stroke": "#0b5a8a", "width": 1},
    "focus": {"fill": "#f59e0b", "stroke": "#7a3e00", "width": 1.5},
}


def _n(value, digits=0):
    """A number for an SVG attribute (format_html takes no format specs)."""
    return f"{value:.{digits}f}"


def _rings(polygon, tolerance):
    """SVG path data for one polygon, holes included (even-odd filling)."""
    polygon = polygon.simplify(tolerance, preserve_topology=True)
    parts = []
    for ring in polygon:
        points = " ".join(f"{x:.0f} {-y:.0f}" for x, y in ring.coords[:-1])
        parts.append(f"M{points}Z")
    return "".join(parts)


def _path_data(geometry, tolerance):
    polygons = geometry if geometry.geom_type == "MultiPolygon" else [geometry]
    return "".join(_rings(polygon, tolerance) for polygon in polygons)


def _scale_length(width):
    """The longest round length that fits in a quarter of the frame."""
    fitting = [step for step in SCALE_STEPS if step <= width / 4]
    return fitting[-1] if fitting else SCALE_STEPS[0]


def _scale_label(metres):
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


def _frame(geometries):
    """The extent of all `geometries`: (xmin, ymin, xmax, ymax)."""
    extents = [geometry.extent for geometry in geometries]
    return (
        min(e[0] for e in extents),
        min(e[1] for e in extents),
        max(e[2] for e in extents),
        max(e[3] for e in extents),
    )


def _layer(geometry, kind, side):
    style = STYLES[kind]
    path = format_html(
        '<path d="{}" fill="{}" fill-rule="evenodd" stroke="{}" '
        'stroke-width="{}" stroke-linejoin="round"/>',
        _path_data(geometry, side / DETAIL),
        style["fill"],
        style["stroke"],
        _n(style["width"] * side / 250, 1),
    )
    xmin, ymin, xmax, ymax = geometry.extent
    if kind == "focus" and max(xmax - xmin, ymax - ymin) < side / 15:
        # Too small to see at this scale: circled.
        centre = geometry.point_on_surface
        path += format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" '
            'stroke-width="{}"/>',
            _n(centre.x),
            _n(-centre.y),
            _n(side / 25),
            style["stroke"],
            _n(side / 200, 1),
        )
    return path


def outlines_svg(layers, *, label):
    """An SVG drawing of `layers`, (geometry, "context" or "focus") pairs drawn
    in that order, framed on all of them, with a scale bar; "" when none has a
    shape. `label` names the drawing for screen readers."""
    layers = [(geom, kind) for geom, kind in layers if geom and not geom.empty]
    if not layers:
        return ""
    xmin, ymin, xmax, ymax = _frame([geometry for geometry, _kind in layers])
    side = max(xmax - xmin, ymax - ymin, 50)  # a 10 m² plot alone still shows
    pad = side * PADDING
    width, height = xmax - xmin + 2 * pad, ymax - ymin + 2 * pad
    # Not thinner than half as high as wide (or the reverse): room for the scale.
    width, height = max(width, height / 2), max(height, width / 2)
    left = (xmin + xmax - width) / 2
    top = -(ymin + ymax + height) / 2
    # Each layer was built by format_html: joined, it stays safe.
    paths = mark_safe("".join(_layer(geom, kind, side) for geom, kind in layers))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="outline-map" role="img" '
        'aria-label="{label}" viewBox="{left} {top} {width} {height}" '
        'preserveAspectRatio="xMidYMid meet"><title>{label}</title>'
        '<rect x="{left}" y="{top}" width="{width}" height="{height}" '
        'fill="#fff"/>{paths}{scale}</svg>',
        label=label,
        left=_n(left),
        top=_n(top),
        width=_n(width),
        height=_n(height),
        paths=paths,
        scale=_scale_bar(left, top + height, width, side),
    )


def _scale_bar(left, bottom, width, side):
    length = _scale_length(width)
    x, y = left + side * 0.03, bottom - side * 0.04
    stroke = side / 150
    return format_html(
        '<g class="scale"><path d="M{x} {y0}V{y}H{x1}V{y0}" '
        'fill="none" stroke="#000" stroke-width="{stroke}"/>'
        '<text x="{tx}" y="{y}" font-size="{size}">{label}</text></g>',
        x=_n(x),
        y=_n(y),
        y0=_n(y - side * 0.02),
        x1=_n(x + length),
        stroke=_n(stroke, 1),
        tx=_n(x + length + side * 0.015),
        size=_n(side * 0.035),
        label=_scale_label(length),
    )


@functools.lru_cache(maxsize=1024)
def qr_svg(url, *, label):
    """A QR code leading to `url`, as inline SVG scaled by CSS. Kept in memory:
    the same address always gives the same code, and encoding one takes
    longer than the rest of a plot page (about 1 KB each)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=0, omitsize=True, svgclass="qr")
    # segno writes the <svg> itself, with nothing taken from `url` but the
    # modules' path: safe to mark; the label goes in escaped.
    return format_html(
        '<span class="qr-code" role="img" aria-label="{}">{}</span>',
        label,
        mark_safe(svg),  # noqa: S308
    )
