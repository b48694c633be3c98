from decimal import Decimal

import pytest
from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import Area, Transform
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Cast

from sites.models import SRID, BusinessPark, Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db


def rectangle(x, y, width, height, srid=SRID):
    return MultiPolygon(Polygon.from_bbox((x, y, x + width, y + height)), srid=srid)


def test_surface_is_computed_from_the_outline():
    plot = PlotFactory(geom=rectangle(690_000, 7_040_000, 200, 150))
    assert plot.computed_surface_ha == Decimal("3.0000")
    assert plot.surface_ha == Decimal("3.0000")


def test_declared_cadastral_surface_overrides_the_outline():
    plot = PlotFactory(
        geom=rectangle(690_000, 7_040_000, 200, 150), cadastral_surface_ha=Decimal(3.1)
    )
    plot.refresh_from_db()
    assert plot.computed_surface_ha == Decimal("3.0000")
    assert plot.surface_ha == Decimal("3.1000")


def test_outline_in_wgs84_is_stored_in_lambert93_with_a_metric_surface():
    lambert = rectangle(690_000, 7_040_000, 100, 100)
    wgs84 = lambert.transform(4326, clone=True)
    plot = PlotFactory(geom=wgs84)
    plot.refresh_from_db()
    assert plot.geom.srid == SRID
    assert plot.surface_ha == pytest.approx(Decimal(1), abs=Decimal("0.0002"))


def test_park_centroid_and_gross_surface():
    park = BusinessParkFactory(perimeter=rectangle(690_000, 7_040_000, 1_000, 500))
    assert park.surface_gross_ha == Decimal(50)
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


def test_surfaces_agree_with_the_database_on_every_backend(demo):
    """The stored surface (GEOS, Lambert-93) against this database's own planar
    and ellipsoidal areas: the suite runs on SpatiaLite and on PostGIS."""
    wgs84 = Transform("geom", 4326)
    if connection.vendor == "postgresql":  # ellipsoidal areas need geography
        wgs84 = Cast(wgs84, MultiPolygonField(srid=4326, geography=True))
    plots = Plot.objects.annotate(planar=Area("geom"), geodesic=Area(wgs84))
    assert plots.count() > 20
    for plot in plots:
        surface_m2 = float(plot.computed_surface_ha) * 10_000
        assert plot.planar.sq_m == pytest.approx(surface_m2, rel=1e-6)
        assert plot.geodesic.sq_m == pytest.approx(surface_m2, rel=0.005)


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
