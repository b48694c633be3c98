"""The search's result cards are shared fragments (sites/templatetags/results.py):
a built page reads the kept cards of its plots in one cache round trip and
the plots of the others in one query; the page is the same either way, and
an edit shows at once. Without a filter, the count is a key figure."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.templatetags.fragments import fragment_key
from sites import search as searching
from sites.models import Plot
from sites.search import plot_search
from tests.conftest import cache_clear
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")
CARD = "fragment:search-result"


@pytest.fixture
def page_cache_off(settings):
    """Every request builds its page, as a first visit of a query does."""
    settings.LISTINGS_PAGE_CACHE = False


@pytest.fixture
def cache_calls(monkeypatch):
    """The cache's calls naming a result card: (method, number of cards)."""
    calls = []
    backend = cache._connections[cache._alias]  # the real backend behind the proxy

    inside = []  # the in-memory cache's get_many calls its own get

    def recorded(method):
        original = getattr(backend, method)

        def call(keys, *args, **kwargs):
            named = [keys] if isinstance(keys, str) else list(keys)
            cards = [key for key in named if CARD in key]
            if cards and not inside:
                calls.append((method, len(cards)))
            inside.append(method)
            try:
                return original(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, method, call)

    for method in ("get", "get_many", "set", "set_many"):
        recorded(method)
    return calls


def cards(html):
    return re.findall(r'<li class="result".*?</li>', html, re.S)


def heading(html):
    return re.search(r'<h2 id="results-title">(.*?)</h2>', html)[1]


@pytest.mark.parametrize(
    "query",
    [{}, {"page": 2}, {"sort": "surface"}, {"power_min_mva": "1"}, {"rail": "on"}],
)
def test_a_page_is_the_same_built_with_its_cards_kept_or_not(
    client, demo, page_cache_off, query
):
    cold = client.get(URL, query)
    warm = client.get(URL, query)
    assert cards(cold.text)  # plots are listed
    assert warm.text == cold.text
    cache_clear()  # this run's keys: a FLUSHDB would empty others' (benchmarks)
    assert client.get(URL, query).text == cold.text


def test_a_card_is_shared_by_the_searches_that_list_its_plot(
    client, demo, page_cache_off, cache_calls
):
    client.get(URL)
    listed = len(cards(client.get(URL).text))
    assert listed > 1
    del cache_calls[:]
    # Another search listing the same plots (in the same order, as it happens).
    html = client.get(URL, {"sort": "-updated"}).text
    # One read for every card, none rendered again: none written.
    assert cache_calls == [("get_many", listed)]
    # Each card links to the comparison from the search it is listed in.
    assert html.count("&amp;from=sort%3D-updated") == listed


def test_a_power_search_has_cards_of_its_own(client, demo, page_cache_off):
    # Electricity, its power not given: "on request".
    park = BusinessParkFactory(has_power=True, power_capacity_mva=None)
    PlotFactory(park=park, name="Sans puissance connue")
    plain = client.get(URL).text
    asked = client.get(URL, {"power_min_mva": "1"}).text
    card = next(c for c in cards(asked) if "Sans puissance connue" in c)
    assert "puissance sur demande" in card
    assert "puissance sur demande" not in plain
    assert client.get(URL).text == plain


def test_cards_are_kept_per_language(client, demo, page_cache_off):
    french = client.get(URL).text
    english = client.get(URL.replace("/fr/", "/en/", 1)).text
    assert 'href="/fr/' in cards(french)[0]
    assert 'href="/en/' in cards(english)[0]


def test_a_warm_build_reads_only_the_pages_ids(
    client, demo, page_cache_off, django_assert_num_queries
):
    client.get(URL)
    client.get(URL, {"surface_min": "1"})
    # Before the cards were kept, a built search without a filter counted
    # (and, past 10,000 results, asked the planner) and read its twenty
    # plots with their park, organisation and commune: two queries at least.
    with django_assert_num_queries(1) as unfiltered:
        client.get(URL)
    with django_assert_num_queries(2) as filtered:  # its bounded count, the ids
        client.get(URL, {"surface_min": "1"})
    for queries in (unfiltered, filtered):
        page = queries.captured_queries[-1]["sql"]
        assert re.match(r'SELECT "sites_plot"\."id"( AS "pk")? FROM', page)
        assert "sites_organisation" not in page


def test_a_build_reads_the_plots_of_the_missing_cards_only(
    client, demo, page_cache_off, cache_calls
):
    listed = [
        int(pk) for pk in re.findall(r'data-plot-id="(\d+)"', client.get(URL).text)
    ]
    gone = listed[1:3]
    cache.delete_many(
        [f"listings:fr:{fragment_key('search-result', (pk, False))}" for pk in gone]
    )
    del cache_calls[:]
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).text
    read = [q["sql"] for q in queries if '"sites_organisation"' in q["sql"]]
    assert len(read) == 1  # the plots of the two cards, in one query
    assert re.search(r"IN \((\d+), (\d+)\)", read[0]).groups() == tuple(map(str, gone))
    assert cache_calls == [("get_many", len(listed)), ("set_many", 2)]
    assert [int(pk) for pk in re.findall(r'data-plot-id="(\d+)"', html)] == listed


def test_an_edit_shows_at_once(client, demo):
    plot = Plot.objects.on_offer().order_by("-updated_at", "pk").first()
    before = client.get(URL).text
    assert escape(plot.name) in before

    plot.name = "Terrain renommé"
    plot.cadastral_surface_ha = Decimal("77.25")  # what staff type in
    plot.save()
    html = client.get(URL).text
    card = next(c for c in cards(html) if f'data-plot-id="{plot.pk}"' in c)
    assert "Terrain renommé" in card
    assert "77,25&nbsp;ha" in card

    plot.is_published = False
    plot.save()
    html = client.get(URL).text
    assert f'data-plot-id="{plot.pk}"' not in html
    assert _count(html) == _count(before) - 1

    plot.is_published = True
    plot.save()
    html = client.get(URL).text
    assert f'data-plot-id="{plot.pk}"' in html
    assert heading(html) == heading(before)


