"""Which language a visitor lands on, and x-default, the same in the sitemap
and in the pages' alternate links."""

import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings

from tests.portal.sitemaps import sitemap_pages

pytestmark = pytest.mark.django_db
XHTML = "{http://www.w3.org/1999/xhtml}link"
SITEMAP_URL = "{http://www.sitemaps.org/schemas/sitemap/0.9}url"
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


@pytest.mark.parametrize(
    ("accept_language", "landing"),
    [
        ("de-DE,de;q=0.9", "/en/"),
        ("es", "/en/"),
        ("de-CH, it;q=0.5", "/en/"),
        ("fr-BE,fr;q=0.9", "/fr/"),
        ("fr-CH", "/fr/"),
        ("fr-CA", "/fr/"),
        ("nl-BE", "/nl/"),
        ("de, nl;q=0.5", "/nl/"),
        ("en-US,en;q=0.9", "/en/"),
        ("", "/fr/"),  # no preference stated: the portal's own language
        ("*", "/fr/"),
    ],
)
def test_a_visitor_lands_on_their_language_or_english(client, accept_language, landing):
    response = client.get("/recherche/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == f"{landing}recherche/"


def test_a_chosen_language_beats_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = client.get("/", headers={"accept-language": "de"})

    assert response["Location"] == "/nl/"


def test_a_language_in_the_path_is_never_overridden(client):
    response = client.get("/fr/recherche/", headers={"accept-language": "de"})

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"


def test_x_default_agrees_between_the_sitemap_and_the_pages(client, content):
    pages = [
        ElementTree.fromstring(text.encode()) for text in sitemap_pages(client).values()
    ]
    checked = 0
    for url in (url for page in pages for url in page.iter(SITEMAP_URL)):
        loc = url.find(SITEMAP_LOC).text
        if not urlsplit(loc).path.startswith("/nl/"):
            continue  # one language's pages: their alternates name the others
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.iter(XHTML)
        }
        html = client.get(urlsplit(loc).path).content.decode()
        in_page = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
        )
        assert alternates["x-default"] == in_page["x-default"], loc
        assert alternates["x-default"] == alternates["en"], loc
        assert in_page == alternates, loc
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("code", ["fr", "en", "nl"])
def test_the_language_switch_marks_the_page_and_keeps_its_query(client, settings, code):
    settings.LISTINGS_PAGE_CACHE = False  # the switch as built, not as kept
    html = client.get(f"/{code}/recherche/?surface_min=5&sort=-surface").text
    switch = re.search(r'<ul class="lang-switch">(.*?)</ul>', html, re.S)[1]
    items = re.findall(
        r'<li><a href="([^"]+)" hreflang="(\w+)" lang="\2"( aria-current="page")?>',
        switch,
    )
    assert [(other, bool(current)) for _path, other, current in items] == [
        (other, other == code) for other, _name in settings.LANGUAGES
    ]
    assert all(path.endswith("?sort=-surface&amp;surface_min=5") for path, *_ in items)
    # The links follow the public address (kept per address and SITE_URL).
    settings.SITE_URL = "https://elsewhere.example"
    html = client.get(f"/{code}/recherche/?surface_min=5&sort=-surface").text
    assert 'hreflang="x-default" href="https://elsewhere.example/en/recherche/' in html
