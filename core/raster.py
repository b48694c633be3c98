"""Sharing cards as PNG (link previews cannot show SVG): an outline in its
surroundings on the left, a few lines of text on the right, drawn by Pillow
from the geometry alone, with no tile server.

Geometries come in a metric projection (Lambert-93 here), framed like the
inline maps of core/svg.py and simplified to about a pixel first, so that an
outline of a million vertices costs no more to draw than a square.
"""

import functools
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from .svg import frame_around, scale_bar_m

SIZE = (1200, 630)  # what link previews ask for
PAPER = (255, 255, 255)
MUTED = (242, 244, 247)
INK = (29, 36, 51)
ACCENT = (11, 90, 138)
CONTEXT_FILL = (220, 230, 240)
CONTEXT_LINE = (107, 114, 128)
OTHERS_FILL = (200, 204, 210)


@functools.cache
def _font(size):
    return ImageFont.load_default(size=size)


def _rings(geometry, frame, scale, tolerance):
    """Each ring of a (multi)polygon as pixel coordinates."""
    if geometry is None or geometry.empty:
        return []
    shape = geometry.simplify(tolerance, preserve_topology=True)
    polygons = [shape] if shape.geom_type == "Polygon" else list(shape)
    rings = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        for index, ring in enumerate(polygon):
            points = [
                ((x - frame.west) * scale, (frame.north - y) * scale)
                for x, y, *_ in ring.coords
            ]
            if len(points) >= 3:
                rings.append((index == 0, points))
    return rings


def _draw_shape(draw, rings, fill, outline, width):
    for exterior, points in rings:
        draw.polygon(
            points, fill=fill if exterior else PAPER, outline=outline, width=width
        )


def card_png(focus, *, context=None, others=(), frame_on=None, lines=(), footer=""):
    """A PNG sharing card: `focus` filled, within `context` (its park), with
    `others` (neighbouring plots) greyed, framed on `frame_on` (`focus` by
    default); `lines` of text beside it, the first one as a title. With
    nothing to frame on, the card has text only."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    side = height  # a square map on the left, drawn apart so nothing spills
    text_left = 64
    frame_on = frame_on if frame_on is not None else focus
    if frame_on is not None and not frame_on.empty:
        image.paste(_map_square(frame_on, focus, context, others, side), (0, 0))
        text_left = side + 48
    _text(draw, text_left, width - text_left - 48, lines, footer, height)
    buffer = io.BytesIO()
    # Flat colours compress well already; quantizing or the highest levels
    # would triple the time for a few kilobytes.
    image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def _map_square(frame_on, focus, context, others, side):
    square = Image.new("RGB", (side, side), MUTED)
    draw = ImageDraw.Draw(square)
    frame = frame_around(frame_on, margin=0.35)
    span = max(frame.width, frame.height)
    frame = frame_around(frame_on, span=(span, span))
    scale = side / span
    tolerance = span / side
    _draw_shape(
        draw, _rings(context, frame, scale, tolerance), CONTEXT_FILL, CONTEXT_LINE, 2
    )
    for other in others:
        _draw_shape(draw, _rings(other, frame, scale, tolerance), OTHERS_FILL, PAPER, 1)
    _draw_shape(draw, _rings(focus, frame, scale, tolerance), ACCENT, PAPER, 2)
    _scale_bar(draw, frame, scale, side)
    return square


def _scale_bar(draw, frame, scale, side):
    metres = scale_bar_m(frame)
    length = metres * scale
    x, y = 24, side - 32
    draw.rectangle((x - 8, y - 30, x + length + 8, y + 10), fill=PAPER)
    draw.line((x, y, x + length, y), fill=INK, width=4)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x, y - 26), label, fill=INK, font=_font(18))


def _text(draw, left, room, lines, footer, height):
    y = 64
    for index, line in enumerate(lines):
        size = 44 if index == 0 else 30
        font = _font(size)
        characters = max(8, int(room / (size * 0.55)))
        for part in textwrap.wrap(str(line), characters)[: 4 if index == 0 else 2]:
            draw.text((left, y), part, fill=ACCENT if index == 0 else INK, font=font)
            y += int(size * 1.3)
        y += 12
    if footer:
        draw.text((left, height - 80), footer, fill=INK, font=_font(28))
