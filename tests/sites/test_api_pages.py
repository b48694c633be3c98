"""The map API in pages: every plot the search finds, once, by following
`next`; bad page numbers are a 400."""

import json

import pytest
from django.urls import reverse

from sites import search
from sites.models import Plot
from sites.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db
URL = reverse("api-plots")


def test_following_next_reads_every_plot_once(client, demo, monkeypatch):
    synthetic_generate(plots=100, spread="territory", seed=4)
    monkeypatch.setattr(search, "MAP_LIMIT", 25)
    params = {"surface_min": "0.5", "lang": "en"}
    expected = list(search.plot_search(params=params).qs.values_list("pk", flat=True))
    assert len(expected) > 50
    seen, address, pages = [], f"{URL}?surface_min=0.5&lang=en", 0
    while address:
        response = client.get(address)
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        pages += 1
        assert body["page"] == pages and body["limit"] == 25
        seen += [feature["id"] for feature in body["features"]]
        address = body["next"]
        assert body["truncated"] is (address is not None)
        if address:  # the same search, the next page, in the same language
            assert "surface_min=0.5" in address and "lang=en" in address
    assert seen == expected  # in the search's order, none twice
    assert pages == -(-len(expected) // 25)


def test_pages_stop_at_the_cap(client, monkeypatch):
    synthetic_generate(plots=8, seed=9)
    monkeypatch.setattr(search, "MAP_LIMIT", 2)
    monkeypatch.setattr(search, "MAX_MAP_PAGES", 2)
    body = json.loads(client.get(URL, {"page": 2}).content)
    assert body["truncated"] is True and body["next"] is None
    assert len(body["features"]) == 2
    assert Plot.objects.on_offer().count() > 4


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", "201", "99999999", "٣"])
def test_bad_page_numbers_are_a_400(client, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
