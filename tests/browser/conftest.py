"""A real browser on the running app: Playwright driving Debian's Chromium.

`./dev test` installs the `chromium` package when it is missing; Playwright's
own browser downloads are never used (set CHROMIUM to point at another build).
One browser serves the whole package; each test gets a fresh context and page.
The only thing not served by the app is the map background: OpenStreetMap
tiles are answered with a plain local image, so no test leaves the machine.
"""

import os
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TILES = "**/tile.openstreetmap.org/**"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _plain_png(size=256, rgb=(0xE9, 0xEC, 0xE6)):
    """A one-colour PNG tile, written by hand (no image library needed)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    rows = (b"\x00" + bytes(rgb) * size) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


TILE_PNG = _plain_png()


@pytest.fixture(scope="package")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"no Chromium at {CHROMIUM}: `./dev test` installs Debian's `chromium` "
            "package (or set CHROMIUM=/path/to/chromium)"
        )
    # Playwright's synchronous API keeps an asyncio loop running in this
    # thread, which makes Django refuse ORM calls here ("async context"),
    # although nothing here is async. Allowed while the browser is open only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, browser, demo):
    """The app served for real (in a thread, on the test database) with the
    demo content. `live_server` makes the test transactional: what it writes
    is committed, and tests/conftest.py puts the content back for the next
    test."""
    return live_server


class Visit:
    """A page on the live app, with what went wrong in it along the way."""

    def __init__(self, page, base_url, screenshots=None):
        self.page = page
        self.base_url = base_url
        self.screenshots = screenshots  # where to write them, if asked
        self.errors = []  # console errors and uncaught exceptions
        self.foreign = []  # requests to any host but the app (tiles aside)
        self.pending = set()  # requests not answered yet
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("request", self._request)
        page.on("requestfinished", self._answered)
        page.on("requestfailed", self._answered)

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console.error: {message.text} ({where})")

    def _request(self, request):
        self.pending.add(request)
        host = urlsplit(request.url).netloc
        if request.url.startswith(("data:", "blob:")):
            return
        if host != urlsplit(self.base_url).netloc and host != "tile.openstreetmap.org":
            self.foreign.append(request.url)

    def _answered(self, request):
        self.pending.discard(request)

    def answered(self, seconds=10):
        """Waits until every request the page made is answered (a map's tiles
        are asked for as it moves): one answered after the test would find
        its database gone, and the app would log a 500."""
        deadline = time.monotonic() + seconds
        while self.pending and time.monotonic() < deadline:
            if self.page.is_closed():
                return
            self.page.wait_for_timeout(50)

    def goto(self, path):
        """Open a page of the app; an error page fails the test here."""
        response = self.page.goto(self.base_url + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def screenshot(self, name):
        """Written only when asked (`./dev test --screenshots`): a test run
        leaves the working tree as it found it."""
        if self.screenshots is None:
            return
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self.screenshots / f"{name}.png", full_page=True)


def _tile(route):
    route.fulfill(status=200, content_type="image/png", body=TILE_PNG)


def pytest_itemcollected(item):
    """Every test here is a browser test: `./dev test -m "not browser"` leaves
    them out."""
    item.add_marker(pytest.mark.browser)


@pytest.fixture
def browse(browser, site, pytestconfig):
    """`browse()` opens a fresh browser context on the app and returns its
    Visit: `visit.goto(path)`, `visit.page` (the Playwright page)."""
    contexts, visits = [], []

    def open_visit(viewport=DESKTOP, locale="fr-FR", touch=False):
        # The locale is also the browser's Accept-Language. `touch`: a tablet
        # or phone, whose one pointer is a finger (CSS `pointer: coarse`).
        context = browser.new_context(
            viewport=viewport,
            locale=locale,
            timezone_id="Europe/Paris",
            has_touch=touch,
            is_mobile=touch,
        )
        context.set_default_timeout(10_000)
        context.route(TILES, _tile)
        contexts.append(context)
        screenshots = SCREENSHOTS if pytestconfig.getoption("screenshots") else None
        visits.append(Visit(context.new_page(), site.url, screenshots))
        return visits[-1]

    yield open_visit
    for visit in visits:
        visit.answered()
    for context in contexts:
        context.close()


@pytest.fixture
def quick_sender(settings):
    """Turns the time trap off for a test that sends a form within a second.
    A bound of 0 is not enough: a plot page's token is dated at the next whole
    second (antispam.page_form_token), so a form sent in the second it was
    loaded looks younger than 0 and is flagged as a robot's, and a flagged lead
    gets no acknowledgement. Its age is always above -1."""
    settings.LEADS_FORM_MIN_SECONDS = settings.LEADS_CONFIRM_MIN_SECONDS = -1
