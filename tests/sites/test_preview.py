"""A staff member's preview of an unpublished plot or park (sites/previews.py):
its public page with a banner, for those who may change it in the admin only,
kept by no cache."""

import re

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import caching
from sites.models import BusinessPark, Plot, StaffMembership
from tests.conftest import cache_clear
from tests.factories import staff_user, view_only_staff
from tests.portal.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

BANNERS = {
    "fr": "Aperçu\xa0: cette fiche n’est pas publiée",
    "en": "Preview: this listing is not published",
    "nl": "Voorbeeld: deze vermelding is niet gepubliceerd",
}
# What differs between two visitors of a page: their CSRF token and the
# contact form's signed time.
PER_VISITOR = re.compile(rb'(name="(?:csrfmiddlewaretoken|issued)" value=)"[^"]*"')


def call_plot():
    return Plot.objects.filter(park__organisation__slug="call").first()


def call_park():
    return BusinessPark.objects.filter(organisation__slug="call").first()


def unpublished(listing):
    # update(): no signal, so no version bump; the tests ask for no page before.
    type(listing).objects.filter(pk=listing.pk).update(is_published=False)
    return listing


@pytest.fixture(params=["plot", "park"])
def listing(request, demo):
    return unpublished(call_plot() if request.param == "plot" else call_park())


@pytest.fixture
def call_staff(client):
    client.force_login(staff_user("call"))
    return client


def admin_url(listing):
    opts = listing._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_change"
    return reverse(name, args=[listing.pk])


def assert_preview(response, listing, language="fr"):
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNERS[language] in html
    assert f'<a href="{admin_url(listing)}">' in html
    assert listing.name in html
    return html


def test_staff_who_may_change_it_see_its_page_with_a_banner(call_staff, listing):
    response = call_staff.get(listing.get_absolute_url())
    html = assert_preview(response, listing)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html


def test_a_preview_sends_no_lead(call_staff, listing):
    """A lead sent from a preview would reach the developers as an investor's."""
    html = call_staff.get(listing.get_absolute_url()).content.decode()
    kind = "plot" if isinstance(listing, Plot) else "park"
    assert reverse(f"leads:{kind}", args=[listing.slug]) not in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert "Le formulaire de contact s’affiche ici une fois la fiche publiée." in html


@pytest.mark.parametrize("language", BANNERS)
def test_the_banner_speaks_the_pages_language(call_staff, listing, language):
    with translation.override(language):
        url = listing.get_absolute_url()
    response = call_staff.get(url)
    assert_preview(response, listing, language)
    others = [banner for code, banner in BANNERS.items() if code != language]
    assert not any(banner in response.content.decode() for banner in others)


def test_the_pma_and_superusers_preview_every_organisations(client, listing):
    admin = User.objects.create_superuser("root")
    for user in (staff_user("pma"), admin):
        client.force_login(user)
        assert_preview(client.get(listing.get_absolute_url()), listing)


def test_a_plot_in_an_unpublished_park_is_previewed_and_says_why(call_staff, demo):
    plot = call_plot()
    unpublished(plot.park)
    assert Client().get(plot.get_absolute_url()).status_code == 404
    html = assert_preview(call_staff.get(plot.get_absolute_url()), plot)
    assert plot.park.name in html and "une fois son parc" in html


def test_an_unpublished_parks_preview_lists_the_plots_it_will_show(call_staff, demo):
    park = unpublished(call_park())
    shown = park.plots.filter(is_published=True)
    hidden = park.plots.filter(is_published=False)
    assert shown.exists()
    html = call_staff.get(park.get_absolute_url()).content.decode()
    for plot in shown:
        assert plot.get_absolute_url() in html
    for plot in hidden:
        assert plot.get_absolute_url() not in html


def not_found(client, url, slug):
    """The 404 the client gets, its address (in its language links) and
    length left out."""
    response = client.get(url)
    assert response.status_code == 404
    headers = dict(response.items())
    del headers["Content-Length"]
    return headers, response.content.replace(slug.encode(), b"SLUG")


def not_found_as_unknown(client, listing):
    """The 404 of `listing` for `client`, and the one of a slug nobody knows."""
    url = listing.get_absolute_url()
    unknown = url.replace(listing.slug, "no-such-listing")
    return not_found(client, url, listing.slug), not_found(
        client, unknown, "no-such-listing"
    )


