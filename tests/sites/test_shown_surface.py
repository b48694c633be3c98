"""The surface bounds compare the surface as the pages show it, to the
hundredth of a hectare: a plot of 2.4951 ha, shown "2.50 ha", is found by "at
least 2.5 ha" and by "at most 2.5 ha", one of 2.505 ha ("2.51 ha") only by
the first. On the list and its count, the map API, the map's tiles (outlines
and clusters) and the wider searches, which share the FilterSet with the
alerts (tests/alerts)."""

import re
from decimal import Decimal
from urllib.parse import parse_qs

import mapbox_vector_tile
import pytest
from django.db import connection
from django.urls import reverse

from core.caching import listings_version
from core.units import UNITS_COOKIE
from sites import grid, tiles
from sites.search import plot_search
from tests.factories import BusinessParkFactory, PlotFactory
from tests.sites.test_tiles import tile_of

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")
API = reverse("api-plots")
POSTGRES = connection.vendor == "postgresql"

# Each side of the hundredths 2.49 | 2.50 | 2.51, and exactly on the halves
# (shown rounded up, as Django's floatformat rounds).
SURFACES = ("2.4949", "2.4950", "2.4951", "2.5049", "2.5050")
BOUNDS = [
    {"surface_min": "2.5"},
    {"surface_max": "2.5"},
    {"surface_min": "2.5", "surface_max": "2.5"},
    {"surface_min": "2.49"},
    {"surface_max": "2.49"},
    {"surface_min": "2.51"},
    {"surface_max": "2.51"},
    # Between two hundredths: "at least 2.503" is a shown 2.51 or more,
    # "at most 2.503" a shown 2.50 or less.
    {"surface_min": "2.503"},
    {"surface_max": "2.503"},
    {"surface_min": "2.4951"},
    {"surface_max": "2.5049"},
    {"surface_min": "0"},
    {"surface_max": "0"},
]


def plots_of_each_surface():
    """{surface: a plot of that many ha, on offer, named after it}."""
    park = BusinessParkFactory()
    return {
        surface: PlotFactory(
            park=park, name=f"Terrain {surface}", cadastral_surface_ha=Decimal(surface)
        )
        for surface in SURFACES
    }


@pytest.fixture
def plots(db):
    return plots_of_each_surface()


@pytest.fixture
def uncached(settings, monkeypatch):
    settings.LISTINGS_PAGE_CACHE = False
    monkeypatch.setattr(tiles, "listings_cached", lambda name, compute, **kw: compute())


def shown(client, **kwargs):
    """{plot's name: its surface in ha as its card shows it}."""
    html = client.get(URL, **kwargs).text
    cards = re.findall(r'<li class="result".*?</li>', html, re.S)
    assert len(cards) == len(SURFACES)
    return {
        re.search(r"<h3><a [^>]*>(.*?)</a>", card)[1]: Decimal(
            re.search(r'class="u-metric">([\d,]+)&nbsp;ha', card)[1].replace(",", ".")
        )
        for card in cards
    }


def meeting(surfaces, params):
    """The names of the plots whose shown surface meets the bounds."""
    low = Decimal(params.get("surface_min", "0"))
    high = Decimal(params.get("surface_max", "10000"))
    return {name for name, ha in surfaces.items() if low <= ha <= high}


def test_the_cards_show_the_surface_to_the_hundredth_halves_up(client, plots):
    assert shown(client) == {
        "Terrain 2.4949": Decimal("2.49"),
        "Terrain 2.4950": Decimal("2.50"),
        "Terrain 2.4951": Decimal("2.50"),
        "Terrain 2.5049": Decimal("2.50"),
        "Terrain 2.5050": Decimal("2.51"),
    }


def test_a_plot_shown_2_50_ha_is_at_least_and_at_most_2_5_ha(client, plots):
    def found(params):
        return {plot.name for plot in client.get(URL, params).context["page"]}

    at_least, at_most = found({"surface_min": "2.5"}), found({"surface_max": "2.5"})
    assert "Terrain 2.4951" in at_least and "Terrain 2.4951" in at_most
    assert "Terrain 2.4949" not in at_least and "Terrain 2.5050" not in at_most
    assert found({"surface_min": "2.51"}) == {"Terrain 2.5050"}


@pytest.mark.parametrize("params", BOUNDS)
def test_the_list_and_its_count_keep_what_the_cards_show(client, plots, params):
    expected = meeting(shown(client), params)
    page = client.get(URL, params).context["page"]
    assert {plot.name for plot in page} == expected
    assert page.paginator.count == len(expected)


