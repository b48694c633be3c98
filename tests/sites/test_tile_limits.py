"""The map's counts for new searches, limited per client (TILE_COUNTS_PER_MINUTE):
each can cost PostgreSQL most of a second at a million plots, and anyone can
ask for a new search at every request."""

import pytest
from django.test import Client
from django.urls import reverse

from core import limits
from sites.models import Plot
from tests.sites.test_tiles import tile_of
from tests.test_scaling_settings import prod

pytestmark = pytest.mark.django_db


@pytest.fixture
def plot(demo, monkeypatch):
    # One window of the limit for the whole test, whenever it runs.
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_030.0)
    return Plot.objects.on_offer().order_by("pk").first()


def tile(client, z, x, y, **params):
    return client.get(reverse("api-tiles", kwargs={"z": z, "x": x, "y": y}), params)


def test_past_the_limit_a_new_search_is_refused_and_nothing_else(plot, settings):
    settings.TILE_COUNTS_PER_MINUTE = 3
    z, x, y = tile_of(plot.geom, 9)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for bound in ("0.1", "0.2", "0.3"):  # three searches: three blocks counted
        assert tile(client, z, x, y, surface_min=bound).status_code == 200
    refused = tile(client, z, x, y, surface_min="0.4")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert "réessayez dans une minute" in refused.json()["errors"]["tile"][0]
    # What is kept costs nothing: the same block's other tiles, the map
    # without a filter; and another client has a count of its own.
    assert tile(client, z, x ^ 1, y, surface_min="0.1").status_code == 200
    assert tile(client, z, x, y).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert tile(other, z, x, y, surface_min="0.4").status_code == 200
    # Nothing of the refusal was kept: once allowed, the tile is drawn.
    settings.TILE_COUNTS_PER_MINUTE = 0
    assert tile(client, z, x, y, surface_min="0.4").status_code == 200


def test_an_ipv6_client_is_counted_by_its_64(plot, settings):
    settings.TILE_COUNTS_PER_MINUTE = 1
    z, x, y = tile_of(plot.geom, 9)
    first = Client(REMOTE_ADDR="2001:db8:1:2::1")
    assert tile(first, z, x, y, surface_min="0.1").status_code == 200
    neighbour = Client(REMOTE_ADDR="2001:db8:1:2::ffff")
    assert tile(neighbour, z, x, y, surface_min="0.2").status_code == 429


def test_the_production_limit_is_60_and_can_be_lifted_not_negative():
    assert prod("print(settings.TILE_COUNTS_PER_MINUTE)").stdout.strip() == "60"
    lifted = prod("print(settings.TILE_COUNTS_PER_MINUTE)", TILE_COUNTS_PER_MINUTE="0")
    assert lifted.stdout.strip() == "0"
    refused = prod("settings.DEBUG", TILE_COUNTS_PER_MINUTE="-1")
    assert "TILE_COUNTS_PER_MINUTE must be 0 or more" in refused.stderr


def test_the_production_sheet_limit_is_10_and_can_be_lifted_not_negative():
    assert prod("print(settings.PLOT_SHEETS_PER_MINUTE)").stdout.strip() == "10"
    refused = prod("settings.DEBUG", PLOT_SHEETS_PER_MINUTE="-1")
    assert "PLOT_SHEETS_PER_MINUTE must be 0 or more" in refused.stderr
