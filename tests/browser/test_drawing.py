"""A developer of CALL draws plots on the admin's map, in a real browser: it
opens on CALL's parks and shows the plots around, speaks French, reads out the
area as the outline is drawn; a plot inside a park is saved, one across the
park's perimeter refused with the part outside shown on the map."""

import json
import re

import pytest
from django.contrib.gis.geos import GEOSGeometry, Polygon
from playwright.sync_api import expect

from sites.drawing import DRAW_TEXTS, DRAW_TOUCH_TEXTS, MAP_TEXTS
from sites.models import SRID, BusinessPark, Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, free_square

from .test_journey import fr
from .test_staff import (
    ADMIN,
    CORNERS_ON_SCREEN,
    KEEP_MAPS,
    call_developer,  # noqa: F401 (the fixture, used below)
    click,
    log_in,
    overlap,
)

pytestmark = pytest.mark.usefixtures("call_developer")

HARNES = "Zone d'activités Harnes-Courrières"

# The widget's map, its bounds as [[south, west], [north, east]].
MAP_BOUNDS = """() => {
  const bounds = Object.values(window.testMaps)[0].getBounds();
  return [[bounds.getSouth(), bounds.getWest()], [bounds.getNorth(), bounds.getEast()]];
}"""


def corners_of(polygon):
    """The four corners of a Lambert-93 rectangle as [lat, lng]."""
    ring = polygon.transform(4326, clone=True).coords[0][:4]
    return [[lat, lng] for lng, lat in ring]


def within(bounds, geometry):
    (south, west), (north, east) = bounds
    lng_min, lat_min, lng_max, lat_max = geometry.transform(4326, clone=True).extent
    return south <= lat_min and lat_max <= north and west <= lng_min and lng_max <= east


def open_add_form(page, base_url):
    page.goto(base_url + ADMIN + "sites/plot/add/")
    page.wait_for_function(
        "() => window.testMaps && Object.keys(window.testMaps).length"
    )
    # The surroundings are in once the legend lists them.
    expect(page.locator(".drawing-legend li")).not_to_have_count(0)


def draw(page, corners, *, before_closing=None):
    """Draw the outline with the polygon tool, corner by corner; calls
    `before_closing` once every corner is placed."""
    widget = page.locator(".leaflet-container").first
    # The whole map in view, so that clicking its tools scrolls nothing.
    widget.evaluate("(map) => map.scrollIntoView({ block: 'center' })")
    points = page.evaluate(CORNERS_ON_SCREEN, [corners, 18])
    box = widget.bounding_box()
    page.locator(".leaflet-draw-draw-polygon").click()
    placed = page.locator(".leaflet-editing-icon")
    for count, (x, y) in enumerate(points, start=1):
        click(page, box["x"] + x, box["y"] + y)
        expect(placed).to_have_count(count)
    if before_closing:
        before_closing()
    x, y = points[0]
    click(page, box["x"] + x, box["y"] + y)
    expect(page.locator("#id_geom")).not_to_have_value("")


def square_metres(readout):
    """The m² in "Surface : 0,36 ha (3 589 m²)"."""
    digits = re.search(r"\(([\d\s\u202f\xa0]+) m²\)", readout).group(1)
    return int(re.sub(r"\D", "", digits))


# The drawn outline's corners as the map holds them (the field rounds them).
DRAWN_CORNERS = """() => {
  const corners = [];
  Object.values(window.testMaps)[0].eachLayer((layer) => {
    if (layer instanceof L.Polygon && layer.options.color === "#c2410c") {
      corners.push(...layer.getLatLngs()[0].map((p) => [p.lng, p.lat]));
    }
  });
  return corners;
}"""


def ground_area(corners):
    """An independent ground area: in an equal-area projection (ETRS89-LAEA)."""
    outline = Polygon([*corners, corners[0]], srid=4326)
    return outline.transform(3035, clone=True).area