@pytest.mark.parametrize("params", [{"surface_min": "2.5"}, {"surface_max": "2.5"}])
def test_the_bounds_are_in_hectares_whatever_units_the_page_shows(
    client, plots, params
):
    """The form's bounds are in hectares for every visitor ("Minimum surface
    (ha)"): one who reads acres finds what the hectares shown meet."""
    client.cookies[UNITS_COOKIE] = "imperial"
    expected = meeting(shown(client), params)
    response = client.get(URL, params)
    assert 'data-units="imperial"' in response.text
    assert {plot.name for plot in response.context["page"]} == expected


@pytest.mark.parametrize("params", BOUNDS)
def test_the_map_api_keeps_what_the_cards_show(client, plots, params):
    expected = meeting(shown(client), params)
    collection = client.get(API, params).json()
    assert {f["properties"]["name"] for f in collection["features"]} == expected


def drawn(tile):
    return mapbox_vector_tile.decode(tile)


@pytest.mark.parametrize("params", BOUNDS)
def test_the_map_s_outlines_and_clusters_keep_what_the_cards_show(
    client, plots, uncached, params
):
    expected = meeting(shown(client), params)
    search = plot_search(params=params)
    assert search.is_valid()
    z, x, y = tile_of(plots["2.4951"].geom, 13)
    outlines = drawn(tiles.plot_tile(search, z, x, y)).get("plots", {"features": []})
    assert {f["properties"]["name"] for f in outlines["features"]} == expected
    clusters = drawn(tiles.plot_tile(search, 0, 0, 0, version=-1))  # counted live
    counted = clusters.get("clusters", {"features": []})["features"]
    assert sum(c["properties"]["plots"] for c in counted) == len(expected)


@pytest.mark.skipif(not POSTGRES, reason="tiles read the grid on PostGIS")
@pytest.mark.parametrize("left_out_fewer", [True, False])
@pytest.mark.parametrize("params", BOUNDS)
def test_the_grid_s_counts_keep_what_the_cards_show(
    client, plots, uncached, monkeypatch, params, left_out_fewer
):
    """With the grid current, the clusters count the plots a surface search
    keeps per park, or the parks' plots less those it leaves out, whichever
    the planner expects fewer of: both the same plots."""
    expected = meeting(shown(client), params)
    grid.grid_build()
    monkeypatch.setattr(tiles, "_fewer", lambda plots, others: left_out_fewer)
    search = plot_search(params=params)
    assert search.is_valid()
    tile = tiles.plot_tile(search, 0, 0, 0, version=listings_version())
    counted = drawn(tile).get("clusters", {"features": []})["features"]
    assert sum(c["properties"]["plots"] for c in counted) == len(expected)


@pytest.mark.parametrize(
    ("params", "kept", "relaxed", "found"),
    [
        # The largest plot 2.5049 ha is shown 2.50 ha: "at least 2.5 ha"
        # finds it, and the two others shown 2.50 ha.
        ({"surface_min": "3"}, SURFACES[:4], "2.5", SURFACES[1:4]),
        # The smallest 2.4951 ha is shown 2.50 ha: "at most 2.5 ha".
        ({"surface_max": "1"}, SURFACES[2:], "2.5", SURFACES[2:4]),
    ],
)
def test_a_bound_is_relaxed_to_the_nearest_surface_as_shown(
    client, plots, params, kept, relaxed, found
):
    for surface, plot in plots.items():
        if surface not in kept:
            plot.delete()
    response = client.get(URL, params)
    assert not response.context["page"]
    [wider] = [w for w in response.context["widenings"] if w.relaxed]
    name = next(iter(params))
    assert parse_qs(wider.query)[name] == [relaxed]
    assert wider.relaxed == relaxed.replace(".", ",")
    assert f"{wider.relaxed} au lieu de {wider.value}" in response.text
    assert wider.count == len(found)
    page = client.get(URL, parse_qs(wider.query)).context["page"]
    assert {plot.name for plot in page} == {f"Terrain {s}" for s in found}


def test_the_alert_page_says_the_bounds_as_the_visitor_gave_them(client, plots):
    query = {"surface_min": "2.50", "surface_max": "2.5"}
    page = client.get(reverse("alerts:subscribe"), query).text
    filters = re.search(r'<ul class="alert-filters">(.*?)</ul>', page, re.S)[1]
    assert re.findall(r"<li>(.*?)</li>", filters) == [
        "Surface minimale (ha): 2,5",
        "Surface maximale (ha): 2,5",
    ]
