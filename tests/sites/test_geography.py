import math

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.geo import WGS84, wgs84_point
from sites import geography
from sites.models import SRID, Commune
from tests.factories import square

pytestmark = pytest.mark.django_db


@pytest.fixture
def lens():
    return Commune.objects.get(name="Lens")


def distances(geometry):
    point = wgs84_point(geometry)
    return {d.place.slug: d.km for d in geography.distances_from(point)}


def test_haversine_matches_a_known_distance():
    # Paris (point zéro) to London (Charing Cross): about 344 km.
    paris, london = (2.348785, 48.853402), (-0.1275, 51.507222)
    assert geography.haversine_km(*paris, *london) == pytest.approx(344, abs=2)


@pytest.mark.parametrize(
    "slug, km, tolerance",
    [
        ("lille", 30, 5),
        ("paris", 175, 10),
        ("brussels", 115, 10),
        ("london", 240, 15),
        ("lille-airport", 25, 5),
        ("dunkirk-port", 75, 10),
    ],
)
def test_straight_line_distances_from_lens(lens, slug, km, tolerance):
    assert distances(square(lens))[slug] == pytest.approx(km, abs=tolerance)


def test_distances_cover_every_reference_place(lens):
    slugs = {place.slug for place in geography.REFERENCE_PLACES}
    assert set(distances(square(lens))) == slugs


def test_wgs84_point_lies_inside_the_geometry(lens):
    plot = square(lens)
    point = wgs84_point(plot)
    assert point.srid == WGS84
    assert plot.contains(point.transform(SRID, clone=True))


def populations_within(geometry, km):
    """The labour pool computed without the database's spatial functions."""
    return sum(
        commune.population
        for commune in Commune.objects.all()
        if commune.point.distance(geometry) <= km * 1000
    )


def test_labour_pool_around_lens(lens):
    plot = square(lens)
    near, far = geography.labour_pool(plot)
    assert (near.radius_km, far.radius_km) == (20, 45)
    assert 100_000 < near.inhabitants < far.inhabitants
    assert near.inhabitants < 1_000_000
    assert near.inhabitants == populations_within(plot, 20)
    assert far.inhabitants == populations_within(plot, 45)


def test_labour_pool_is_one_query(lens):
    plot = square(lens)
    geography.labour_pool(plot)  # the spatial reference is looked up once
    with CaptureQueriesContext(connection) as captured:
        geography.labour_pool(plot)
    assert len(captured) == 1


def test_labour_pool_accepts_other_projections(lens):
    plot = square(lens)
    assert geography.labour_pool(plot.transform(4326, clone=True)) == (
        geography.labour_pool(plot)
    )


def test_labour_pool_far_from_any_commune_is_empty():
    mid_channel = Point(0.0, 50.5, srid=4326).transform(SRID, clone=True)
    assert [c.inhabitants for c in geography.labour_pool(mid_channel)] == [0, 0]


def test_haversine_is_symmetric_and_zero_on_itself():
    assert geography.haversine_km(3, 50, 3, 50) == 0
    assert math.isclose(
        geography.haversine_km(3, 50, 2, 49), geography.haversine_km(2, 49, 3, 50)
    )