def _count(html):
    return int(re.search(r"(\d+) terrains?", heading(html))[1])


def test_an_edit_of_the_park_shows_in_its_plots_cards(client, demo, page_cache_off):
    plot = Plot.objects.on_offer().filter(park__has_rail_siding=False).first()
    client.get(URL, {"park": plot.park.slug})
    plot.park.has_rail_siding = True
    plot.park.save()
    html = client.get(URL, {"park": plot.park.slug}).text
    card = next(c for c in cards(html) if f'data-plot-id="{plot.pk}"' in c)
    assert "embranchement ferroviaire" in card


@pytest.fixture
def every_stage(demo):
    """Plots in every marketing stage, published or not, in a park published
    or not: what the search without a filter keeps is exactly those on offer."""
    hidden_park = BusinessParkFactory(is_published=False)
    for stage in Plot.CommercialStage:
        PlotFactory(commercial_stage=stage)
        PlotFactory(commercial_stage=stage, is_published=False)
        PlotFactory(commercial_stage=stage, park=hidden_park)


@pytest.mark.parametrize("query", [{}, {"sort": "-surface"}, {"near_km": "5"}])
def test_the_unfiltered_count_is_the_number_of_results(
    client, every_stage, page_cache_off, query
):
    search = plot_search(params={})
    assert search.is_valid()
    real = search.qs.count()
    assert real == Plot.objects.on_offer().count()
    for _visit in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, query)
        paginator = response.context["page"].paginator
        assert paginator.count == real
        assert not paginator.estimated
        assert heading(response.text) == f"{real} terrains"
        assert not [q for q in queries if "LIMIT 10001" in q["sql"]]  # not counted


@pytest.mark.parametrize(
    "query",
    [
        {"surface_min": "0"},  # keeps every plot, but is a filter
        {"price_max": "0"},  # zero is a value, not "no filter"
        {"exclude_on_request": "on", "price_max": "100"},
        {"ready_to_build": "on"},
    ],
)
def test_a_filtered_search_is_counted(client, every_stage, page_cache_off, query):
    search = plot_search(params=query)
    assert search.is_valid()
    with CaptureQueriesContext(connection) as queries:
        paginator = client.get(URL, query).context["page"].paginator
    assert paginator.count == search.qs.count()
    assert [q for q in queries if "LIMIT 10001" in q["sql"]]


def test_the_count_follows_an_edit(client, demo, page_cache_off):
    before = client.get(URL).context["page"].paginator.count
    plot = Plot.objects.on_offer().first()
    plot.commercial_stage = Plot.CommercialStage.SOLD
    plot.save()
    assert client.get(URL).context["page"].paginator.count == before - 1
    with translation.override("en"):
        english = client.get(URL.replace("/fr/", "/en/", 1))
    assert english.context["page"].paginator.count == before - 1


@pytest.mark.parametrize("sort", [None, "surface", "-surface", "updated", "-updated"])
def test_the_unfiltered_pages_list_what_the_orm_would(
    client, every_stage, page_cache_off, monkeypatch, sort
):
    # A search without a filter reads its page's ids through a statement
    # compiled once per order: the same plots, in the same order, on every
    # page (the last one shorter).
    monkeypatch.setattr(searching, "PAGE_SIZE", 3)
    query = {"sort": sort} if sort else {}
    search = plot_search(params=query)
    assert search.is_valid()
    ids = list(search.qs.values_list("pk", flat=True))
    assert len(ids) > 7 and len(ids) % 3
    compiled = searching._unfiltered_ids_sql.cache_info()
    pages = -(-len(ids) // 3)
    for number in range(1, pages + 1):
        client.get(URL, {**query, "page": number})  # its cards kept
        with CaptureQueriesContext(connection) as queries:
            html = client.get(URL, {**query, "page": number}).text
        listed = [int(pk) for pk in re.findall(r'data-plot-id="(\d+)"', html)]
        assert listed == ids[(number - 1) * 3 : number * 3]
        assert len(queries) == 1  # the ids
    done = searching._unfiltered_ids_sql.cache_info()
    assert done.hits + done.misses == compiled.hits + compiled.misses + 2 * pages
    assert done.currsize <= compiled.currsize + 1  # one statement for the order


def test_a_filtered_page_is_not_read_as_unfiltered(client, every_stage, page_cache_off):
    compiled = searching._unfiltered_ids_sql.cache_info()
    html = client.get(URL, {"surface_min": "0"}).text
    assert searching._unfiltered_ids_sql.cache_info() == compiled
    search = plot_search(params={"surface_min": "0"})
    assert search.is_valid()
    listed = [int(pk) for pk in re.findall(r'data-plot-id="(\d+)"', html)]
    assert listed == list(search.qs.values_list("pk", flat=True)[:20])


def test_a_search_finding_nothing_says_so(client, demo, page_cache_off):
    html = client.get(URL, {"surface_min": "9999"}).text
    listed = re.search(r'<ol class="results">(.*?)</ol>', html, re.S)[1]
    assert listed.strip() == "<li>Aucun terrain ne correspond à ces filtres.</li>"
    found = client.get(URL).text
    listed = re.search(r'<ol class="results">(.*?)</ol>', found, re.S)[1]
    assert "Aucun terrain" not in listed
    assert listed.count('<li class="result"') == len(cards(found)) > 1
