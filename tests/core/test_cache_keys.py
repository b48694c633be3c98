"""The page cache cannot be flooded: a key holds only what the view reads."""

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, QueryDict
from django.urls import reverse

from core.caching import cache_listings_page, query_normalised
from sites.models import Plot

pytestmark = pytest.mark.django_db
SEARCH = reverse("sites:search")
API = reverse("api-plots")


def page_keys():
    """The page cache's entries, whatever the backend."""
    cache = caches["default"]  # (not the proxy, which isinstance cannot see through)
    pattern = cache.make_key("listings:*:page:*")
    if isinstance(cache, RedisCache):
        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        return {key.decode() for key in client.scan_iter(match=pattern)}
    prefix = pattern.split("*")[0]
    return {key for key in cache._cache if key.startswith(prefix) and ":page:" in key}


def test_junk_parameters_add_no_entry_and_cost_no_query(
    client, demo, django_assert_num_queries
):
    plot = Plot.objects.published().first()
    urls = ["/fr/", SEARCH, f"{SEARCH}?surface_min=2", API, plot.get_absolute_url()]
    for url in urls:
        assert client.get(url).status_code == 200
    before = page_keys()
    assert len(before) == len(urls)
    for n in range(30):
        for url in urls[:4]:
            junk = f"utm_campaign={n}&x={n}&fbclid=abc{n}"
            joined = f"{url}{'&' if '?' in url else '?'}{junk}"
            with django_assert_num_queries(0):
                response = client.get(joined)
            assert response.status_code == 200
            assert "utm_campaign" not in response.content.decode()
    assert page_keys() == before


def test_spellings_of_one_search_share_its_entry(
    client, demo, django_assert_num_queries
):
    first = client.get(f"{SEARCH}?surface_min=2&surface_max=400")
    assert first.status_code == 200
    for spelling in (
        "?surface_max=400&surface_min=2",
        "?surface_max=400&surface_min=2&page=1&vocation=&rail=",
        "?utm_source=x&surface_min=2&surface_max=400&sort=",
    ):
        with django_assert_num_queries(0):
            assert client.get(f"{SEARCH}{spelling}").content == first.content


def test_a_repeated_filter_is_still_refused(client, demo):
    response = client.get(f"{SEARCH}?surface_min=2&surface_min=3")
    assert response.status_code == 400
    assert client.get(f"{API}?surface_min=2&surface_min=3").status_code == 400


def test_query_normalised_keeps_what_the_view_reads_in_order():
    query = QueryDict("z=1&page=1&b=&a=2&a=1&utm=3&c=x")
    normalised = query_normalised(query, ["a", "b", "c", "page", "z"], {"page": "1"})
    assert normalised.urlencode() == "a=1&a=2&c=x&z=1"
    assert not normalised._mutable


def test_the_view_sees_only_the_normalised_query(rf):
    @cache_listings_page(params=["a", "b"])
    def echo(request):
        return HttpResponse(f"{request.GET.urlencode()}|{request.get_full_path()}")

    response = echo(rf.get("/echo/?utm=1&b=2&a=1&a="))
    assert response.content.decode() == "a=1&b=2|/echo/?a=1&b=2"


def test_api_answers_revalidate_with_an_etag(client, demo, django_assert_num_queries):
    url = f"{API}?surface_min=2"
    first = client.get(url)
    tag = first["ETag"]
    assert tag and first["Cache-Control"] == "public, no-cache"
    assert client.get(f"{url}&utm=1")["ETag"] == tag
    with django_assert_num_queries(0):
        again = client.get(url, headers={"if-none-match": tag})
    assert again.status_code == 304 and again["ETag"] == tag
    weak = client.get(url, headers={"if-none-match": f"W/{tag}"})
    assert weak.status_code == 304
    assert (
        client.get(f"{API}?surface_min=3", headers={"if-none-match": tag})["ETag"]
        != tag
    )
    plot = Plot.objects.published().first()
    plot.save()
    changed = client.get(url, headers={"if-none-match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    ambassadors = client.get(reverse("api-ambassadors"))
    assert ambassadors["ETag"] and ambassadors["Cache-Control"] == "public, no-cache"


def test_page_numbers_that_are_no_page_add_no_entry(client, demo):
    organisation = reverse("sites:organisation", args=["call"])
    for url in (SEARCH, f"{SEARCH}?surface_min=2", organisation):
        assert client.get(url).status_code == 200
    before = page_keys()
    for n in range(10):
        for url in (SEARCH, f"{SEARCH}?surface_min=2", organisation):
            joined = f"{url}{'&' if '?' in url else '?'}"
            for page in (f"x{n}", "0" * (n + 1) + "1", f"-{n}", f"{999 + n}"):
                response = client.get(f"{joined}page={page}")
                assert response.status_code == 200
                assert response.context["page" if url != organisation else "parks"]
            assert client.get(f"{joined}page=1&page=1{'&page=1' * n}").status_code
    assert page_keys() == before
