"""core.bulk: COPY on PostgreSQL writes what bulk_create writes."""

import copy

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict

from core.bulk import bulk_insert
from sites.models import SRID, Plot

pytestmark = pytest.mark.django_db
KEPT_APART = {"id", "slug", "created_at", "updated_at"}


def new_copy(plot, slug):
    twin = copy.copy(plot)
    twin.pk, twin.slug = None, slug
    twin._state = copy.copy(plot._state)
    twin._state.adding = True
    return twin


def stored(pk):
    fields = [f.name for f in Plot._meta.concrete_fields if f.name not in KEPT_APART]
    plot = Plot.objects.get(pk=pk)
    values = model_to_dict(plot, fields=fields)
    values["geom"] = plot.geom.ewkt
    return values


def test_the_rows_are_the_ones_bulk_create_writes(demo):
    plot = Plot.objects.exclude(description_en=None).first()
    plot.minimum_lot_ha, plot.is_divisible = None, True  # a NULL among the values
    plot.geom = MultiPolygon(plot.geom[0], srid=SRID)
    inserted = bulk_insert(Plot, [new_copy(plot, "copied")], batch_size=10)
    created = Plot.objects.bulk_create([new_copy(plot, "created")])
    assert inserted[0].pk and not inserted[0]._state.adding
    assert inserted[0].created_at is not None
    assert stored(inserted[0].pk) == stored(created[0].pk)
    # The sequence moved past the keys taken.
    assert Plot.objects.bulk_create([new_copy(plot, "after")])[0].pk > inserted[0].pk


def test_the_databases_refusal_is_a_django_database_error(demo):
    plot = Plot.objects.first()
    bow_tie = Polygon(((0, 0), (10, 10), (10, 0), (0, 10), (0, 0)), srid=SRID)
    broken = new_copy(plot, "broken")
    broken.geom = MultiPolygon(bow_tie, srid=SRID)  # the validity constraint
    with pytest.raises(DatabaseError), transaction.atomic():
        bulk_insert(Plot, [broken], batch_size=10)
    assert not Plot.objects.filter(slug="broken").exists()


def test_other_databases_use_bulk_create(demo, django_assert_num_queries):
    if connection.vendor == "postgresql":
        pytest.skip("COPY here")
    plot = Plot.objects.first()
    with django_assert_num_queries(1):
        bulk_insert(Plot, [new_copy(plot, "one"), new_copy(plot, "two")], batch_size=10)
