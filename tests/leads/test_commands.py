import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from leads.models import Lead, LeadNote, Shortlist, ShortlistPlot
from leads.services import leads_purge
from tests.leads.test_delivery import pending_lead
from tests.leads.test_shortlists import a_shortlist

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_purge_deletes_leads_3_years_after_the_last_contact(contacts, plot):
    now = timezone.now()
    old = pending_lead(plot, last_contact_at=now - timedelta(days=3 * 365 + 2))
    recent = pending_lead(plot, last_contact_at=now - timedelta(days=3 * 365 - 2))
    # Received long ago, but in touch recently: kept.
    renewed = pending_lead(plot, created_at=now - timedelta(days=2000))

    out, _err = run("leads_purge")

    assert "1 lead(s)" in out
    remaining = set(Lead.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, renewed.pk}
    assert old.pk not in remaining


def test_purge_deletes_shortlists_without_a_lead_3_years_after_their_link_closed(
    contacts, plot
):
    # They name the investor, and no lead's purge takes them.
    now = timezone.now()
    long_ago = now - timedelta(days=3 * 365 + 2)
    expired, _ = a_shortlist([plot])
    revoked, _ = a_shortlist([plot], expires_at=now + timedelta(days=30))
    recent, _ = a_shortlist([plot])
    with_lead, _ = a_shortlist([plot], lead=pending_lead(plot))
    Shortlist.objects.filter(pk__in=[expired.pk, recent.pk, with_lead.pk]).update(
        expires_at=long_ago
    )
    Shortlist.objects.filter(pk=recent.pk).update(expires_at=now - timedelta(days=30))
    Shortlist.objects.filter(pk=revoked.pk).update(revoked_at=long_ago)

    out, _err = run("leads_purge")

    assert "2 shortlist(s)" in out
    # With a lead, it goes with the lead's own purge (its last contact).
    assert set(Shortlist.objects.values_list("pk", flat=True)) == {
        recent.pk,
        with_lead.pk,
    }
    assert not ShortlistPlot.objects.filter(shortlist__in=[expired, revoked]).exists()


def test_purge_on_29_february(contacts, plot):
    leap_day = timezone.now().replace(year=2028, month=2, day=29)
    pending_lead(plot, last_contact_at=leap_day.replace(year=2025, day=27))
    assert leads_purge(now=leap_day) == 1


def test_export_person_gives_everything_held_about_an_email(contacts, plot):
    lead = pending_lead(plot)
    LeadNote.objects.create(lead=lead, text="Met at SIMI")
    other = pending_lead(plot, email="someone.else@example.com")
    LeadNote.objects.create(lead=other, text="Someone else's")

    out, _err = run("leads_export_person", "JAN@Vries-Logistics.nl")

    exported, note = json.loads(out)
    assert exported["pk"] == lead.pk
    assert exported["fields"]["email"] == "jan@vries-logistics.nl"
    assert exported["fields"]["message"].startswith("We look for 5 ha")
    assert (note["model"], note["fields"]["lead"]) == ("leads.leadnote", lead.pk)
    assert note["fields"]["text"] == "Met at SIMI"
    assert Lead.objects.count() == 2


def test_export_person_with_erase_deletes_that_person_only(contacts, plot):
    pending_lead(plot)
    other = pending_lead(plot, email="someone.else@example.com")

    out, err = run("leads_export_person", "jan@vries-logistics.nl", "--erase")

    assert len(json.loads(out)) == 1
    assert "1 lead(s) erased" in err
    assert list(Lead.objects.values_list("pk", flat=True)) == [other.pk]


def test_resend_pending_reports_what_it_did(smtp, contacts, plot):
    pending_lead(plot)

    out, _err = run("leads_resend_pending")
    assert out.strip() == "sent: 1"
    out, _err = run("leads_resend_pending")
    assert out.strip() == "nothing to deliver"


def test_beat_runs_the_resend_and_the_purge():
    from django.conf import settings

    from investinartois.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "leads.tasks.leads_deliver_pending_task",
        "leads.tasks.leads_purge_task",
    } <= tasks
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)