def test_a_plot_drawn_in_a_park_is_measured_then_saved(browse):
    park = BusinessPark.objects.get(name=HARNES)
    call_parks = BusinessPark.objects.filter(organisation__slug="call")
    inside = free_square(park, 60)
    # A plot of CAHC's among CALL's parks: shown greyed, not editable.
    cahc = BusinessParkFactory(organisation=Organisation.objects.get(slug="cahc"))
    PlotFactory(park=cahc, commune=cahc.commune)
    visit = browse()
    page = visit.page
    page.context.add_init_script(KEEP_MAPS)
    log_in(page, visit.base_url, "dev-call")
    open_add_form(page, visit.base_url)

    # It opens on CALL's parks, with their plots and the others' around.
    bounds = page.evaluate(MAP_BOUNDS)
    assert all(within(bounds, p.perimeter) for p in call_parks)
    expect(page.locator("path.drawing-park")).to_have_count(call_parks.count())
    own = Plot.objects.filter(park__organisation__slug="call").count()
    expect(page.locator("path.drawing-plot")).to_have_count(own)
    expect(page.locator("path.drawing-plot-foreign")).to_have_count(1)
    expect(page.locator(".leaflet-draw-edit-edit")).to_have_class(
        re.compile("leaflet-disabled")
    )
    # The tools and the read-out in French.
    polygon_title = fr(DRAW_TEXTS["draw"]["toolbar"]["buttons"]["polygon"])
    expect(page.locator(".leaflet-draw-draw-polygon")).to_have_attribute(
        "title", polygon_title
    )
    expect(page.locator(".drawing-area")).to_have_text(fr(MAP_TEXTS["empty"]))
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute(
        "title", fr("Zoom in")
    )

    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Terrain dessiné (navigateur)")
    page.keyboard.press("Tab")
    readouts = []
    draw(
        page,
        corners_of(inside),
        before_closing=lambda: readouts.append(
            page.locator(".drawing-area").text_content()
        ),
    )
    # While drawing, with the four corners placed, before the outline closes.
    assert readouts[0].startswith("Surface\xa0: 0,3")
    readout = page.locator(".drawing-area").text_content()
    assert readout.startswith("Surface\xa0: 0,36 ha (")
    assert abs(square_metres(readout) - ground_area(page.evaluate(DRAWN_CORNERS))) <= 1
    assert abs(square_metres(readout) - inside.transform(3035, clone=True).area) < 60

    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    plot = Plot.objects.get(name="Terrain dessiné (navigateur)")
    assert plot.park == park and plot.commune.name in ("Harnes", "Courrières")
    assert visit.errors == []


def test_a_plot_across_the_park_perimeter_is_refused_on_the_map(browse):
    park = BusinessPark.objects.get(name=HARNES)
    xmin, ymin, xmax, ymax = park.perimeter.extent
    middle = (ymin + ymax) / 2
    across = Polygon.from_bbox((xmax - 20, middle - 20, xmax + 20, middle + 20))
    across.srid = SRID
    visit = browse()
    page = visit.page
    page.context.add_init_script(KEEP_MAPS)
    log_in(page, visit.base_url, "dev-call")
    open_add_form(page, visit.base_url)
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Terrain à cheval")
    page.keyboard.press("Tab")
    draw(page, corners_of(across))
    page.locator("input[name=_save]").click()

    error = page.locator(".errorlist").first
    expect(error).to_contain_text(
        f"Le contour dépasse du parc «\xa0{HARNES}\xa0» d’environ"
    )
    expect(error).to_contain_text("du côté est")
    assert "Self" not in error.text_content() and str(int(xmax)) not in (
        error.text_content()
    )
    # The part outside, on the map, with its legend.
    expect(page.locator("path.drawing-problem")).to_have_count(1)
    expect(page.locator(".drawing-legend")).to_contain_text(fr(MAP_TEXTS["problem"]))
    problem = json.loads(page.locator("#id_geom-problem").text_content())
    outside = GEOSGeometry(json.dumps(problem)).transform(SRID, clone=True)
    expected = across.difference(park.perimeter).area
    assert outside.area == pytest.approx(expected, rel=0.05)
    assert not Plot.objects.filter(name="Terrain à cheval").exists()
    assert visit.errors == []


TABLET = {"width": 1180, "height": 820}  # a tablet held landscape


def finger_drag(page, start, end, steps=5):
    """A finger put down at `start`, moved to `end` and held there (Playwright
    taps only: the browser's own touch input through the DevTools protocol)."""
    session = page.context.new_cdp_session(page)

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", *start)
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        touch("touchMove", x, y)
        page.wait_for_timeout(50)
    return lambda: touch("touchEnd", *end)


