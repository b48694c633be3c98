"""The staff dashboard lists the digest's leads, in the staff member's scope,
with labels and local dates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from leads.models import Lead
from leads.selectors import leads_to_look_at
from leads.workdays import working_days_before
from sites.models import Organisation
from sites.staff import EVERYTHING
from tests.factories import PlotFactory, staff_user
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db
URL = reverse("staff-dashboard")


def overdue():
    return working_days_before(timezone.now(), 3)


def cahc_plot():
    return PlotFactory(park__organisation=Organisation.objects.get(slug="cahc"))


@pytest.fixture
def leads(contacts, plot):
    recent = timezone.now() - timedelta(minutes=5)
    return {
        "flagged": pending_lead(
            plot, company="Flagged Ltd", spam_reason="rate limit", created_at=recent
        ),
        "waiting": pending_lead(plot, company="Waiting BV", created_at=overdue()),
        "recent": pending_lead(plot, company="Recent GmbH", created_at=recent),
        "cahc": pending_lead(cahc_plot(), company="Carvin Foods", created_at=overdue()),
    }


def page_text(client, user, language="fr"):
    client.force_login(user)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response, " ".join(strip_tags(response.content.decode()).split())


def test_the_dashboard_shows_the_digests_lists_in_scope(client, leads):
    response, text = page_text(client, staff_user("call"))

    shown = response.context["to_look_at"]
    assert [lead.company for lead in shown.flagged] == ["Flagged Ltd"]
    assert [lead.company for lead in shown.untouched] == ["Waiting BV"]
    call = Organisation.objects.get(slug="call")
    assert shown == leads_to_look_at(call)
    assert "Carvin Foods" not in text and "Recent GmbH" not in text
    assert "Personne : c’est à l’organisme de s’en saisir" in text
    change = reverse("admin:leads_lead_change", args=[leads["waiting"].pk])
    assert f'href="{change}"' in response.content.decode()


def test_pma_staff_see_every_organisations_leads(client, leads):
    response, text = page_text(client, staff_user("pma"))
    companies = {lead.company for lead in response.context["to_look_at"].untouched}
    assert companies == {"Waiting BV", "Carvin Foods"}
    assert leads_to_look_at(EVERYTHING).untouched == list(
        response.context["to_look_at"].untouched
    )


@pytest.mark.parametrize(
    ("language", "label", "date"),
    [("fr", "Nouvelle", "2 mars 2026"), ("en", "New", "March 2, 2026"),
     ("nl", "Nieuw", "2 maart 2026")],
)  # fmt: skip
def test_statuses_read_as_labels_and_dates_as_dates(
    client, leads, language, label, date
):
    waiting = leads["waiting"]
    received = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    Lead.objects.filter(pk=waiting.pk).update(created_at=received)

    response, text = page_text(client, staff_user("call"), language)

    html = response.content.decode()
    assert f"<td>CALL</td><td>{label}</td><td>3</td>" in html
    assert "<td>new</td>" not in html
    assert f"{date} 09:30" in text or f"{date}, 9:30" in text
    assert "2026-03-02" not in text


def test_the_dashboard_queries_do_not_grow_with_the_leads(client, contacts, plot):
    user = staff_user("pma")
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    pending_lead(plot, created_at=overdue())
    pending_lead(plot, spam_reason="rate limit")
    few = queries()
    for index in range(4):
        assignee = User.objects.create_user(f"dev{index}", first_name=f"Dev {index}")
        pending_lead(PlotFactory(), created_at=overdue(), assignee=assignee)
        pending_lead(cahc_plot(), spam_reason="form too old")
    assert queries() == few


def test_leads_the_developers_never_received_are_shown_at_once(client, contacts, plot):
    """A lead whose sending failed for good (an address refused, nobody to
    send it to) waits for staff to fix and send it again: the dashboard shows
    it from the start, not 2 working days later among the untouched."""
    failed = pending_lead(
        plot, company="Bounced SA", delivery_status="failed",
        delivery_error="SMTPRecipientsRefused 550",
    )  # fmt: skip
    pending_lead(plot, company="Delivered BV", delivery_status="sent")
    pending_lead(  # only the acknowledgement failed: the developers have it
        plot, company="Acknowledged NV", delivery_status="failed",
        notified_at=timezone.now(),
    )  # fmt: skip
    pending_lead(cahc_plot(), company="Carvin Foods", delivery_status="failed")

    response, text = page_text(client, staff_user("call"))

    assert [lead.company for lead in response.context["undelivered"]] == ["Bounced SA"]
    assert "Demandes que les développeurs n’ont pas reçues" in text
    assert "SMTPRecipientsRefused 550" in text
    change = reverse("admin:leads_lead_change", args=[failed.pk])
    assert f'href="{change}"' in response.content.decode()
    assert "Carvin Foods" not in text
    response, _text = page_text(client, staff_user("pma"))
    companies = {lead.company for lead in response.context["undelivered"]}
    assert companies == {"Bounced SA", "Carvin Foods"}


def test_leads_still_unsent_an_hour_after_they_came_are_shown_too(
    client, contacts, plot
):
    """A mail server that answers with a temporary error for hours (a TLS
    setting that does not match it, an expired certificate, an outage)
    leaves every lead pending, retried without end: only the logs said so."""
    hours_ago = timezone.now() - timedelta(hours=2)
    pending_lead(
        plot, company="Stuck BV", created_at=hours_ago,
        delivery_error="SSLCertVerificationError",
    )  # fmt: skip
    pending_lead(plot, company="Just Now BV")  # the worker's retries have time
    pending_lead(  # the developers had it; the acknowledgement waits
        plot, company="Acknowledging NV", created_at=hours_ago,
        notified_at=timezone.now(),
    )  # fmt: skip

    response, text = page_text(client, staff_user("call"))

    assert [lead.company for lead in response.context["undelivered"]] == ["Stuck BV"]
    assert "SSLCertVerificationError" in text
