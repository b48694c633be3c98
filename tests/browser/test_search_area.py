"""A search area drawn on the search map, in a real browser."""

import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from sites.areas import area_parse
from sites.models import Commune, Plot

from .conftest import PHONE
from .search_map import TILES, wait_for_search_map
from .test_journey import fr, text

# The page's maps, kept where the test can reach them (the scripts use no
# globals).
KEEP_MAPS = """
window.addEventListener("map:init", (event) => {
  window.testMaps = window.testMaps || {};
  window.testMaps[event.detail.id] = event.detail.map;
});
"""

# Frame the corners in the search map, then where each one is on screen.
CORNERS_ON_SCREEN = """(corners) => {
  const map = window.testMaps["search-map"];
  map.fitBounds(L.latLngBounds(corners), { padding: [60, 60], animate: false });
  return corners.map((corner) => {
    const point = map.latLngToContainerPoint(corner);
    return [point.x, point.y];
  });
}"""


def click(page, x, y):
    # Leaflet.draw places a corner where its marker follows the mouse to: let
    # it get there first, on a loaded machine too.
    page.mouse.move(x, y, steps=4)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)


def listed(page):
    return set(
        page.locator("#results [data-plot-id]").evaluate_all(
            "items => items.map((item) => Number(item.dataset.plotId))"
        )
    )


def drawn_area(page):
    return parse_qs(urlsplit(page.url).query)["area"][0]


def test_a_drawn_polygon_narrows_list_and_map_and_survives_a_reload(browse):
    park = Plot.objects.get(surface_ha=32).park  # Delta 3
    on_offer = Plot.objects.on_offer()
    west, south, east, north = (
        park.perimeter.buffer(30).transform(4326, clone=True).extent
    )
    corners = [[south, west], [south, east], [north, east], [north, west]]
    visit = browse()
    page = visit.page
    tiles = []
    page.on(
        "response",
        lambda r: tiles.append(r.url) if TILES in urlsplit(r.url).path else None,
    )
    page.context.add_init_script(KEEP_MAPS)
    visit.goto("/fr/recherche/")
    wait_for_search_map(page)
    assert len(listed(page)) == min(on_offer.count(), 20)

    # Nothing drawn, nothing to remove ("hidden", which a button's display
    # rule overrode, showed it).
    remove = page.get_by_role("button", name=fr("Remove the drawn area"))
    expect(remove).to_be_hidden()
    points = page.evaluate(CORNERS_ON_SCREEN, corners)
    box = page.locator("#search-map").bounding_box()
    page.get_by_role("button", name=fr("Draw a search area")).click()
    # With a mouse, the hints say "click".
    expect(page.locator(".leaflet-draw-tooltip")).to_have_text(
        fr("Click to place the first corner.")
    )
    for x, y in [*points, points[0]]:
        click(page, box["x"] + x, box["y"] + y)

    expect(page).to_have_url(re.compile(r"[?&]area=p%3A"))
    # What the map drew, as the server reads it from the address.
    area = area_parse(drawn_area(page))
    expected = {p.pk for p in on_offer if p.geom.intersects(area)}
    assert set(park.plots.on_offer().values_list("pk", flat=True)) <= expected
    assert len(expected) < on_offer.count()
    count = len(expected)
    expect(page.locator("#results-title")).to_have_text(re.compile(rf"^{count}\D"))
    # The map's tiles, asked with the area, hold exactly those plots (the
    # whole area is in view, so the status line counts them all).
    expect(page.locator("#map-status")).to_have_text(re.compile(rf"^{count}\D"))
    assert listed(page) == expected
    drawn = drawn_area(page)
    assert any(parse_qs(urlsplit(url).query).get("area") == [drawn] for url in tiles)

    # A reload (or the link, shared) keeps the area, drawn, and its results.
    url = page.url
    page.reload()
    wait_for_search_map(page)
    assert page.url == url
    expect(page.locator("#results-title")).to_have_text(re.compile(rf"^{count}\D"))
    assert listed(page) == expected
    expect(page.locator("#map-status")).to_have_text(re.compile(rf"^{count}\D"))
    expect(page.locator('#search-map path[stroke="#8a4b00"]')).to_have_count(1)

    # Removing it widens the search again.
    remove.click()
    expect(page).not_to_have_url(re.compile(r"area="))
    expect(page.locator('#search-map path[stroke="#8a4b00"]')).to_have_count(0)
    expect(page.locator("#results [data-plot-id]")).to_have_count(
        min(on_offer.count(), 20)
    )
    assert visit.errors == []