@pytest.mark.parametrize(
    "visitor",
    ["anonymous", "other organisation", "view only", "not staff", "no membership"],
)
def test_everyone_else_gets_the_404_of_an_unknown_listing(client, listing, visitor):
    """Nothing tells them the listing exists: the same page and headers as
    for a slug nobody knows."""
    if visitor == "other organisation":
        client.force_login(staff_user("cabbalr"))
    elif visitor == "view only":
        client.force_login(view_only_staff("call"))
    elif visitor == "not staff":
        user = staff_user("call")
        User.objects.filter(pk=user.pk).update(is_staff=False)
        client.force_login(user)
    elif visitor == "no membership":
        user = staff_user("call")
        StaffMembership.objects.filter(user=user).delete()
        client.force_login(user)
    listings, unknown = not_found_as_unknown(client, listing)
    assert listings == unknown


def test_the_anonymous_404_reads_no_session(listing):
    """Asking who the visitor is would read the session and make the 404
    vary on the cookie, which it does not for everyone else."""
    response = Client().get(listing.get_absolute_url())
    assert response.status_code == 404
    assert "Cookie" not in response.get("Vary", "")
    assert not response.wsgi_request.session.accessed


def cache_keys():
    """Every key this run holds in the cache (Redis or in-process memory)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        connection = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        return {key.decode() for key in connection.scan_iter(backend.make_key("*"))}
    return set(backend._cache)


def held_keys():
    with caching._held_lock:
        return set(caching._held.keys())


def test_a_preview_is_kept_in_no_cache(call_staff, listing):
    url = listing.get_absolute_url()
    caching.listings_version()  # the one key a request may write
    before, held = cache_keys(), held_keys()
    for _ in range(2):
        assert_preview(call_staff.get(url), listing)
    assert cache_keys() == before
    assert held_keys() <= held


def test_after_a_preview_everyone_else_still_gets_a_404(call_staff, listing):
    """Neither the page cache nor the pages served early (PageCacheMiddleware,
    for visitors without a session) may hand the preview to anybody."""
    url, slug = listing.get_absolute_url(), listing.slug
    expected = not_found(Client(), url, slug)
    assert_preview(call_staff.get(url), listing)
    for _ in range(2):
        assert not_found(Client(), url, slug) == expected
        gzipped = Client(headers={"Accept-Encoding": "gzip"})
        assert gzipped.get(url).status_code == 404
    other = Client()
    other.force_login(staff_user("cabbalr"))
    assert not_found(other, url, slug)[1] == expected[1]
    assert_preview(call_staff.get(url), listing)


def test_a_preview_stays_out_of_the_sitemap(call_staff, listing):
    call_staff.get(listing.get_absolute_url())
    assert listing.slug not in sitemap_text(Client())


def visitor_page(url):
    response = Client().get(url)
    assert response.status_code == 200
    return dict(response.items()), PER_VISITOR.sub(rb"\1", response.content)


@pytest.mark.parametrize("model", [Plot, BusinessPark])
def test_a_published_page_is_the_same_for_visitors_and_staff(call_staff, demo, model):
    """The page of a published listing is no preview, for the staff who may
    change it too: built for them, it is the visitors' page, and kept."""
    listing = call_plot() if model is Plot else call_park()
    url = listing.get_absolute_url()
    staff_page = call_staff.get(url)
    assert "private" not in staff_page.get("Cache-Control", "")
    assert b"preview-banner" not in staff_page.content
    kept = visitor_page(url)
    cache_clear()
    assert visitor_page(url) == kept
    assert PER_VISITOR.sub(rb"\1", staff_page.content) == kept[1]


def test_previews_leave_the_published_pages_as_they_are(call_staff, demo):
    """A preview shares the templates' fragments and values of the published
    pages around it (its park's, its neighbours'): they stay byte for byte
    what a visitor got before, whether the preview came first or after."""
    plot = unpublished(call_plot())
    neighbour = plot.park.plots.published().first()
    urls = [plot.park.get_absolute_url(), neighbour.get_absolute_url()]
    fresh = [visitor_page(url) for url in urls]
    assert plot.get_absolute_url() not in fresh[0][1].decode()
    for cleared in (True, False):
        if cleared:
            cache_clear()
        assert_preview(call_staff.get(plot.get_absolute_url()), plot)
        assert [visitor_page(url) for url in urls] == fresh


def test_once_published_visitors_get_the_page_without_the_banner(call_staff, listing):
    url = listing.get_absolute_url()
    call_staff.get(url)
    listing.is_published = True
    listing.save()
    after_preview = visitor_page(url)
    cache_clear()
    assert visitor_page(url) == after_preview
    assert b"preview-banner" not in after_preview[1]
    assert b'name="robots"' not in after_preview[1]
