"""No dead end: plots "on request" stay in price and power searches, and a
tiny result offers wider searches, each with what it would find."""

import re
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites import search
from sites.models import BusinessPark, Plot
from sites.search import WIDEN_BELOW

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")


def found(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def names(response):
    return {plot.name for plot in response.context["page"]}


def on_offer(**lookups):
    return set(Plot.objects.on_offer().filter(**lookups).values_list("name", flat=True))


@pytest.fixture
def unpriced(demo):
    plot = Plot.objects.on_offer().get(surface_ha=42)
    plot.price_per_m2 = None
    plot.save()
    return plot


def test_price_on_request_stays_in_a_price_search_marked_as_such(client, unpriced):
    response = found(client, {"price_max": 16})
    unknown = on_offer(price_per_m2__isnull=True)
    assert unpriced.name in unknown
    assert names(response) == on_offer(price_per_m2__lte=16) | unknown
    item = re.search(
        rf'<li class="result" data-plot-id="{unpriced.pk}".*?</li>',
        response.text,
        re.S,
    )
    assert "prix sur demande" in item.group()


def test_the_visitor_can_leave_out_prices_on_request(client, unpriced):
    response = found(client, {"price_max": 16, "exclude_on_request": "on"})
    assert names(response) == on_offer(price_per_m2__lte=16)
    assert unpriced.name not in names(response)


def test_power_on_request_stays_in_a_power_search(client, demo):
    unknown = on_offer(park__power_capacity_mva__isnull=True)
    assert unknown, "the demo has parks whose power is not given"
    response = found(client, {"power_min_mva": 20})
    assert names(response) == on_offer(park__power_capacity_mva__gte=20) | unknown
    assert "puissance sur demande" in response.text
    response = found(client, {"power_min_mva": 20, "exclude_on_request": "true"})
    assert names(response) == on_offer(park__power_capacity_mva__gte=20)


def test_a_power_search_leaves_out_parks_without_electricity(client, demo):
    # One park without electricity at all, another with a figure left in its
    # power field but electricity unticked: their pages say "Electricity:
    # no" and show no figure. The first was listed "power on request", the
    # second as if it had 90 MVA, and offered as the nearest value.
    unknown, known = (
        Plot.objects.on_offer().filter(park__power_capacity_mva__isnull=isnull)[0].park
        for isnull in (True, False)
    )
    BusinessPark.objects.filter(pk=unknown.pk).update(has_power=False)
    BusinessPark.objects.filter(pk=known.pk).update(
        has_power=False, power_capacity_mva=90
    )
    without = on_offer(park__in=[unknown, known])
    powered = on_offer(park__has_power=True, park__power_capacity_mva__gte=20)
    on_request = on_offer(park__has_power=True, park__power_capacity_mva=None)
    response = found(client, {"power_min_mva": 20})
    assert names(response) == powered | on_request
    assert not names(response) & without
    api = client.get(reverse("api-plots"), {"power_min_mva": 20}).json()
    assert {f["properties"]["name"] for f in api["features"]} == powered | on_request

    response = found(client, {"power_min_mva": 50, "exclude_on_request": "on"})
    assert not names(response)
    highest = max(
        Plot.objects.on_offer()
        .filter(park__has_power=True)
        .values_list("park__power_capacity_mva", flat=True)
        .exclude(park__power_capacity_mva=None)
    )
    relaxed = [w for w in response.context["widenings"] if w.relaxed]
    assert [parse_qs(w.query)["power_min_mva"] for w in relaxed] == [
        [f"{highest.normalize():f}"]
    ]
    # A bound of 0 asks for no power: every plot, as without it.
    response = found(client, {"power_min_mva": 0})
    assert response.context["page"].paginator.count == len(on_offer())


def test_an_empty_search_offers_each_wider_search_with_its_count(
    client, demo, django_assert_max_num_queries
):
    rail = Plot.objects.on_offer().filter(park__has_rail_siding=True)
    organisation = rail.first().park.organisation.slug
    params = {"surface_min": 100, "rail": "on", "organisation": organisation}
    with django_assert_max_num_queries(12):
        response = found(client, params)
    assert not names(response)
    widenings = {(w.name, bool(w.relaxed)): w for w in response.context["widenings"]}
    others = {"park__has_rail_siding": True, "park__organisation__slug": organisation}
    largest = max(
        Plot.objects.on_offer().filter(**others).values_list("surface_ha", flat=True)
    )
    expected = {
        ("surface_min", False): on_offer(**others),
        ("surface_min", True): on_offer(**others, surface_ha__gte=largest),
    }
    assert len(expected["surface_min", True]) < len(expected["surface_min", False])
    assert set(widenings) == set(expected)
    for key, plots in expected.items():
        wider = widenings[key]
        # Each link finds what its count says.
        assert wider.count == len(plots) > 0
        assert names(found(client, parse_qs(wider.query))) == plots
    assert parse_qs(widenings["surface_min", True].query)["surface_min"] == [
        f"{largest.normalize():f}"
    ]
    html = response.text
    query = widenings["surface_min", False].query.replace("&", "&amp;")
    assert f'href="?{query}"' in html
    assert "Sans «\xa0Surface minimale (ha)\xa0: 100\xa0»" in html


def test_only_the_wider_searches_that_find_more_are_offered(client, demo):
    ruitz = Plot.objects.on_offer().filter(commune__name="Ruitz")
    assert {plot.price_per_m2 for plot in ruitz} == {15}
    params = {"commune": ruitz[0].commune.insee, "price_max": 5}
    response = found(client, {**params, "exclude_on_request": "on"})
    assert not names(response)
    # Without the commune or the exclusion, no plot either; the lowest price
    # in Ruitz (15) finds as much as no price at all.
    [wider] = response.context["widenings"]
    assert (wider.name, wider.relaxed, wider.count) == ("price_max", "", len(ruitz))


def test_a_lower_bound_of_zero_filters_nothing_and_is_not_widened(
    client, demo, settings
):
    # Not worth the wider searches' queries: without it the search is the same.
    settings.LISTINGS_PAGE_CACHE = False
    commune = Plot.objects.on_offer().filter(commune__name="Ruitz")[0].commune
    plain = {"commune": commune.insee}
    found(client, plain)  # the page's shared parts, kept
    queries = []
    for params in (plain, {**plain, "surface_min": "0"}):
        with CaptureQueriesContext(connection) as captured:
            response = found(client, params)
        assert 0 < response.context["page"].paginator.count < WIDEN_BELOW
        queries.append(len(captured))
    assert queries[0] == queries[1]


@pytest.mark.parametrize("zero", ["0", "0.00"])
def test_a_bound_of_zero_is_a_filter_that_can_be_widened(client, demo, zero):
    # Decimal 0 == False: it was taken for an unset filter, and a visitor
    # asking for free land met a dead end.
    assert not on_offer(price_per_m2__lte=0)
    response = found(client, {"price_max": zero, "exclude_on_request": "on"})
    assert not names(response)
    widenings = {w.name: w for w in response.context["widenings"] if not w.relaxed}
    assert "price_max" in widenings
    wider = widenings["price_max"]
    assert wider.value == "0"
    without = found(client, parse_qs(wider.query))
    assert without.context["page"].paginator.count == wider.count == len(on_offer())


def test_a_large_result_offers_nothing(client, demo):
    response = found(client, {})
    assert response.context["page"].paginator.count >= WIDEN_BELOW
    assert "widenings" not in response.context
    assert 'class="widen"' not in response.text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Without “Minimum area (ha): 100”"),
        ("nl", "Zonder “Minimale oppervlakte (ha): 100”"),
    ],
)
def test_the_wider_searches_speak_the_page_language(client, demo, language, words):
    from django.utils import translation

    with translation.override(language):
        url = reverse("sites:search")
    assert words in client.get(url, {"surface_min": 100}).text


