"""Steps on the search map shared by the browser tests."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

TILES = "/api/v1/tiles/"


def wait_for_search_map(page):
    """The map has drawn its tiles once its status line counts what they
    hold, and has stopped moving once no zoom animation is running."""
    expect(page.locator("#map-status")).to_have_text(re.compile(r"\S"))
    expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)


def zoom_of(url):
    return int(urlsplit(url).path[len(TILES) :].split("/")[0])


def settled(page):
    expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)


def is_tile(response, zoom=None):
    path = urlsplit(response.url).path
    return path.startswith(TILES) and (zoom is None or zoom_of(response.url) == zoom)


def zoomed_out(page, zoom, label="Zoom arrière"):
    """Click "zoom out" and wait for the map's tiles at `zoom`. Leaflet starts
    a zoom at the next animation frame and drops a zoom asked for while one is
    running, so a second click before that frame would zoom from the same
    level again: waiting for the animation alone is not enough."""
    with page.expect_response(lambda response: is_tile(response, zoom)):
        page.get_by_role("button", name=label).click()
    settled(page)
    page.wait_for_load_state("networkidle")
