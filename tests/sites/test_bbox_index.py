"""The map API's view (bbox) finds its plots through the spatial index on both
databases, gives what an exact test gives, and never fails outside Lambert-93."""

import json
import re

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites.models import Plot
from tests.sites.test_tiles import POSTGRES, explained, gist_index

pytestmark = pytest.mark.django_db
URL = reverse("api-plots")


def slugs(response):
    assert response.status_code == 200, response.content[:300]
    return {f["properties"]["url"].rstrip("/").rsplit("/", 1)[1] for f in
            json.loads(response.content)["features"]}  # fmt: skip


def boxes():
    """Boxes around a few demo plots, and one holding them all."""
    plots = Plot.objects.on_offer().order_by("pk")
    for plot in plots[:3]:
        west, south, east, north = plot.geom.transform(4326, clone=True).extent
        yield (west - 0.001, south - 0.001, east + 0.001, north + 0.001)
    yield (1.5, 50.0, 3.5, 51.0)


def test_the_view_finds_what_an_exact_test_finds(client, demo, settings):
    settings.LISTINGS_PAGE_CACHE = False
    for box in boxes():
        bbox = ",".join(f"{n:.6f}" for n in box)
        polygon = Polygon.from_bbox(box)
        polygon.srid = 4326
        expected = set(
            Plot.objects.on_offer()
            .filter(geom__intersects=polygon.transform(2154, clone=True))
            .values_list("slug", flat=True)
        )
        assert expected
        assert slugs(client.get(URL, {"bbox": bbox})) == expected


def test_the_view_reads_the_spatial_index(client, demo, settings):
    settings.LISTINGS_PAGE_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"bbox": "2.7,50.3,2.9,50.5"})
    [sql] = [q["sql"] for q in queries if "sites_plot" in q["sql"]]
    plan = explained(sql)
    if POSTGRES:
        # An index scan, or a bitmap one (combined with another index, as
        # the planner may for a few rows): the box is found through it.
        index = gist_index("sites_plot", "geom")
        assert re.search(rf"Index Scan (using|on) {index}\b", plan), plan
    else:
        assert "SpatialIndex VIRTUAL TABLE" in plan, plan
        assert "SCAN sites_plot" not in plan, plan  # found by rowid


@pytest.mark.parametrize(
    "bbox, found",
    [
        ("-180,-90,180,90", True),  # the world: the territory's plots
        ("-180,-90,-170,-80", False),  # near the south pole
        ("170,-10,180,10", False),  # at the antimeridian
        ("-5,41,10,51.5", True),  # France
    ],
)
def test_views_outside_lambert_93_are_empty_not_errors(client, demo, bbox, found):
    assert bool(slugs(client.get(URL, {"bbox": bbox}))) is found
