"""The daily digest: flagged leads and leads left "new", once a day, to the
organisation's own lead contacts, with links to the real portal."""

import re
from datetime import datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from leads.models import Lead, LeadDigest
from leads.services import leads_digest_send
from sites.models import Organisation
from tests.factories import PlotFactory
from tests.leads.conftest import contact
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SITE = "https://www.investinartois.fr"
DEVELOPER = "dev@agglo-lenslievin.fr"  # CALL's lead contact
PMA = "eco@pole-artois.fr"


def at(day, hour=8, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


WEDNESDAY = at(11)  # two working days back: Monday 9 March, 08:00


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def received(when, plot, **fields):
    fields = {"delivery_status": "sent", **fields}
    lead = pending_lead(plot, created_at=when, **fields)
    lead.refresh_from_db()
    return lead


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def call_leads(contacts, plot):
    claire = User.objects.create_user("claire", first_name="Claire", is_staff=True)
    return {
        "waiting": received(at(6, 10), plot, company="Waiting BV"),
        "assigned": received(at(9, 7), plot, company="Assigned SA", assignee=claire),
        "recent": received(at(9, 9), plot, company="Recent GmbH"),
        "flagged": received(
            at(10, 15), plot, company="Flagged Ltd", spam_reason="rate limit"
        ),
        "honeypot": received(
            at(10, 16),
            plot,
            company="Bot Inc",
            spam_reason="honeypot",
            delivery_status="held",
        ),
        "old honeypot": received(
            at(2),
            plot,
            company="Old Bot",
            spam_reason="honeypot",
            delivery_status="held",
        ),
        "old flagged": received(
            at(3), plot, company="Old Flagged", spam_reason="form too old"
        ),
        "contacted": received(at(2), plot, company="Handled NV", status="contacted"),
    }


def test_the_digest_lists_flagged_and_untouched_leads(smtp, call_leads):
    outcomes = leads_digest_send(now=WEDNESDAY)

    assert outcomes == {"sent": 1}
    [message] = smtp.to(DEVELOPER)
    text = body(message)
    flagged, untouched = text.split("Toujours")[0], text.split("Toujours")[1]
    for company in ("Flagged Ltd", "Bot Inc"):
        assert company in flagged
    for company in ("Waiting BV", "Assigned SA", "Old Flagged"):
        assert company in untouched
    for company in ("Recent GmbH", "Old Bot", "Handled NV"):
        assert company not in text
    assert "rate limit" in flagged
    assert "retenue\xa0: elle ne vous a pas été envoyée" in flagged
    waiting = untouched.split("Waiting BV")[1].split("\n- ")[0]
    assert "Personne n’en a la charge\xa0: c’est à l’organisme de s’en saisir." in (
        waiting
    )
    assert "Suivie par Claire" in untouched.split("Assigned SA")[1].split("\n- ")[0]
    assert "6 mars 2026 10:00" in untouched
    # Folded, an encoded subject starts its own line: the leading space is
    # the fold's. French typography: a non-breaking space before the colon.
    assert (
        message["Subject"].strip()
        == "Invest in Artois, CALL\xa0: 5 demandes à examiner"
    )


def test_leads_are_counted_in_working_days_across_the_weekend(smtp, contacts, plot):
    saturday = received(at(7, 12), plot, company="Weekend BV")

    leads_digest_send(now=at(10))  # Tuesday: only Monday has passed
    assert smtp.messages == []

    leads_digest_send(now=at(11))  # Wednesday: Monday and Tuesday
    [message] = smtp.to(DEVELOPER)
    assert saturday.company in body(message)


def test_no_digest_when_nothing_needs_a_look(smtp, contacts, plot):
    received(at(10, 9), plot)  # recent
    received(at(2), plot, status="won")
    received(at(2), plot, spam_reason="honeypot", delivery_status="held")

    assert leads_digest_send(now=WEDNESDAY) == {}
    assert smtp.messages == []
    assert not LeadDigest.objects.exists()


def test_no_digest_on_weekends_and_public_holidays(smtp, call_leads):
    assert leads_digest_send(now=at(14)) is None  # Saturday
    assert leads_digest_send(now=datetime(2026, 4, 6, 8, tzinfo=PARIS)) is None
    assert smtp.messages == []


def test_one_digest_a_day_however_often_it_runs(smtp, call_leads):
    assert leads_digest_send(now=WEDNESDAY) == {"sent": 1}
    assert leads_digest_send(now=WEDNESDAY + timedelta(hours=3)) == {"already sent": 1}
    assert len(smtp.to(DEVELOPER)) == 1
    digest = LeadDigest.objects.get()
    assert (digest.day.isoformat(), digest.leads) == ("2026-03-11", 5)
    assert digest.sent_at is not None

    leads_digest_send(now=WEDNESDAY + timedelta(days=1))
    assert len(smtp.to(DEVELOPER)) == 2


def test_each_organisation_gets_its_own_leads_only(smtp, contacts, plot):
    received(at(2), plot, company="Lens Logistics")
    siziaf = Organisation.objects.get(slug="siziaf")
    received(at(2), PlotFactory(park__organisation=siziaf), company="Douvrin Cells")
    cahc = Organisation.objects.get(slug="cahc")  # no contact: the PMA reads
    received(at(2), PlotFactory(park__organisation=cahc), company="Carvin Foods")

    assert leads_digest_send(now=WEDNESDAY) == {"sent": 3}

    recipients = sorted(tuple(sorted(e.rcpt_tos)) for e, _m in smtp.messages)
    assert recipients == [(DEVELOPER,), ("dev@siziaf.fr",), (PMA,)]
    [call] = smtp.to(DEVELOPER)
    [siziaf_digest] = smtp.to("dev@siziaf.fr")
    [cahc_digest] = smtp.to(PMA)
    assert "Lens Logistics" in body(call)
    assert "Douvrin Cells" in body(siziaf_digest)
    assert "Carvin Foods" in body(cahc_digest)
    for message in smtp.to(DEVELOPER) + smtp.to("dev@siziaf.fr"):
        assert "Carvin Foods" not in body(message)
    assert "accueil@agglo-lenslievin.fr" not in str(smtp.raw())  # not a lead contact


def test_links_are_absolute_and_lead_to_each_lead(smtp, call_leads):
    leads_digest_send(now=WEDNESDAY)

    text = body(smtp.to(DEVELOPER)[0])
    links = re.findall(r"https?://\S+", text)
    listed = [lead for lead in call_leads.values() if lead.company in text]
    admin_links = {
        f"{SITE}{reverse('admin:leads_lead_change', args=[lead.pk])}" for lead in listed
    }
    assert admin_links <= set(links)
    assert f"{SITE}{reverse('staff-dashboard')}" in links
    assert all(link.startswith(f"{SITE}/") for link in links)
    assert "127.0.0.1" not in text and "localhost" not in text


def test_each_contact_reads_it_in_their_language(smtp, contacts, plot):
    contact("call", "dutch@agglo-lenslievin.fr").__class__.objects.filter(
        email="dutch@agglo-lenslievin.fr"
    ).update(language="nl")
    contact("call", "english@agglo-lenslievin.fr").__class__.objects.filter(
        email="english@agglo-lenslievin.fr"
    ).update(language="en")
    received(at(2), plot, company="Waiting BV")

    leads_digest_send(now=WEDNESDAY)

    assert len(smtp.messages) == 3
    [french] = smtp.to(DEVELOPER)
    [dutch] = smtp.to("dutch@agglo-lenslievin.fr")
    [english] = smtp.to("english@agglo-lenslievin.fr")
    assert "Bonjour" in body(french) and "2 mars 2026" in body(french)
    assert "1 lead needs attention" in english["Subject"]
    assert "2 maart 2026" in body(dutch)
    assert 'Still "New" after 2 working days' in body(english)


def test_a_refused_digest_is_tried_again_by_the_next_run(smtp, call_leads):
    smtp.refuse = "451 4.3.0 Try again later"
    assert leads_digest_send(now=WEDNESDAY) == {"failed": 1}
    assert not LeadDigest.objects.exists()

    smtp.refuse = None
    assert leads_digest_send(now=WEDNESDAY + timedelta(minutes=30)) == {"sent": 1}
    assert len(smtp.to(DEVELOPER)) == 1


def test_a_digest_refused_in_one_language_is_not_sent_again_in_the_others(
    smtp, call_leads
):
    """One message per language: once one went, the day's digest is sent, and
    the next run sends no one a second copy (those refused read tomorrow's,
    which lists the same leads while they stay new)."""
    dutch = contact("call", "dutch@agglo-lenslievin.fr")
    dutch.__class__.objects.filter(pk=dutch.pk).update(language="nl")
    smtp.later.add(dutch.email)

    assert leads_digest_send(now=WEDNESDAY) == {"partly sent": 1}
    smtp.later.clear()
    assert leads_digest_send(now=WEDNESDAY + timedelta(minutes=30)) == {
        "already sent": 1
    }

    assert (len(smtp.to(DEVELOPER)), smtp.to(dutch.email)) == (1, [])
    assert LeadDigest.objects.get().sent_at is not None


def test_a_claim_left_by_a_run_that_died_is_taken_over(smtp, call_leads):
    call = Organisation.objects.get(slug="call")
    LeadDigest.objects.create(
        organisation=call, day=WEDNESDAY.date(), claimed_at=at(11, 7)
    )

    assert leads_digest_send(now=at(11, 7, 30)) == {"already sent": 1}
    assert leads_digest_send(now=at(11, 8, 30)) == {"sent": 1}
    assert len(smtp.to(DEVELOPER)) == 1


def test_the_digest_queries_do_not_grow_with_the_leads(
    smtp, contacts, plot, django_assert_max_num_queries
):
    def digest_queries():
        LeadDigest.objects.all().delete()
        with django_assert_max_num_queries(100) as captured:
            leads_digest_send(now=WEDNESDAY)
        return len(captured)

    received(at(2), plot)
    received(at(10), plot, spam_reason="rate limit")
    few = digest_queries()
    for day in range(2, 6):
        received(at(day), PlotFactory(), assignee=User.objects.create_user(f"u{day}"))
        received(at(10), PlotFactory(), spam_reason="form too old")
    assert digest_queries() == few


def test_the_command_for_cron(smtp, call_leads):
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=WEDNESDAY):
        call_command("leads_digest", stdout=out)
        call_command("leads_digest", stdout=out)
    assert out.getvalue().splitlines() == ["sent: 1", "already sent: 1"]
    Lead.objects.update(status="contacted")
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=WEDNESDAY):
        call_command("leads_digest", stdout=out)
    assert out.getvalue().strip() == "nothing to look at: no digest"


def test_beat_sends_the_digest_every_morning():
    from django.conf import settings

    from investinartois.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["leads-digest"]
    assert entry["task"] == "leads.tasks.leads_digest_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {0})
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_digest_names_the_flags_in_words(smtp, contacts, plot):
    received(at(10), plot, company="Quick SA", spam_reason="fast,rate-email")

    leads_digest_send(now=WEDNESDAY)

    [digest] = smtp.to(DEVELOPER)
    assert (
        "envoyé quelques secondes après l’ouverture du formulaire, de nombreuses "
        "demandes de cette adresse électronique en une heure"
    ) in body(digest)
