"""Surfaces are ground areas: checked against an independent geodesic
computation (pyproj's Geod on the GRS80 ellipsoid, its own transformation from
Lambert-93) and against this database's ellipsoidal areas."""

from decimal import Decimal

import pytest
from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import Area, Transform
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.db.models.functions import Cast
from pyproj import Geod, Transformer

from sites.models import SRID, BusinessPark, Commune, Plot
from sites.surfaces import ground_area_m2
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db

GRS80 = Geod(ellps="GRS80")
TO_LONLAT = Transformer.from_crs(SRID, 4326, always_xy=True)
AGREEMENT = 5e-4  # 0.05 %


def geodesic_area_m2(geometry):
    """Exterior rings minus holes, each ring's area on the ellipsoid."""
    total = 0.0
    for polygon in geometry:
        for index, ring in enumerate(polygon):
            lons, lats = TO_LONLAT.transform(*zip(*ring.coords, strict=True))
            area = abs(GRS80.polygon_area_perimeter(lons, lats)[0])
            total += -area if index else area
    return total


def rectangle(x, y, width, height):
    return MultiPolygon(Polygon.from_bbox((x, y, x + width, y + height)), srid=SRID)


def test_every_demo_surface_is_the_geodesic_area_within_0_05_percent(demo):
    plots = Plot.objects.all()
    assert plots.count() > 20
    for plot in plots:
        computed_m2 = float(plot.computed_surface_ha) * 10_000
        assert computed_m2 == pytest.approx(
            geodesic_area_m2(plot.geom), rel=AGREEMENT
        ), plot.name
    for park in BusinessPark.objects.all():
        ground = ground_area_m2(park.perimeter)
        assert ground == pytest.approx(geodesic_area_m2(park.perimeter), rel=AGREEMENT)
        assert park.surface_gross_ha == round(Decimal(ground / 10_000), 2)


def test_communes_too_from_a_few_m2_to_tens_of_km2():
    for commune in Commune.objects.in_territory()[:40]:
        assert ground_area_m2(commune.boundary) == pytest.approx(
            geodesic_area_m2(commune.boundary), rel=AGREEMENT
        ), commune.name
    tiny = rectangle(690_000, 7_040_000, 2, 2)
    assert ground_area_m2(tiny) == pytest.approx(geodesic_area_m2(tiny), rel=AGREEMENT)


def test_the_planar_lambert93_area_is_about_0_3_percent_too_large():
    plot = PlotFactory(geom=rectangle(690_000, 7_040_000, 200, 150))
    planar_ha = Decimal(3)
    assert plot.computed_surface_ha < planar_ha
    assert float(planar_ha / plot.computed_surface_ha) == pytest.approx(1.003, abs=5e-4)
    geodesic_ha = geodesic_area_m2(plot.geom) / 10_000
    assert float(plot.computed_surface_ha) == pytest.approx(geodesic_ha, abs=5e-5)


def test_the_same_land_in_wgs84_has_the_same_surface():
    lambert = rectangle(690_000, 7_040_000, 300, 100)
    wgs84 = lambert.transform(4326, clone=True)
    assert ground_area_m2(wgs84) == pytest.approx(ground_area_m2(lambert), rel=1e-7)
    plot = PlotFactory(geom=wgs84)
    assert plot.computed_surface_ha == round(
        Decimal(ground_area_m2(lambert)) / 10_000, 4
    )


def test_a_park_gross_surface_is_its_ground_area():
    perimeter = rectangle(690_000, 7_040_000, 1_000, 500)
    park = BusinessParkFactory(perimeter=perimeter)
    park.refresh_from_db()
    assert park.surface_gross_ha == Decimal("49.85")
    assert float(park.surface_gross_ha) == pytest.approx(
        geodesic_area_m2(perimeter) / 10_000, abs=0.005
    )


def test_surfaces_are_this_databases_ellipsoidal_areas(demo):
    """GeoDjango's Area() is ellipsoidal on SpatiaLite for a WGS84 geometry and
    on PostGIS only through the geography type; planar in Lambert-93."""
    wgs84 = Transform("geom", 4326)
    if connection.vendor == "postgresql":
        wgs84 = Cast(wgs84, MultiPolygonField(srid=4326, geography=True))
    plots = Plot.objects.annotate(planar=Area("geom"), ellipsoidal=Area(wgs84))
    for plot in plots:
        stored_m2 = float(plot.computed_surface_ha) * 10_000
        assert plot.ellipsoidal.sq_m == pytest.approx(stored_m2, abs=0.5, rel=1e-6)
        assert plot.planar.sq_m / stored_m2 == pytest.approx(1.003, abs=5e-4)
