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


# Belgian places, WGS84, each a few hundred metres from its centre at most.
MOUSCRON = (3.2140, 50.7436)  # Grand-Place
TOURNAI = (3.3880, 50.6066)  # Grand-Place
PLOEGSTEERT = (2.8797, 50.7253)  # village centre, Comines-Warneton
FRENCH_BORDER_TOWNS = {"Halluin": (3.1256, 50.7836), "Wattrelos": (3.2164, 50.7012)}


def lambert(lon, lat):
    return Point(lon, lat, srid=4326).transform(SRID, clone=True)


def km_to_border(lon, lat):
    return lambert(lon, lat).distance(geography.belgian_border()) / 1000


def test_the_border_runs_from_the_coast_at_bray_dunes_to_the_aisne():
    border = geography.belgian_border()
    start, end = Point(border.coords[0], srid=SRID), Point(border.coords[-1], srid=SRID)
    assert start.distance(lambert(2.5456, 51.0890)) < 1_000  # beach, Bray-Dunes
    assert end.distance(lambert(4.1414, 49.9791)) < 1_000  # near Anor
    assert 300_000 < border.length < 400_000


def test_the_border_passes_between_french_and_belgian_towns():
    for lonlat in [MOUSCRON, PLOEGSTEERT, *FRENCH_BORDER_TOWNS.values()]:
        assert km_to_border(*lonlat) < 3
    assert 5 < km_to_border(*TOURNAI) < 10
    assert 10 < km_to_border(3.0633, 50.6369) < 15  # Lille, Grand'Place


def test_labour_pool_says_which_radius_reaches_belgium(lens):
    near, far = geography.labour_pool(square(lens))
    assert not near.reaches_belgium  # Lens is about 30 km from the border
    assert far.reaches_belgium
    # Independent of the line: Mouscron is within the 45 km (some 44 km).
    assert lambert(*MOUSCRON).distance(square(lens)) < 44_500


def test_the_20_km_radius_reaches_belgium_in_the_north_of_the_territory():
    neuve_chapelle = square(Commune.objects.get(name="Neuve-Chapelle"))
    near, far = geography.labour_pool(neuve_chapelle)
    assert near.reaches_belgium and far.reaches_belgium
    assert lambert(*PLOEGSTEERT).distance(neuve_chapelle) < 19_000


def test_every_plot_of_the_territory_has_belgium_within_45_km():
    border = geography.belgian_border()
    for commune in Commune.objects.in_territory():
        assert commune.boundary.distance(border) < 41_000, commune.name


def test_haversine_is_symmetric_and_zero_on_itself():
    assert geography.haversine_km(3, 50, 3, 50) == 0
    assert math.isclose(
        geography.haversine_km(3, 50, 2, 49), geography.haversine_km(2, 49, 3, 50)
    )
