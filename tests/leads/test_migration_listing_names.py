"""Leads received before they kept their plot's and park's names get them:
from the listing when it is still there, from the histories when it was
deleted already."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import BusinessParkFactory, PlotFactory

BEFORE = [("leads", "0011_lead_notified_to")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def back_to_latest():
    """Whatever happens in a test, the next one finds the current schema."""
    yield
    migrate(latest())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "leads"]


def old_lead(apps, plot=None, park=None):
    """A lead as received then, with the version simple-history recorded."""
    Lead = apps.get_model("leads", "Lead")
    lead = Lead.objects.create(
        name="Ada",
        company="Example BV",
        country="Netherlands",
        email="ada@example.com",
        language="nl",
        project_type="logistics",
        timeline="6-12",
        message="10 ha",
        consent_at=timezone.now(),
        organisation_id=(park or plot.park).organisation_id,
        plot_id=plot and plot.pk,
        park_id=(park or plot.park).pk,
    )
    fields = {f.attname: getattr(lead, f.attname) for f in Lead._meta.concrete_fields}
    apps.get_model("leads", "HistoricalLead").objects.create(
        **fields, history_date=timezone.now(), history_type="+"
    )
    return lead


def test_leads_get_the_names_of_their_plots_and_parks_even_deleted_ones():
    kept = PlotFactory(name="Terrain des Glissoires", reference="T-01")
    gone = PlotFactory(name="Terrain du Louvre", reference="T-02")
    empty_park = BusinessParkFactory(name="Parc des Oiseaux")
    apps = migrate(BEFORE)
    on_kept = old_lead(apps, plot=kept)
    on_gone = old_lead(apps, plot=gone)
    on_park = old_lead(apps, park=empty_park)
    general = old_lead(apps, park=empty_park)
    Lead = apps.get_model("leads", "Lead")
    Lead.objects.filter(pk=general.pk).update(park=None)
    apps.get_model("leads", "HistoricalLead").objects.filter(id=general.pk).update(
        park=None
    )
    # Renamed before it went (a version in its history), then deleted as the
    # admin did: the leads unlinked by the database, no version of theirs.
    gone.name = "Terrain du Louvre, lot 2"
    gone.save()
    gone.delete()
    apps.get_model("sites", "BusinessPark").objects.filter(pk=empty_park.pk).delete()

    apps = migrate(latest())

    Lead = apps.get_model("leads", "Lead")
    names = Lead.objects.values_list("pk", "plot_name", "plot_reference", "park_name")
    park_name = kept.park.name
    assert sorted(names) == [
        (on_kept.pk, "Terrain des Glissoires", "T-01", park_name),
        (on_gone.pk, "Terrain du Louvre, lot 2", "T-02", gone.park.name),
        (on_park.pk, "", "", "Parc des Oiseaux"),
        (general.pk, "", "", ""),
    ]
    assert Lead.objects.get(pk=on_gone.pk).plot_id is None