def test_around_a_commune_with_the_keyboard_only(browse):
    visit = browse()
    page = visit.page
    visit.goto("/fr/recherche/")
    wait_for_search_map(page)
    near = page.get_by_label(fr("Around the commune"))
    near.focus()
    page.keyboard.type("Dourges")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"near=Dourges.*near_km=3|near_km=3.*near"))
    # The circle the server draws: 64 sides around the commune's point.
    circle = Commune.objects.get(insee="62274").point.buffer(3000, quadsegs=16)
    expected = {p.pk for p in Plot.objects.on_offer() if p.geom.intersects(circle)}
    assert expected
    count = len(expected)
    expect(page.locator("#results-title")).to_have_text(re.compile(rf"^{count}\D"))
    assert listed(page) == expected
    # The map draws the circle the server read.
    expect(page.locator('#search-map path[stroke-dasharray="2 6"]')).to_have_count(1)
    assert visit.errors == []


# Where the drawing hint is, against the map's box (1 px of rounding allowed).
HINT_IN_MAP = """() => {
  const map = document.getElementById("search-map").getBoundingClientRect();
  const hint = document.querySelector(".leaflet-draw-tooltip").getBoundingClientRect();
  return hint.left >= map.left - 1 && hint.right <= map.right + 1 &&
    hint.top >= map.top - 1 && hint.bottom <= map.bottom + 1;
}"""


def test_a_finger_draws_an_area_on_a_phone(browse):
    """On a phone the hints said "click"; the tap that placed the first corner
    brought up the red "edges cannot cross" (the browser's click on the corner
    just placed read as closing the area); the first hint sat where the map's
    layers began, above the map, and one beside a corner near the map's right
    edge was cut by it. In each language, a finger taps the corners and the
    first one again: the hints say "tap", within the map, no error, and the
    area is searched."""
    park = Plot.objects.get(surface_ha=32).park  # Delta 3
    west, south, east, north = (
        park.perimeter.buffer(30).transform(4326, clone=True).extent
    )
    corners = [[south, west], [south, east], [north, east], [north, west]]
    for language in ("fr", "nl", "en"):
        visit = browse(viewport=PHONE, locale=language, touch=True)
        page = visit.page
        page.context.add_init_script(KEEP_MAPS)
        with translation.override(language):
            visit.goto(reverse("sites:search"))
        wait_for_search_map(page)
        page.locator("#search-map").scroll_into_view_if_needed()
        points = page.evaluate(CORNERS_ON_SCREEN, corners)
        box = page.locator("#search-map").bounding_box()
        page.get_by_role("button", name=text("Draw a search area", language)).tap()
        hint = page.locator(".leaflet-draw-tooltip")
        hints = [
            "Tap to place the next corner.",
            "Tap to place the next corner.",
            "Tap the first corner to close the area.",
            "Tap the first corner to close the area.",
        ]
        expect(hint).to_have_text(text("Tap to place the first corner.", language))
        assert page.evaluate(HINT_IN_MAP)
        for count, ((x, y), said) in enumerate(zip(points, hints, strict=True), 1):
            page.touchscreen.tap(box["x"] + x, box["y"] + y)
            # A person's taps are further apart than Leaflet's 200 ms, within
            # which two taps make a double tap, which closes the area; and the
            # browser's click follows a tap within a few milliseconds.
            page.wait_for_timeout(300)
            expect(page.locator(".leaflet-editing-icon")).to_have_count(count)
            # As it is now: an error goes away by itself after 2.5 s.
            assert hint.text_content() == text(said, language), (language, count)
            assert page.locator(".leaflet-error-draw-tooltip").count() == 0
            assert page.evaluate(HINT_IN_MAP), (language, count)
        page.touchscreen.tap(box["x"] + points[0][0], box["y"] + points[0][1])

        expect(page).to_have_url(re.compile(r"[?&]area=p%3A"))
        area = area_parse(drawn_area(page))
        assert area.contains(park.perimeter) and len(area.coords[0]) == 5
        expect(
            page.get_by_role("button", name=text("Remove the drawn area", language))
        ).to_be_visible()
        assert visit.errors == []
