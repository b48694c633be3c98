from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from sites.models import SRID, BusinessPark, Organisation, Plot
from sites.surfaces import ground_area_m2
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db


def rectangle(x, y, width, height, srid=SRID):
    return MultiPolygon(Polygon.from_bbox((x, y, x + width, y + height)), srid=srid)


def test_surface_is_computed_from_the_outline():
    plot = PlotFactory(geom=rectangle(690_000, 7_040_000, 200, 150))
    ground = round(Decimal(ground_area_m2(plot.geom)) / 10_000, 4)
    assert plot.computed_surface_ha == ground == Decimal("2.9912")
    assert plot.surface_ha == ground


def test_declared_cadastral_surface_overrides_the_outline():
    plot = PlotFactory(
        geom=rectangle(690_000, 7_040_000, 200, 150), cadastral_surface_ha=Decimal(3.1)
    )
    plot.refresh_from_db()
    assert plot.computed_surface_ha == Decimal("2.9912")
    assert plot.surface_ha == Decimal("3.1000")


def test_outline_in_wgs84_is_stored_in_lambert93():
    lambert = rectangle(690_000, 7_040_000, 100, 100)
    wgs84 = lambert.transform(4326, clone=True)
    plot = PlotFactory(geom=wgs84)
    plot.refresh_from_db()
    assert plot.geom.srid == SRID
    assert plot.geom.equals_exact(lambert, tolerance=0.01)


def test_park_centroid_and_gross_surface():
    park = BusinessParkFactory(perimeter=rectangle(690_000, 7_040_000, 1_000, 500))
    ground_ha = Decimal(ground_area_m2(park.perimeter)) / 10_000
    assert park.surface_gross_ha == round(ground_ha, 2) == Decimal("49.85")
    assert park.perimeter.contains(park.centroid)


BOWTIE = MultiPolygon(
    Polygon(((0, 0), (100, 100), (100, 0), (0, 100), (0, 0))), srid=SRID
)


def test_invalid_outline_is_a_form_error_in_words():
    park = BusinessParkFactory()
    x, y = park.perimeter.centroid.coords
    bowtie = MultiPolygon(
        Polygon(((x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100), (x, y))),
        srid=SRID,
    )
    plot = PlotFactory.build(geom=bowtie, park=park)
    with pytest.raises(ValidationError) as error:
        plot.full_clean()
    [message] = error.value.message_dict["geom"]
    assert "se recoupe" in message
    assert "Self-intersection" not in message and str(int(x)) not in message


def test_the_database_refuses_an_invalid_outline():
    plot = PlotFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plot.objects.filter(pk=plot.pk).update(geom=BOWTIE)


def test_a_minimum_lot_needs_a_divisible_plot():
    plot = PlotFactory.build(
        park=BusinessParkFactory(), is_divisible=False, minimum_lot_ha=Decimal(1)
    )
    with pytest.raises(ValidationError):
        plot.full_clean()


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("sites_plot", "geom"),
        ("sites_businesspark", "perimeter"),
        ("sites_businesspark", "centroid"),
        ("sites_commune", "boundary"),
        ("sites_commune", "point"),
    ],
)
def test_geometry_columns_have_a_spatial_index(demo, table, column):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
            definitions = [row[0] for row in cursor.fetchall()]
            assert any(f"gist ({column})" in d for d in definitions), definitions
        else:
            cursor.execute(
                "SELECT spatial_index_enabled, srid FROM geometry_columns"
                " WHERE f_table_name = %s AND f_geometry_column = %s",
                [table, column],
            )
            assert cursor.fetchone() == (1, SRID)
            cursor.execute("SELECT CheckSpatialIndex(%s, %s)", [table, column])
            assert cursor.fetchone() == (1,)


def test_published_parks_are_those_marked_published(db):
    shown, hidden = BusinessParkFactory(), BusinessParkFactory(is_published=False)
    published = BusinessPark.objects.published()
    assert shown in published and hidden not in published
    assert set(shown.organisation.parks.published()) >= {shown}


def test_only_the_pma_is_metropolitan(db):
    metropolitan = [o.slug for o in Organisation.objects.all() if o.is_metropolitan]
    assert metropolitan == ["pma"]
    assert list(Organisation.objects.metropolitan()) == [
        Organisation.objects.get(slug="pma")
    ]