def test_counts_stop_early_and_say_more_than(client, demo, monkeypatch):
    # As the result's own count does: exact up to EXACT_COUNT_UP_TO.
    monkeypatch.setattr(search, "EXACT_COUNT_UP_TO", 3)
    assert Plot.objects.on_offer().count() > 4
    response = found(client, {"surface_min": 100})
    [dropped] = [w for w in response.context["widenings"] if not w.relaxed]
    assert (dropped.count, dropped.more_than) == (4, 3)
    assert "plus de 3 terrains" in response.text


def test_the_nearest_value_ignores_values_on_request(client, demo):
    # The cheapest priced plot, not one whose price is on request.
    cheapest = min(
        Plot.objects.on_offer()
        .exclude(price_per_m2=None)
        .values_list("price_per_m2", flat=True)
    )
    response = found(client, {"price_max": 1, "exclude_on_request": "on"})
    relaxed = [w for w in response.context["widenings"] if w.relaxed]
    assert [parse_qs(w.query)["price_max"] for w in relaxed] == [
        [f"{cheapest.normalize():f}"]
    ]
    assert relaxed[0].count == len(on_offer(price_per_m2=cheapest))


def test_a_map_view_without_plots_offers_the_whole_map(client, demo):
    # A box over the sea off Boulogne: the map view is a filter like the others.
    params = {"bbox": "1.3,50.6,1.5,50.7", "surface_min": 30}
    response = found(client, params)
    assert not names(response)
    wider = {w.name: w for w in response.context["widenings"] if not w.relaxed}
    assert wider["bbox"].count == len(on_offer(surface_ha__gte=30))
    assert wider["bbox"].value == ""
    assert (
        "Sans «\xa0Uniquement dans la zone affichée sur la carte\xa0»" in response.text
    )
