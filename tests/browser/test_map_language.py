"""The maps speak the page's language, whatever the browser's."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from sites.models import Plot

from .test_journey import wait_for_search_map

API = "/api/v1/plots.geojson"


def text(message, language):
    with translation.override(language):
        return translation.gettext(message)


def test_a_german_browser_on_the_english_search_gets_english_popups(browse):
    plot = Plot.objects.get(surface_ha=42)  # the only one of 40 ha or more
    visit = browse(locale="de-DE")
    page = visit.page
    asked = []
    page.on(
        "request",
        lambda request: (
            asked.append(request.url) if urlsplit(request.url).path == API else None
        ),
    )

    visit.goto("/en/recherche/?surface_min=40")
    wait_for_search_map(page)

    expect(page.locator("#map-status")).to_have_text("1 plot on the map")
    assert asked and all(
        parse_qs(urlsplit(url).query)["lang"] == ["en"] for url in asked
    )
    marker = page.locator("#search-map .leaflet-marker-icon")
    expect(marker).to_have_attribute("alt", plot.name)
    marker.click()
    popup = page.locator("#search-map .leaflet-popup-content")
    expect(popup.get_by_role("link", name=plot.name)).to_have_attribute(
        "href", f"/en/terrains/{plot.slug}/"
    )
    expect(popup).to_contain_text("Available")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute(
        "title", "Zoom in"
    )
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "© OpenStreetMap contributors"
    )
    assert visit.errors == []


@pytest.mark.parametrize(
    ("language", "status"),
    [("fr", "1 terrain sur la carte"), ("nl", "1 perceel op de kaart")],
)
def test_leaflet_controls_and_the_status_line_are_in_the_page_language(
    browse, language, status
):
    visit = browse(locale="de-DE")
    page = visit.page

    visit.goto(f"/{language}/recherche/?surface_min=40")
    wait_for_search_map(page)

    expect(page.locator("#map-status")).to_have_text(status)
    for selector, message in [
        (".leaflet-control-zoom-in", "Zoom in"),
        (".leaflet-control-zoom-out", "Zoom out"),
        (".leaflet-control-layers-toggle", "Layers"),
    ]:
        translated = text(message, language)
        assert translated != message
        expect(page.locator(selector)).to_have_attribute("title", translated)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        text("© OpenStreetMap contributors", language)
    )
    page.locator("#search-map .leaflet-marker-icon").click()
    links = page.locator("#search-map .leaflet-popup-content a")
    expect(links.first).to_have_attribute(
        "href", re.compile(rf"^/{language}/terrains/")
    )
    # Every link of the popup (the comparison's too) stays in the language.
    hrefs = links.evaluate_all("links => links.map((link) => link.pathname)")
    assert hrefs and all(href.startswith(f"/{language}/") for href in hrefs)
    assert visit.errors == []
