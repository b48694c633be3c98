"""The search map draws the search's vector tiles: every matching plot counted
in clusters at low zoom, outlined close up, with popups; it follows the
filters, pans and zooms without an error. A few hundred synthetic plots here;
test_search_map_scale.py walks the map at 100,000 plots, checking every tile
in view against the database."""

import re
from urllib.parse import parse_qs, urlsplit

import mapbox_vector_tile
from playwright.sync_api import expect

from sites.models import Plot
from sites.search import plot_search
from sites.synthetic import synthetic_generate

from .conftest import PHONE, Visit
from .search_map import TILES, is_tile, settled, zoom_of, zoomed_out

Y_DOWN = {"y_coord_down": True}  # as in the tile: its own square is [0, extent)


def answered_at(page, zoom, asked, answered):
    """The addresses of the tiles the map asked for at `zoom`, once every one
    of them was answered: the first answer at a zoom comes before the others,
    and the status line can be right before the last tile is in."""
    for _ in range(200):
        wanted = {url for url in asked if zoom_of(url) == zoom}
        if wanted and wanted <= answered:
            return wanted
        page.wait_for_timeout(50)
    raise AssertionError(f"tiles at zoom {zoom} still unanswered: {wanted - answered}")


def status_count(count):
    return re.compile(rf"^{count}\D")


def owned_plots(tile):
    """Plots counted by the clusters a tile owns (not those in its margin)."""
    clusters = tile.get("clusters")
    if not clusters:
        return 0
    extent = clusters["extent"]
    total = 0
    for feature in clusters["features"]:
        x, y = feature["geometry"]["coordinates"]
        if 0 <= x < extent and 0 <= y < extent:
            total += feature["properties"]["plots"]
    return total


def test_the_search_map_draws_every_matching_plot_from_tiles(browse):
    synthetic_generate(plots=300, spread="territory", seed=11)
    on_offer = Plot.objects.on_offer().count()
    visit = browse()
    page = visit.page
    tiles = []
    page.on(
        "response",
        lambda r: tiles.append(r) if urlsplit(r.url).path.startswith(TILES) else None,
    )
    asked, answered = [], set()
    page.on("request", lambda r: asked.append(r.url) if TILES in r.url else None)
    page.on("requestfinished", lambda r: answered.add(r.url))
    api = []
    page.on(
        "request", lambda r: api.append(r.url) if "plots.geojson" in r.url else None
    )

    visit.goto("/fr/recherche/")
    zoomed_out(page, 9)
    zoomed_out(page, 8)
    # At zoom 8 the whole territory is in view: every plot on offer is counted.
    expect(page.locator("#map-status")).to_have_text(status_count(on_offer))
    circles = page.locator("#search-map svg path.leaflet-interactive")
    expect(circles.first).to_be_visible()
    # The tiles the map asked for at this zoom hold them all (read again:
    # Playwright keeps no body for what the page read as a blob).
    drawn = answered_at(page, 8, asked, answered)
    assert all(t.ok for t in tiles if t.url in drawn)
    bodies = [page.request.get(address).body() for address in drawn]
    decoded = [mapbox_vector_tile.decode(b, default_options=Y_DOWN) for b in bodies]
    assert sum(owned_plots(tile) for tile in decoded) == on_offer

    # A filter redraws the tiles with the search's own parameters.
    page.get_by_label("Surface minimale (ha)").fill("3")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    search = plot_search(params={"surface_min": "3"})
    assert search.is_valid()
    wanted = search.qs.count()
    assert 0 < wanted < on_offer
    expect(page.locator("#map-status")).to_have_text(status_count(wanted))
    filtered = [t for t in tiles if "surface_min=3" in t.url]
    assert filtered and all(
        parse_qs(urlsplit(t.url).query) == {"surface_min": ["3"]} for t in filtered
    )

    # A cluster's popup says what it holds and zooms to the outlines. A
    # cluster by a tile's edge is drawn by the next tile too, whose copy may
    # lie on top of this one: clicked where it is drawn, either opens it.
    page.locator("#search-map svg path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(re.compile(r"\d+ terrains?, [\d,]+\s+ha"))
    popup.get_by_role("button", name="Zoom avant").click()
    # The zoom may not have started when the click returns: wait for the
    # close-up tiles themselves, not for an animation that is not there yet.
    for _ in range(100):
        if max(zoom_of(t.url) for t in tiles) >= 13:
            break
        page.wait_for_timeout(100)
    settled(page)
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^\d+\D"))
    assert max(zoom_of(t.url) for t in tiles) >= 13

    # Close up, an outline's popup names and links its plot.
    outline = page.locator("#search-map svg path.leaflet-interactive").first
    expect(outline).to_be_visible()
    outline.click()
    link = popup.get_by_role("link").first
    expect(link).to_have_attribute("href", re.compile(r"^/fr/terrains/[\w-]+/$"))
    name = link.inner_text()
    assert Plot.objects.on_offer().filter(name=name, surface_ha__gte=3).exists()

    # Panning fetches the new tiles only, and nothing goes wrong. The popup
    # closed first: a drag that starts on it does not move the map. Its close
    # button is clicked by event: the expanded layers control may lie over it.
    page.locator(".leaflet-popup-close-button").dispatch_event("click")
    expect(popup).to_have_count(0)
    before = len(tiles)
    box = page.locator("#search-map").bounding_box()
    with page.expect_response(is_tile):
        page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 20)
        page.mouse.down()
        page.mouse.move(box["x"] + 20, box["y"] + 20, steps=8)
        page.mouse.up()
    settled(page)
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^\d+\D"))
    # Every tile the pan asked for is in before the test ends (one answered
    # after it would find the test database closed, and log a 500).
    page.wait_for_load_state("networkidle")
    assert len(tiles) > before
    assert api == []  # the map draws tiles only
    assert visit.errors == []
    assert visit.foreign == []


