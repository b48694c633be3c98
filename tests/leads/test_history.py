"""A lead's pipeline history: who changed it, and gone with the lead."""

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from leads.services import leads_purge, person_erase
from sites.models import Organisation
from tests.leads.admin_forms import change_data

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
