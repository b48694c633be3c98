import re

from django.contrib.gis.geos import MultiPolygon, Polygon

from core.svg import frame_span, outline_svg


def square(x, y, side, srid=2154):
    return MultiPolygon(Polygon.from_bbox((x, y, x + side, y + side)), srid=srid)


def view_box(svg):
    return [float(n) for n in re.search(r'viewBox="([^"]+)"', svg)[1].split()]


def points(svg, css_class):
    data = re.search(rf'class="{css_class}" d="([^"]+)"', svg)[1]
    return [tuple(map(float, p.split(","))) for p in re.findall(r"[\d.]+,[\d.]+", data)]


def test_the_focus_is_framed_north_up_with_a_margin():
    svg = outline_svg(square(700_000, 7_000_000, 200), label="A")
    _, _, width, height = view_box(svg)
    assert width == height == 300  # 200 m and 50 m each side
    xs, ys = zip(*points(svg, "svg-focus"), strict=True)
    assert (min(xs), max(xs), min(ys), max(ys)) == (50, 250, 50, 250)


def test_a_shared_span_gives_one_scale():
    small, large = square(700_000, 7_000_000, 100), square(710_000, 7_000_000, 400)
    span = frame_span([small, large])
    one = outline_svg(small, label="small", span=span)
    other = outline_svg(large, label="large", span=span)
    assert view_box(one) == view_box(other)


def test_the_context_is_clipped_to_the_frame():
    focus = square(700_000, 7_000_000, 100)
    park = square(690_000, 6_990_000, 20_000)
    svg = outline_svg(focus, context=park, label="A")
    _, _, width, height = view_box(svg)
    assert all(
        0 <= x <= width and 0 <= y <= height for x, y in points(svg, "svg-context")
    )


def test_the_label_is_escaped():
    svg = outline_svg(square(700_000, 7_000_000, 100), label='<script>"x"')
    assert "<script>" not in svg
    assert "&lt;script&gt;&quot;x&quot;" in svg
