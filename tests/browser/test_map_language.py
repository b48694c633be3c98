"""The maps speak the page's language, whatever the browser's."""

import json
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .search_map import TILES


def text(message, language):
    with translation.override(language):
        return translation.gettext(message)


def script_data(page, element_id):
    return json.loads(page.locator(f"#{element_id}").text_content())


@pytest.mark.parametrize(
    ("language", "status", "stage"),
    [
        ("en", "1 plot on the map", "Available"),
        ("fr", "1 terrain sur la carte", "Disponible"),
        ("nl", "1 kavel op de kaart", "Beschikbaar"),
    ],
)
def test_a_german_browser_gets_the_map_in_the_page_language(
    browse, language, status, stage
):
    """Controls, attribution, status line (its plural) and what the popups
    are built from: the page's words and addresses, never the browser's."""
    visit = browse(locale="de-DE")
    page = visit.page
    tiles = []
    page.on(
        "request",
        lambda r: (
            tiles.append(r.url) if urlsplit(r.url).path.startswith(TILES) else None
        ),
    )

    visit.goto(f"/{language}/recherche/?surface_min=40")  # one plot: 42 ha

    expect(page.locator("#map-status")).to_have_text(status)
    for selector, message in [
        (".leaflet-control-zoom-in", "Zoom in"),
        (".leaflet-control-zoom-out", "Zoom out"),
        (".leaflet-control-layers-toggle", "Layers"),
    ]:
        translated = text(message, language)
        assert language == "en" or translated != message
        expect(page.locator(selector)).to_have_attribute("title", translated)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        text("© OpenStreetMap contributors", language)
    )
    # Popups: the tiles carry no words (the same for every language), the
    # page gives the stage's name and the addresses of its plots and parks.
    assert tiles and all("lang" not in url for url in tiles)
    assert script_data(page, "search-map-text")["stages"]["available"] == stage
    for element_id in ("search-plot-url", "search-park-url", "search-compare-url"):
        assert script_data(page, element_id).startswith(f"/{language}/")
    assert visit.errors == []
