"""Cached pages served early (core.caching.PageCacheMiddleware): to an anonymous
visitor, the same response as the whole middleware stack gives, without it."""

import gzip
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from sites.models import Plot
from tests.core.test_caching import pages as cached_pages
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
SEARCH = reverse("sites:search")
TILE = reverse("api-tiles", kwargs={"z": 9, "x": 260, "y": 172})
API = reverse("api-plots")
# What differs between two visitors of a plot page: their CSRF token and the
# form's signed time.
PER_VISITOR = re.compile(rb'(name="(?:csrfmiddlewaretoken|issued)" value=)"[^"]*"')


@pytest.fixture
def plot(demo):
    return Plot.objects.get(surface_ha=42)


def pages(plot):
    """The cached pages test_caching.py visits, and a tile."""
    return [*cached_pages(plot), TILE]


def early(response):
    """Served before the session middleware ran, so without the stack."""
    return not hasattr(response.wsgi_request, "session")


def test_a_cached_page_is_served_early_as_the_whole_stack_serves_it(plot):
    for url in pages(plot):
        first, second = Client().get(url), Client().get(url)
        assert not early(first) and early(second), url
        assert second.status_code == 200
        for response in (first, second):  # the signed time's length varies
            assert int(response["Content-Length"]) == len(response.content)
            del response["Content-Length"]
        assert dict(second.items()) == dict(first.items()), url
        assert PER_VISITOR.sub(rb"\1", second.content) == PER_VISITOR.sub(
            rb"\1", first.content
        ), url
        assert set(second.cookies) == set(first.cookies), url


def test_a_browser_asking_for_gzip_gets_what_the_whole_stack_compresses(plot):
    for url in pages(plot):
        first = Client().get(url, headers={"Accept-Encoding": "gzip"})
        second = Client().get(url, headers={"Accept-Encoding": "gzip"})
        assert not early(first) and early(second), url
        for response in (first, second):
            assert response["Content-Encoding"] == "gzip", url
            assert int(response["Content-Length"]) == len(response.content)
            response.body = PER_VISITOR.sub(rb"\1", gzip.decompress(response.content))
            response.vary = {field.strip() for field in response["Vary"].split(",")}
            for header in ("Content-Length", "Vary"):
                del response[header]
        assert second.body == first.body, url
        assert second.vary == first.vary, url
        assert dict(second.items()) == dict(first.items()), url


def test_an_early_plot_page_gives_each_visitor_a_working_form(plot):
    url = plot.get_absolute_url()
    Client().get(url)
    for visitor in (Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)):
        visitor.get(HOME)  # one with a CSRF cookie already, one without
        response = visitor.get(url)
        assert early(response)
        token = re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content
        )
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)[1]
        sent = visitor.post(action, {"csrfmiddlewaretoken": token[1].decode()})
        assert sent.status_code != 403
    newcomer = Client().get(url)
    assert early(newcomer) and newcomer.cookies["csrftoken"].value
    assert "Cookie" in newcomer["Vary"]


def test_an_edit_shows_at_once_on_early_pages(plot):
    for url in pages(plot):
        Client().get(url)
        assert early(Client().get(url))
    plot.name = "Lot renamed by staff"
    plot.save()
    for url in pages(plot)[1:-1]:  # not the home nor the tile: no plot names
        response = Client().get(url)
        assert not early(response)
        assert "Lot renamed by staff" in response.text, url


@pytest.mark.parametrize(
    "how",
    [
        "signed in",
        "message waiting",
        "conditional",
        "head",
        "other spelling",
        "filtered tile",
        "cache off",
    ],
)
def test_who_and_what_takes_the_whole_stack(plot, how, settings):
    url = plot.get_absolute_url()
    if how == "filtered tile":  # its filter's canonical address is kept whole
        url = f"{TILE}?surface_min=40&utm_campaign=spring"
    if how == "other spelling":
        url = f"{SEARCH}?utm_campaign=spring&surface_min=40"
    visitor = Client()
    headers = {}
    if how == "signed in":
        visitor.force_login(staff_user("call"))
    if how == "message waiting":
        visitor.cookies["messages"] = "anything"
    if how == "conditional":
        headers["If-None-Match"] = '"not-the-tag"'
    if how == "cache off":
        settings.LISTINGS_PAGE_CACHE = False
    method = visitor.head if how == "head" else visitor.get
    for _ in range(3):
        response = method(url, headers=headers)
        assert response.status_code == 200
        assert not early(response), how


def test_an_address_for_another_host_is_refused_before_the_cache(plot):
    url = plot.get_absolute_url()
    Client().get(url)
    assert early(Client().get(url))
    assert Client().get(url, HTTP_HOST="attacker.example").status_code == 400