def test_a_plot_drawn_with_a_finger_on_a_tablet(browse):
    """On a tablet the hints said "click", the first corner tapped brought up
    the red "edges cannot cross", and the area read out stood still while a
    finger drew a rectangle. The hints now say "tap" (in French here), a
    finger taps the corners and the first one again, the outline is kept; a
    rectangle's area follows the finger."""
    park = BusinessPark.objects.get(name=HARNES)
    inside = free_square(park, 60)
    visit = browse(viewport=TABLET, touch=True)
    page = visit.page
    page.context.add_init_script(KEEP_MAPS)
    log_in(page, visit.base_url, "dev-call")
    open_add_form(page, visit.base_url)
    widget = page.locator(".leaflet-container").first
    widget.evaluate("(map) => map.scrollIntoView({ block: 'center' })")
    points = page.evaluate(CORNERS_ON_SCREEN, [corners_of(inside), 18])
    box = widget.bounding_box()
    hint = page.locator(".leaflet-draw-tooltip")
    words = DRAW_TOUCH_TEXTS["draw"]["handlers"]["polygon"]["tooltip"]

    page.locator(".leaflet-draw-draw-polygon").tap()
    expect(hint).to_have_text(fr(words["start"]))
    hints = [words["cont"], words["cont"], words["end"], words["end"]]
    for count, ((x, y), said) in enumerate(zip(points, hints, strict=True), 1):
        page.touchscreen.tap(box["x"] + x, box["y"] + y)
        # Taps further apart than a double tap's 200 ms, as a person's.
        page.wait_for_timeout(300)
        expect(page.locator(".leaflet-editing-icon")).to_have_count(count)
        # As it is now: an error goes away by itself after 2.5 s.
        assert hint.text_content() == fr(said), count
        assert page.locator(".leaflet-error-draw-tooltip").count() == 0
    page.touchscreen.tap(box["x"] + points[0][0], box["y"] + points[0][1])
    expect(page.locator("#id_geom")).not_to_have_value("")
    drawn = GEOSGeometry(page.locator("#id_geom").input_value())
    assert drawn.transform(3035, clone=True).area == pytest.approx(
        inside.transform(3035, clone=True).area, rel=0.05
    )

    # A rectangle of about a quarter of the square, the area following.
    polygon = page.locator("#id_geom").input_value()
    page.locator(".leaflet-draw-draw-rectangle").tap()
    rectangle = DRAW_TOUCH_TEXTS["draw"]["handlers"]["rectangle"]["tooltip"]
    expect(hint).to_have_text(fr(rectangle["start"]))
    (x0, y0), (x1, y1) = points[0], points[2]
    lift = finger_drag(
        page,
        (box["x"] + x0, box["y"] + y0),
        (box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2),
    )
    lifting = DRAW_TOUCH_TEXTS["draw"]["handlers"]["simpleshape"]["tooltip"]["end"]
    expect(hint).to_contain_text(fr(lifting))
    while_drawn = square_metres(page.locator(".drawing-area").text_content())
    lift()
    expect(page.locator("#id_geom")).not_to_have_value(polygon)
    kept = square_metres(page.locator(".drawing-area").text_content())
    assert while_drawn == pytest.approx(kept, rel=0.05)
    assert kept == pytest.approx(inside.transform(3035, clone=True).area / 4, rel=0.1)
    assert visit.errors == []


PORTRAIT_TABLET = {"width": 820, "height": 1180}  # a tablet held upright


def test_on_a_tablet_the_map_fits_its_column_and_its_legend_leaves_the_tools(
    browse,
):
    """On a tablet held upright, the admin's sidebar open, django-leaflet's
    720 px map beside its label ran 400 px past the screen: its right part
    and its legend out of sight, out of reach. The label goes above, the map
    takes the column's width, and the legend is not over the drawing tools."""
    visit = browse(viewport=PORTRAIT_TABLET, touch=True)
    page = visit.page
    page.context.add_init_script(KEEP_MAPS)
    log_in(page, visit.base_url, "dev-call")
    open_add_form(page, visit.base_url)
    expect(page.locator("#nav-sidebar")).to_be_visible()
    widget = page.locator(".leaflet-container").first
    widget.evaluate("(map) => map.scrollIntoView({ block: 'center' })")
    box = widget.bounding_box()
    column = page.locator("#content").bounding_box()
    assert box["x"] >= column["x"]
    assert box["x"] + box["width"] <= PORTRAIT_TABLET["width"], box
    # Wide enough to draw in: the column's, not what the label leaves.
    assert box["width"] >= column["width"] - 60, (box, column)
    label = page.locator(".field-geom label").first.bounding_box()
    assert label["y"] + label["height"] <= box["y"], (label, box)
    legend = page.locator(".drawing-legend").bounding_box()
    assert legend["x"] + legend["width"] <= PORTRAIT_TABLET["width"], legend
    for tool in page.locator(".leaflet-draw a, .leaflet-control-zoom a").all():
        assert not overlap(tool.bounding_box(), legend), tool.get_attribute("class")
    # Still drawn in: the tools answer a tap.
    page.locator(".leaflet-draw-draw-polygon").tap()
    expect(page.locator(".leaflet-draw-tooltip")).to_be_visible()
    assert visit.errors == []
