"""The map API in pages: every plot the search finds, once, by following
`next`; bad page numbers are a 400."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def _outlines_written(node):
    """Rows for which a plan node (or one below it) wrote an outline as
    GeoJSON: VERBOSE shows an expression computed by a node bare, and one
    it passes on from below in parentheses."""
    computes = any(out.startswith("st_asgeojson(") for out in node.get("Output", []))
    own = node["Actual Rows"] * node["Actual Loops"] if computes else 0
    return own + sum(_outlines_written(child) for child in node.get("Plans", []))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN ANALYZE's")
def test_a_deep_page_writes_the_outlines_of_its_own_plots_only(
    client, demo, monkeypatch, settings
):
    settings.LISTINGS_PAGE_CACHE = False
    synthetic_generate(plots=100, spread="territory", seed=4)
    monkeypatch.setattr(search, "MAP_LIMIT", 10)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page": 6})
    assert len(json.loads(response.content)["features"]) == 10
    [sql] = [q["sql"] for q in queries if "ST_AsGeoJSON" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0][0]["Plan"]
    # The page's ten and the one that says more follow; not the fifty before.
    assert _outlines_written(plan) <= 11
