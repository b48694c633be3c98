"""The listings cache: a second visit costs no query, and an edit shows at once."""

import json
import os
import re

import pytest
import redis
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from ambassadors.models import Ambassador
from core.caching import (
    cache_listings_page,
    kept_by_nobody,
    listings_cached,
    listings_version,
    nothing_kept,
)
from sites.models import Contact, Plot
from sites.territory import territory_import

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
SEARCH = reverse("sites:search")
API = reverse("api-plots")


@pytest.fixture
def plot(demo):
    return Plot.objects.get(surface_ha=42)


def pages(plot):
    return [
        HOME,
        f"{SEARCH}?surface_min=40",
        API,
        plot.get_absolute_url(),
        plot.park.get_absolute_url(),
    ]


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]


def test_a_second_visit_is_served_from_the_cache(
    client, plot, django_assert_num_queries, django_assert_max_num_queries
):
    whole_pages, sheets = pages(plot)[:3], pages(plot)[3:]
    for url in whole_pages:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    for url in sheets:  # their facts and sheet: what is left is per visitor
        with django_assert_max_num_queries(100) as first:
            client.get(url)
        with django_assert_max_num_queries(len(first.captured_queries) - 3):
            assert client.get(url).status_code == 200


def test_a_saved_plot_shows_at_once_everywhere(client, plot):
    for url in pages(plot):
        client.get(url)
    plot.name = "Lot renamed by staff"
    plot.cadastral_surface_ha = 43
    plot.save()
    assert "318&nbsp;ha" in client.get(HOME).text  # 317 ha available, + 1
    for url in pages(plot)[1:]:
        assert "Lot renamed by staff" in client.get(url).text, url


def test_a_deleted_plot_leaves_the_search_and_the_map(client, plot):
    url = plot.get_absolute_url()
    for page in pages(plot):
        client.get(page)
    plot.delete()
    assert plot.name not in client.get(f"{SEARCH}?surface_min=40").text
    assert plot.name not in client.get(API).text
    assert plot.name not in client.get(plot.park.get_absolute_url()).text
    assert client.get(url).status_code == 404


def test_what_is_shown_with_a_plot_invalidates_it_too(client, plot):
    client.get(plot.get_absolute_url())
    contact = Contact.objects.filter(organisation=plot.organisation).first()
    contact.email = "nouveau.contact@example.fr"
    contact.save()
    assert "nouveau.contact@example.fr" in client.get(plot.get_absolute_url()).text

    client.get(HOME)
    ambassador = Ambassador.objects.featured().first()
    ambassador.quote = "Une citation toute neuve"
    ambassador.save()
    assert "Une citation toute neuve" in client.get(HOME).text


def test_the_version_changes_again_on_commit(plot, django_capture_on_commit_callbacks):
    """A page built from the old rows between the save and the commit must not
    be kept: the version moves once more when the edit is committed."""
    with django_capture_on_commit_callbacks() as callbacks:
        plot.save()
    before_commit = listings_version()
    for callback in callbacks:
        callback()
    assert listings_version() != before_commit


def test_each_language_and_query_has_its_own_entry(client, plot):
    assert '<html lang="fr">' in client.get(HOME).text
    assert '<html lang="en">' in client.get(HOME.replace("/fr/", "/en/")).text
    every = client.get(SEARCH).context["page"].paginator.count
    assert client.get(f"{SEARCH}?surface_min=40").text.count('class="result"') == 1
    assert client.get(SEARCH).text.count('class="result"') == min(every, 20)

    def stages(language, browser):
        # The page names its language; the browser's never picks the entry.
        response = client.get(API, {"lang": language}, HTTP_ACCEPT_LANGUAGE=browser)
        collection = json.loads(response.content)
        return {feature["properties"]["stage"] for feature in collection["features"]}

    assert "Disponible" in stages("fr", "en")
    assert "Available" in stages("en", "fr")
    assert "Disponible" in stages("fr", "fr")


def test_invalid_searches_are_not_cached(client, django_assert_max_num_queries):
    for _ in range(2):
        assert client.get(API, {"surface_min": "nan"}).status_code == 400
        response = client.get(SEARCH, {"surface_min": "nan"})
        assert response.status_code == 400
        assert response.context is not None  # rendered, not replayed


