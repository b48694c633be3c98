"""The search page at a region's or a nation's scale: what it costs follows
what it shows (one page of results, a bounded count, bounded filter choices),
not the size of the table. The bounds are lowered here so that the demo
territory crosses them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites import filters, search
from sites.models import Commune, Plot
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def page_cache_off(settings):
    settings.LISTINGS_PAGE_CACHE = False


@pytest.fixture
def many_plots():
    """25 plots of one surface (1 ha): ties for every sort."""
    park = BusinessParkFactory()
    return PlotFactory.create_batch(25, park=park)


def heading(response):
    return re.search(r'<h2 id="results-title">(.*?)</h2>', response.text)[1]


def test_below_the_bound_the_count_is_exact(client, demo):
    paginator = client.get(URL).context["page"].paginator
    assert paginator.count == Plot.objects.on_offer().count()
    assert not paginator.estimated
    assert heading(client.get(URL)) == f"{paginator.count} terrains"


# A filter that keeps every plot on offer: the search is counted, not read
# from the key figures as without a filter.
EVERY_SURFACE = {"surface_min": "0"}


def test_above_the_bound_the_count_is_estimated_and_said_so(client, demo, monkeypatch):
    monkeypatch.setattr(search, "EXACT_COUNT_UP_TO", 3)
    exact = Plot.objects.on_offer().count()
    assert exact > 3
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, EVERY_SURFACE)
    paginator = response.context["page"].paginator
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 4" in counts[0]  # counting stops past the bound
    if POSTGRES:  # the planner's estimate, never below what was counted
        assert paginator.estimated
        assert paginator.count >= 4
        assert not any("COUNT(" in q.upper() for q in counts[1:])
        assert heading(response) == f"environ {paginator.count} terrains"
    else:  # SpatiaLite has no estimate to read: it counts
        assert not paginator.estimated
        assert paginator.count == exact
        assert heading(response) == f"{exact} terrains"


@pytest.mark.skipif(not POSTGRES, reason="the planner's estimate is PostgreSQL's")
@pytest.mark.parametrize(
    ("language", "words"), [("fr", "environ"), ("en", "about"), ("nl", "ongeveer")]
)
def test_the_estimate_is_said_in_each_language(
    client, demo, monkeypatch, language, words
):
    monkeypatch.setattr(search, "EXACT_COUNT_UP_TO", 3)
    response = client.get(URL.replace("/fr/", f"/{language}/", 1), EVERY_SURFACE)
    assert heading(response).startswith(f"{words} ")


def test_pages_stop_at_the_bound_and_say_so(client, many_plots, monkeypatch):
    monkeypatch.setattr(search, "MAX_PAGES", 1)
    first = client.get(URL)
    paginator = first.context["page"].paginator
    assert paginator.count == 25 and paginator.num_pages == 1
    assert "Les pages présentent les 20 premiers terrains" in first.text
    assert 'rel="next"' not in first.text
    deep = client.get(URL, {"page": 2})  # no OFFSET past the bound
    assert deep.status_code == 200
    assert deep.context["page"].number == 1


def test_pages_without_the_bound_reached_say_nothing(client, many_plots):
    response = client.get(URL)
    assert response.context["page"].paginator.num_pages == 2
    assert "Les pages présentent" not in response.text


@pytest.mark.parametrize("sort", ["surface", "-surface", "updated", "-updated"])
def test_ties_never_repeat_a_plot_across_pages(client, many_plots, sort):
    pages = [client.get(URL, {"sort": sort, "page": n}) for n in (1, 2)]
    ids = [plot.pk for page in pages for plot in page.context["page"]]
    assert sorted(ids) == sorted(plot.pk for plot in many_plots)


@pytest.mark.skipif(not POSTGRES, reason="EXPLAIN's plan is PostgreSQL's")
@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("", "plot_updated_order"),  # the default: the newest first
        ("updated", "plot_updated_order"),
        ("-updated", "plot_updated_order"),
        ("surface", "plot_surface_order"),
        ("-surface", "plot_surface_order"),
    ],
)
def test_each_sort_walks_its_index(client, many_plots, sort, index):
    page = client.get(URL, {"sort": sort}).context["page"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # 25 rows: any plan
        cursor.execute("SET LOCAL enable_sort = off")
        plan = page.paginator.object_list[:20].explain()
    assert index in plan
    assert "Sort Key" not in plan


def test_many_places_become_a_text_box_and_not_options(client, demo, monkeypatch):
    monkeypatch.setattr(filters, "CHOICES_LISTED_UP_TO", 20)
    assert Commune.objects.in_territory().count() > 20
    html = client.get(URL).text
    communes = re.search(r'<input type="search" name="commune"[^>]*>', html)[0]
    assert 'list="id_commune-suggestions"' in communes
    assert 'data-suggest="/fr/recherche/suggestions/commune/"' in communes
    assert '<datalist id="id_commune-suggestions"></datalist>' in html
    assert '<select name="commune"' not in html
    assert '<select name="organisation"' in html  # 3 territories: still listed
    assert html.count("<option") < 60


def test_a_place_is_found_by_its_name_or_its_code(client, demo, monkeypatch):
    monkeypatch.setattr(filters, "CHOICES_LISTED_UP_TO", 20)
    by_code = client.get(URL, {"commune": "62274"}).context["page"]
    by_name = client.get(URL, {"commune": "dourges"})
    assert by_name.status_code == 200
    assert [p.pk for p in by_name.context["page"]] == [p.pk for p in by_code]
    assert all(plot.commune.name == "Dourges" for plot in by_code)
    assert 'value="dourges"' in by_name.text  # the box keeps what was typed
    unknown = client.get(URL, {"commune": "Atlantis"})
    assert unknown.status_code == 400
    assert "commune" in unknown.context["search"].errors
    for bad in ("\x00", "Dourges\x00", "x" * 10_000):
        assert client.get(URL, {"commune": bad}).status_code == 400


def test_suggestions(client, demo):
    url = reverse("sites:search-suggestions", args=["commune"])
    found = client.get(url, {"q": "dour"}).json()["suggestions"]
    assert {"value": "62274", "label": "Dourges"} in found
    assert found[0]["label"].lower().startswith("dour")  # beginnings first
    assert client.get(url, {"q": "d"}).json() == {"suggestions": []}
    assert client.get(url, {"q": "x" * 1000}).json() == {"suggestions": []}
    many = client.get(url, {"q": "es"}).json()["suggestions"]
    assert Commune.objects.in_territory().filter(name__icontains="es").count() > 10
    assert len(many) == search.SUGGESTIONS
    park = Plot.objects.get(surface_ha=42).park
    parks = reverse("sites:search-suggestions", args=["park"])
    found = client.get(parks, {"q": park.name[:8]}).json()["suggestions"]
    assert {"value": park.slug, "label": park.name} in found
    assert (
        client.get(reverse("sites:search-suggestions", args=["plot"])).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["organisation", "park", "commune", "near"])
def test_a_nul_byte_suggests_nothing(client, demo, kind):
    url = reverse("sites:search-suggestions", args=[kind])
    response = client.get(url, {"q": "Dour\x00ges"})
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def test_unpublished_parks_are_never_suggested(client, demo):
    park = BusinessParkFactory(name="Parc caché", is_published=False)
    url = reverse("sites:search-suggestions", args=["park"])
    assert client.get(url, {"q": "caché"}).json() == {"suggestions": []}
    assert client.get(URL, {"park": park.name}).status_code == 400


def test_the_choices_cost_no_query_once_read(client, demo, page_cache_off):
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        html = client.get(URL).text
    # Territories, parks, communes (the filters, a shared fragment once
    # rendered), the footer's partners, the key figures (the count without a
    # filter) and the results' plots (their cards kept): only the page's ids
    # are read again.
    assert len(first) >= 7
    assert len(second) == 1
    assert html.count('<select name="') == 5  # places, sector, sort


def test_query_count_does_not_grow_with_the_table(client, page_cache_off):
    park = BusinessParkFactory()
    PlotFactory(park=park)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    PlotFactory.create_batch(60, park=park)
    client.get(URL, {"page": 3})  # its cards kept, as the first page's
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(URL, {"page": 3})
    assert response.context["page"].paginator.count == 61
    assert len(sixty) == len(one)