def test_pages_never_cached_ask_the_cache_for_nothing_early(demo, monkeypatch):
    from core import caching

    asked = []
    real = caching._held_get
    monkeypatch.setattr(
        caching, "_held_get", lambda key: asked.append(key) or real(key)
    )

    def early_asks():
        return [key for key in asked if key.startswith(caching.EARLY_PREFIX)]

    Client().get(reverse("sites:compare"))
    assert early_asks() == []
    Client().get(HOME)
    assert len(early_asks()) == 1


def test_each_slot_of_a_page_gets_one_value_per_visitor(monkeypatch, rf):
    # A page's slots are cut out once (core.caching._slots_split), then filled
    # for each answer: a slot met twice gets the same value, asked once.
    from core import caching

    asked = []
    monkeypatch.setattr(caching, "_visitor_slots", {})
    caching._slot_pattern.cache_clear()
    caching.visitor_slot_register("@@a@@", lambda request: asked.append("a") or "A1")
    caching.visitor_slot_register("@@b@@", lambda request: "B1")
    parts = caching._slots_split(b"<p>@@a@@ and @@b@@, @@a@@ again</p>")
    assert caching._slots_filled(parts, rf.get("/")) == b"<p>A1 and B1, A1 again</p>"
    assert asked == ["a"]
    assert caching._slots_split(b"<p>no slot</p>") == [b"<p>no slot</p>"]
    monkeypatch.undo()
    caching._slot_pattern.cache_clear()


def test_a_plot_page_for_a_browser_is_compressed_once_and_its_tokens_joined(plot):
    # The page's text is compressed when the entry is written; each answer
    # puts this visitor's tokens between its pieces (core.caching._gzip_joined).
    url = plot.get_absolute_url()
    gzip_asked = {"Accept-Encoding": "gzip"}
    Client().get(url, headers=gzip_asked)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url, headers=gzip_asked)
    assert early(response) and response["Content-Encoding"] == "gzip"
    # As a browser inflates it: as a stream, a gzip member with its checks.
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    html = inflate.decompress(response.content) + inflate.flush()
    assert inflate.eof and not inflate.unused_data
    assert html == gzip.decompress(response.content)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert b"@@" not in html
    action = re.search(rb'<form method="post" action="([^"]+)"', html)[1].decode()
    sent = visitor.post(action, {"csrfmiddlewaretoken": token.decode()})
    assert sent.status_code != 403
    # Another visitor: other tokens in the same compressed text.
    other = gzip.decompress(Client().get(url, headers=gzip_asked).content)
    assert other != html
    assert PER_VISITOR.sub(rb"\1", other) == PER_VISITOR.sub(rb"\1", html)


def test_a_long_slot_value_is_stored_in_blocks_a_gzip_reader_joins():
    from core import caching

    texts = [b"<p>" * 3000, b"</p>" * 10, b""]
    parts = [texts[0], b"@@a@@", texts[1], b"@@b@@", texts[2]]
    values = {b"@@a@@": b"x" * 70_000, b"@@b@@": b""}
    content = caching._joined(parts, values)
    body = caching._gzip_joined(caching._deflated_apart(texts), parts, values, content)
    assert gzip.decompress(body) == content


def whole(response):
    """Served before the locale middleware ran, so before any middleware."""
    return not hasattr(response.wsgi_request, "LANGUAGE_CODE")


@pytest.mark.parametrize("url", [TILE, f"{TILE}?surface_min=1", API])
@pytest.mark.parametrize("language", ["fr-FR,fr;q=0.9", "nl-BE", "ja", ""])
@pytest.mark.parametrize("encoding", ["gzip, deflate, br", ""])
def test_a_tile_or_an_api_answer_is_served_whole_before_any_middleware(
    demo, url, language, encoding
):
    headers = {"Accept-Language": language, "Accept-Encoding": encoding}
    first = Client().get(url, headers=headers)
    second = Client().get(url, headers=headers)
    assert not whole(first) and whole(second)
    assert second.status_code == 200
    assert second.content == first.content
    assert dict(second.items()) == dict(first.items())
    # What the middleware it skipped would have written is there: the tile in
    # the browser's language, the API in its `lang` (French without it).
    chosen = {"fr": "fr", "nl": "nl", "ja": "en"}.get(language[:2], "fr")
    assert second["Content-Language"] == (chosen if url != API else "fr")
    assert second["X-Content-Type-Options"] == "nosniff"
    assert ("Content-Encoding" in second) == bool(encoding)
    assert {"Accept-Encoding", "Accept-Language"} <= {
        field.strip() for field in second["Vary"].split(",")
    }


