"""Maps that never fail: with every request outside the app blocked (no tile
server, as behind a strict proxy), the search and plot maps still draw the
territory's communes, the parks and the plots, say discreetly that the
background is missing, and log no error but the failed tiles."""

from urllib.parse import urlsplit

from sites.models import Plot
from tests.browser.conftest import PHONE, TILES


def offline(visit, base_url):
    """Block everything but the app, the tile server first."""
    context = visit.page.context
    context.unroute(TILES)
    app = urlsplit(base_url).netloc
    context.route(lambda url: urlsplit(url).netloc != app, lambda route: route.abort())


def errors_but_tiles(visit):
    return [
        error
        for error in visit.errors
        if not ("net::ERR_FAILED" in error or "tile.openstreetmap.org" in error)
    ]


def test_the_search_map_shows_the_territory_without_tiles(browse, site):
    for viewport, name in ((None, "desktop"), (PHONE, "phone")):
        visit = browse() if viewport is None else browse(viewport)
        offline(visit, site.url)
        visit.goto("/fr/recherche/")
        page = visit.page

        territory = page.locator(".leaflet-territory-pane path")
        territory.nth(150).wait_for(state="attached")
        assert territory.count() >= 150 + 3  # communes, borders, parks
        note = page.locator(".map-tiles-note")
        note.wait_for()
        assert "Fond de carte indisponible" in note.inner_text()
        # The plots are on the map all the same (the vector tiles' counts).
        page.locator("#search-map svg path.leaflet-interactive").first.wait_for()
        # The result cards show their plot's outline, from the app.
        thumbnail = page.locator(".result-thumbnail").first
        thumbnail.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0",
            arg=thumbnail.element_handle(),
        )
        visit.screenshot(f"search-offline-{name}")
        assert errors_but_tiles(visit) == []


def test_the_plot_map_shows_its_park_and_the_communes_without_tiles(browse, site):
    plot = Plot.objects.published().first()
    visit = browse()
    offline(visit, site.url)
    visit.goto(plot.get_absolute_url())
    page = visit.page
    page.locator(".leaflet-territory-pane path").nth(150).wait_for(state="attached")
    page.locator(".leaflet-overlay-pane path").first.wait_for()  # plot, perimeter
    page.locator(".map-tiles-note").wait_for()
    assert errors_but_tiles(visit) == []


def test_the_home_map_screenshots(browse, site):
    for viewport, name in ((None, "desktop"), (PHONE, "phone")):
        visit = browse() if viewport is None else browse(viewport)
        visit.goto("/fr/")
        picture = visit.page.locator(".territory-map svg")
        assert picture.bounding_box()["width"] > 300
        visit.screenshot(f"home-map-{name}")
        assert visit.errors == []