def test_tiles_the_server_refuses_are_said_not_drawn_empty(
    browse, settings, monkeypatch
):
    """A tile answered with an error (here the limit on new searches' counts,
    TILE_COUNTS_PER_MINUTE; a server too busy answers 503 alike) is no tile:
    the map says it could not load the plots, rather than showing no plot
    there and counting them as none."""
    from django.test import Client
    from django.urls import reverse

    from core import limits

    settings.TILE_COUNTS_PER_MINUTE = 1
    # One window of the limit for the whole test (the server runs in a thread
    # of this process).
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_030.0)
    # This address's one count of the minute, spent on another search.
    spent = Client(REMOTE_ADDR="127.0.0.1").get(
        reverse("api-tiles", kwargs={"z": 9, "x": 260, "y": 172}), {"surface_min": 7}
    )
    assert spent.status_code == 200
    visit = browse()
    refused = []
    visit.page.on("response", lambda r: refused.append(r) if r.status == 429 else None)
    visit.goto("/fr/recherche/?surface_min=0.5")
    expect(visit.page.locator("#map-status")).to_have_text(
        "La carte n’a pas pu charger les terrains\xa0; la liste reste à jour."
    )
    assert refused and all(is_tile(response) for response in refused)
    # The browser reports each refused tile in its console; nothing else.
    assert visit.errors
    assert all("status of 429" in error for error in visit.errors), visit.errors


def test_without_javascript_no_map_only_checkbox_is_offered(browser, site):
    """The "Only what is in the map view" checkbox needs the map, which needs
    JavaScript: without it the checkbox stays hidden (the page's `hidden`,
    which the form's field style must not undo), and the filters work."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        visit = Visit(context.new_page(), site.url)
        page = visit.page
        visit.goto("/en/recherche/")
        expect(page.get_by_label("Only what is in the map view")).to_be_hidden()
        expect(page.locator("#area-tools")).to_be_hidden()
        page.get_by_label("Rail siding").check()
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"rail=on\b"))
        expect(page.get_by_label("Only what is in the map view")).to_be_hidden()
    finally:
        context.close()