def test_pages_with_a_visitor_part_are_not_served_whole(plot):
    for url in pages(plot):
        if url in (TILE, API):
            continue
        Client().get(url)
        response = Client().get(url)
        assert early(response) and not whole(response), url


def test_an_edit_rebuilds_the_whole_answers(plot):
    for url in (TILE, API):
        Client().get(url)
        assert whole(Client().get(url))
    plot.name = "Lot renamed by staff"
    plot.save()
    for url in (TILE, API):
        response = Client().get(url)
        assert not whole(response) and response.status_code == 200, url
        assert whole(Client().get(url)), url
    assert "Lot renamed by staff" in Client().get(API).text


def test_a_plain_http_request_is_redirected_not_served_whole(demo, settings):
    settings.SECURE_SSL_REDIRECT = True
    Client().get(TILE, secure=True)
    assert whole(Client().get(TILE, secure=True))
    for _ in range(2):
        response = Client().get(TILE)
        assert response.status_code == 301
        assert response["Location"].startswith("https://")


def test_every_language_no_one_has_makes_one_entry(demo, monkeypatch):
    from core import caching

    asked = []
    real = caching._held_get
    monkeypatch.setattr(
        caching, "_held_get", lambda key: asked.append(key) or real(key)
    )
    for language in ("ja", "de-DE,de;q=0.9", "zh-Hant-TW", "xx-junk", "en-GB"):
        Client().get(TILE, headers={"Accept-Language": language})
    keys = {key for key in asked if key.startswith(caching.WHOLE_PREFIX)}
    assert len(keys) == 1


def test_each_language_and_encoding_has_its_own_whole_answer(demo):
    asked = [
        (language, encoding)
        for language in ("fr", "nl", "en")
        for encoding in ("gzip", "identity")
    ]
    for _ in range(2):  # built, then served whole
        for language, encoding in asked:
            response = Client().get(
                TILE, headers={"Accept-Language": language, "Accept-Encoding": encoding}
            )
            assert response["Content-Language"] == language
            assert response.get("Content-Encoding") == (
                "gzip" if encoding == "gzip" else None
            )
    assert whole(response)


def test_a_filtered_tile_is_kept_whole_at_its_canonical_address_only(demo, monkeypatch):
    from core import caching

    written = []
    real = caching.cache.set

    def recorded(key, *args, **kwargs):
        if key.startswith(caching.WHOLE_PREFIX):
            written.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "set", recorded)
    canonical = f"{TILE}?rail=on&surface_min=2"
    Client().get(canonical)
    assert whole(Client().get(canonical))
    assert len(written) == 1
    for other in (
        f"{TILE}?surface_min=2&rail=on",  # as the map never writes it
        f"{TILE}?rail=on&surface_min=2&utm_campaign=x",
        f"{TILE}?rail=on&sort=-surface&surface_min=2",
        f"{TILE}?rail=on&surface_min=2&vocation=",
    ):
        for _ in range(2):
            response = Client().get(other)
            assert response.status_code == 200 and not whole(response), other
            assert response.content == Client().get(canonical).content, other
    assert len(written) == 1  # none of those made an entry


def test_a_page_served_again_reads_only_the_version_from_the_cache(plot, monkeypatch):
    """The worker holds the page it stored or read (core.caching._held): a
    hit reads only the listings version, and a change still shows at once."""
    from core.caching import VERSION_KEY
    from tests.core.test_fragments import cache_reads

    url = plot.get_absolute_url()
    Client().get(url)
    reads = cache_reads(monkeypatch)
    response = Client().get(url)
    assert early(response) and b"@@" not in response.content
    assert reads == [[VERSION_KEY]]
    plot.name = "Lot renamed while held"
    plot.save()
    assert "Lot renamed while held" in Client().get(url).content.decode()
    again = Client().get(url)
    assert early(again) and "Lot renamed while held" in again.content.decode()


def test_a_worker_holds_the_most_recently_used_within_its_bytes(monkeypatch):
    from cachetools import LRUCache

    from core import caching

    held = LRUCache(maxsize=10_000, getsizeof=caching._held_size)
    monkeypatch.setattr(caching, "_held", held)
    caching._hold("a", 1, (b"a" * 4000, {"h": "v"}))
    caching._hold("b", 1, b"b" * 4000)
    caching._hold("too big", 1, b"x" * 20_000)  # refused, nothing evicted
    assert set(held) == {"a", "b"}
    assert caching._held_entry("a")[1][0] == b"a" * 4000  # now the latest used
    caching._hold("c", 1, b"c" * 4000)
    assert set(held) == {"a", "c"}
    assert held.currsize <= held.maxsize
    caching._hold("d", None, b"d")  # the cache is down: not held
    assert "d" not in held
