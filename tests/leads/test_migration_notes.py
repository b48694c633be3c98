"""The old free-text notes migrated into each lead's first log entry."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("leads", "0003_leadnote")]

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


def old_lead(apps, notes, **fields):
    Organisation = apps.get_model("sites", "Organisation")
    return apps.get_model("leads", "Lead").objects.create(
        name="Ada",
        company="Example BV",
        country="Netherlands",
        email="ada@example.com",
        language="nl",
        project_type="logistics",
        timeline="6-12",
        message="10 ha",
        consent_at=timezone.now(),
        organisation=Organisation.objects.get(slug="call"),
        notes=notes,
        **fields,
    )


def version(apps, lead, notes, when):
    """A pipeline save as simple-history recorded it."""
    fields = {
        f.attname: getattr(lead, f.attname)
        for f in lead._meta.concrete_fields
        if f.attname not in ("notes",)
    }
    apps.get_model("leads", "HistoricalLead").objects.create(
        **fields, notes=notes, history_date=when, history_type="~"
    )


def test_each_non_empty_note_becomes_a_first_entry_dated_when_it_was_written():
    apps = migrate(BEFORE)
    received = timezone.now() - timedelta(days=30)
    written = received + timedelta(days=3)
    with_history = old_lead(apps, "Called back.\nBudget 4 M€.", created_at=received)
    version(apps, with_history, "", received)
    version(apps, with_history, "Called back.\nBudget 4 M€.", written)
    version(apps, with_history, "Called back.\nBudget 4 M€.", written + timedelta(1))
    no_history = old_lead(apps, "Met at SIMI", created_at=received)
    old_lead(apps, "")
    old_lead(apps, "   \n ")

    apps = migrate(latest())

    LeadNote = apps.get_model("leads", "LeadNote")
    entries = LeadNote.objects.order_by("lead_id")
    assert list(entries.values_list("lead_id", "text", "author", "created_at")) == [
        (with_history.pk, "Called back.\nBudget 4 M€.", None, written),
        (no_history.pk, "Met at SIMI", None, received),
    ]
    Lead = apps.get_model("leads", "Lead")
    assert "notes" not in {f.name for f in Lead._meta.concrete_fields}


def test_the_migration_can_be_reversed_without_losing_the_text():
    apps = migrate(BEFORE)
    lead = old_lead(apps, "Met at SIMI")
    apps = migrate(latest())
    apps.get_model("leads", "LeadNote").objects.create(lead_id=lead.pk, text="Visit")

    apps = migrate([("leads", "0002_lead_history")])

    restored = apps.get_model("leads", "Lead").objects.get(pk=lead.pk)
    assert restored.notes == "Met at SIMI\n\nVisit"
