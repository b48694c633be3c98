"""A lead's pipeline history: who changed it, and gone with the lead."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from leads import services
from leads.models import Lead
from leads.services import leads_purge, person_erase
from sites.models import Organisation
from tests.leads.admin_forms import change_data
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db


def lead(email="ceo@example.com", **fields):
    return Lead.objects.create(
        name="Ada Investor",
        company="Example BV",
        country="Netherlands",
        email=email,
        language="nl",
        project_type=Lead.ProjectType.LOGISTICS,
        timeline=Lead.Timeline.YEAR,
        message="We look for 10 ha.",
        consent_at=timezone.now(),
        organisation=Organisation.objects.get(slug="call"),
        **fields,
    )


def test_a_status_change_in_the_admin_is_recorded_with_its_author(client, admin_user):
    contacted = lead()
    client.force_login(admin_user)
    url = reverse("admin:leads_lead_change", args=[contacted.pk])
    response = client.post(
        url,
        change_data(contacted, status=Lead.Status.CONTACTED, new_note="Called back."),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    latest = contacted.history.latest()
    assert latest.status == Lead.Status.CONTACTED
    assert latest.history_user == admin_user
    page = client.get(reverse("admin:leads_lead_history", args=[contacted.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("remove", ["erase", "purge"])
def test_erasure_and_purge_take_the_history_along(remove):
    kept = lead(email="other@example.com")
    gone = lead(last_contact_at=timezone.now().replace(year=2000))
    gone.status = Lead.Status.LOST
    gone.save()
    assert gone.history.count() == 2

    if remove == "erase":
        person_erase(email="ceo@example.com")
    else:
        leads_purge()

    assert not Lead.history.filter(id=gone.pk).exists()
    assert not Lead.history.filter(email="ceo@example.com").exists()
    assert Lead.history.filter(id=kept.pk).exists()


def history_text(client, lead, language):
    url = reverse("admin:leads_lead_history", args=[lead.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def pipeline_changes(admin_user):
    """A lead moved along: won after a site visit, delivered meanwhile, assigned
    to someone whose account was then deleted."""
    leaving = User.objects.create_user("leaving", first_name="Léa", is_staff=True)
    moved = lead(status=Lead.Status.SITE_VISIT)
    moved.delivery_status = Lead.Delivery.SENT
    moved.status = Lead.Status.WON
    moved.phone = "+31 20 123 4567"
    moved.assignee = leaving
    moved.last_contact_at = CONTACT
    moved._history_user = admin_user
    moved.save()
    leaving.delete()
    moved.refresh_from_db()
    moved.assignee = admin_user
    moved.save()
    return moved


CONTACT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # 15:30 in Paris


@pytest.mark.parametrize(
    ("language", "expected", "raw"),
    [
        (
            "fr",
            [
                "Statut : Visite de site → Gagné",
                "Envoi : En attente → Envoyé",
                "Téléphone : — → +31 20 123 4567",
                "→ 5 mars 2026 15:30",
                "Chargé de suivi : utilisateur supprimé → admin",
                "Chargé de suivi : — → utilisateur supprimé",
            ],
            ["site_visit", "pending →", "None", "pk=", "2026-03-05", "Deleted"],
        ),
        (
            "en",
            [
                "Status: Site visit → Won",
                "Delivery: Pending → Sent",
                "Phone: — → +31 20 123 4567",
                "March 5, 2026, 3:30 p.m.",
                "Assignee: — → deleted user",
            ],
            ["site_visit", "None", "pk="],
        ),
        (
            "nl",
            [
                "Status: Terreinbezoek → Gewonnen",
                "In afwachting → Verzonden",
                "5 maart 2026 15:30",
                "verwijderde gebruiker",
            ],
            ["site_visit", "None", "pk=", "Changed by"],
        ),
    ],
)
def test_the_history_shows_labels_local_dates_and_dashes(
    client, admin_user, language, expected, raw
):
    moved = pipeline_changes(admin_user)
    client.force_login(admin_user)

    text = history_text(client, moved, language)

    for fragment in expected:
        assert fragment in text
    for fragment in raw:
        assert fragment not in text


def test_the_delivery_is_recorded_as_the_portal_s_not_the_next_editor_s(
    client, admin_user, smtp, contacts, plot
):
    """The senders write with UPDATE: without a version of their own, the
    delivery (status, attempts, dates) read as changed by whoever saved the
    lead next."""
    delivered = pending_lead(plot)
    assert services.lead_deliver(lead_id=delivered.pk) == Lead.Delivery.SENT
    delivered.refresh_from_db()
    client.force_login(admin_user)
    url = reverse("admin:leads_lead_change", args=[delivered.pk])
    response = client.post(url, change_data(delivered, status=Lead.Status.CONTACTED))
    assert response.status_code == 302

    edited, sent = delivered.history.order_by("-history_date", "-history_id")[:2]
    assert sent.delivery_status == Lead.Delivery.SENT and sent.history_user is None
    assert edited.history_user == admin_user
    changed = {change.field for change in edited.diff_against(sent).changes}
    assert changed == {"status", "last_contact_at"}
