"""A developer of CALL draws plots on the admin's map, in a real browser: it
opens on CALL's parks and shows the plots around, speaks French, reads out the
area as the outline is drawn; a plot inside a park is saved, one across the
park's perimeter refused with the part outside shown on the map."""

import json
import re

import pytest
from django.contrib.gis.geos import GEOSGeometry, Polygon
from playwright.sync_api import expect

from sites.drawing import DRAW_TEXTS, MAP_TEXTS
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