def test_the_plot_page_gives_each_visitor_a_valid_csrf_token(client, plot):
    url = plot.get_absolute_url()
    first = client.get(url)
    other = Client(enforce_csrf_checks=True)
    second = other.get(url)
    assert csrf_token(first) != csrf_token(second)
    assert second.cookies["csrftoken"].value
    # The token served to the second visitor passes the CSRF check of its form.
    action = re.search(r'<form method="post" action="([^"]+)"', second.text)[1]
    response = other.post(action, {"csrfmiddlewaretoken": csrf_token(second)})
    assert response.status_code != 403


def test_the_territory_import_invalidates_too(db):
    """It writes communes in bulk, which sends no post_save."""
    before = listings_version()
    territory_import()
    assert listings_version() != before


def _form_page(request):
    get_token(request)
    return HttpResponse("<form method=post>")


def _nonce_page(request):
    request._csp_nonce = "made-for-this-request"  # as django-csp on first use
    return HttpResponse("<script nonce=...>")


def _session_page(request):
    request.session.accessed = True
    return HttpResponse("Hello, you")


def _private_page(request):
    # A staff preview (sites.previews): nothing of the visitor's in it that
    # the page cache could see, only its own word.
    return kept_by_nobody(HttpResponse("Preview"))


@pytest.mark.parametrize(
    "page", [_form_page, _nonce_page, _session_page, _private_page]
)
def test_what_is_made_for_one_visitor_is_never_cached_whole(rf, page):
    calls = []

    @cache_listings_page
    def view(request):
        calls.append(request)
        return page(request)

    for _ in range(2):
        request = rf.get("/fr/")
        request.session = SessionStore()
        view(request)
    assert len(calls) == 2


def test_map_views_are_not_cached(client, demo, django_assert_max_num_queries):
    url = reverse("api-plots") + "?bbox=2.5,50.3,3.2,50.7"
    client.get(url)
    with django_assert_max_num_queries(1) as queries:
        client.get(url)
    assert len(queries.captured_queries) == 1  # computed again, not cached


def test_batched_changes_bump_the_version_once_on_the_way_out(demo, monkeypatch):
    from core import caching

    plots = list(Plot.objects.all()[:3])
    assert len(plots) == 3
    bumps = []
    real_bump = caching._version_bump
    monkeypatch.setattr(caching, "_version_bump", lambda: bumps.append(real_bump()))
    before = listings_version()
    with caching.listings_changes_batched():
        for plot in plots:
            plot.save()
        assert bumps == [] and listings_version() == before
    assert listings_version() != before
    # Once now, once more when the test's transaction would commit.
    assert len(bumps) == 1


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"
)
def test_emptying_the_cache_between_tests_leaves_other_keys_alone():
    """Another worker's Celery messages share the Redis database."""
    from django.conf import settings as django_settings
    from django.core.cache import cache

    from tests.conftest import cache_clear

    client = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    client.set("not-this-runs-cache", "kept")
    try:
        cache.set("this-runs-cache", 1)
        cache_clear()
        assert cache.get("this-runs-cache") is None
        assert client.get("not-this-runs-cache") == b"kept"
    finally:
        client.delete("not-this-runs-cache")


def test_a_private_page_is_served_early_to_nobody(client, plot, monkeypatch):
    """Even built for a visitor without a session, a page kept by nobody is
    not kept for the next one by PageCacheMiddleware."""
    from sites import views

    def built_for_one(request, plot, preview):
        return kept_by_nobody(HttpResponse(f"For you: {plot.name}"))

    monkeypatch.setattr(views, "_plot_page", built_for_one)
    url = plot.get_absolute_url()
    for _ in range(2):
        response = Client().get(url)
        assert response["Cache-Control"] == "private, no-store"
        assert hasattr(response.wsgi_request, "session")  # the whole stack ran


def test_nothing_is_kept_inside_nothing_kept(db, monkeypatch):
    """Computed there (for a staff preview), a value is neither stored nor
    held; one stored before is still read."""
    from cachetools import LRUCache

    from core import caching

    # This test's own worker memory: the process's holds earlier tests' values.
    monkeypatch.setattr(
        caching, "_held", LRUCache(maxsize=10_000, getsizeof=caching._held_size)
    )
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with nothing_kept():
        assert listings_cached("t", compute, held=True) == 1
        assert listings_cached("t", compute, held=True) == 2
    assert len(caching._held) == 0
    assert listings_cached("t", compute) == 3
    with nothing_kept():
        assert listings_cached("t", compute) == 3
    assert listings_cached("t", compute) == 3
