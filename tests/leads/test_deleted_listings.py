"""A lead keeps what it was about when its plot or park is deleted: deleting a
listing only unlinks its leads (SET_NULL), which left staff to guess what the
investor had asked about."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from leads import services
from leads.models import Lead
from tests.factories import BusinessParkFactory, PlotFactory
from tests.leads.test_delivery import DEVELOPER, INVESTOR, lead_data, pending_lead

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:leads_lead_changelist")


def text(response):
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def park_lead(park):
    with mock.patch.object(services, "lead_enqueue"):
        return services.lead_submit(data=lead_data(), park=park)


def test_a_lead_keeps_its_plots_name_and_reference_once_the_plot_is_deleted(
    staff_client, contacts
):
    plot = PlotFactory(name="Terrain des Glissoires", reference="62498-T07")
    lead = pending_lead(plot)
    park = plot.park

    plot.delete()

    lead.refresh_from_db()
    assert lead.plot is None and lead.park == park
    assert (lead.plot_name, lead.plot_reference) == (
        "Terrain des Glissoires",
        "62498-T07",
    )
    assert lead.subject_name == "Terrain des Glissoires"
    page = text(staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk])))
    assert (
        "Terrain : Terrain des Glissoires (62498-T07) (supprimé depuis la demande)"
    ) in page
    listed = text(staff_client.get(CHANGELIST))
    assert "Terrain des Glissoires (supprimé depuis la demande)" in listed


def test_a_lead_keeps_its_parks_name_once_the_park_is_deleted(staff_client, contacts):
    park = BusinessParkFactory(name="Parc des Oiseaux")
    lead = park_lead(park)

    park.delete()

    lead.refresh_from_db()
    assert (lead.park, lead.park_name, lead.plot_name) == (None, "Parc des Oiseaux", "")
    page = text(staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk])))
    assert "Parc d’activités : Parc des Oiseaux (supprimé depuis la demande)" in page


def test_a_linked_plot_is_still_a_link_to_it(staff_client, contacts, plot):
    lead = pending_lead(plot)
    page = staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    html = page.content.decode()
    assert f'href="{reverse("admin:sites_plot_change", args=[plot.pk])}"' in html
    assert "supprimé depuis la demande" not in html


def test_a_lead_whose_plot_was_deleted_is_found_by_its_name(staff_client, contacts):
    gone = pending_lead(PlotFactory(name="Terrain du Louvre", reference="L-12"))
    other = pending_lead(PlotFactory(name="Terrain des Glissoires"))
    Lead.objects.get(pk=gone.pk).plot.delete()

    for words in ("Louvre", "L-12"):
        found = staff_client.get(CHANGELIST, {"q": words}).context["cl"].queryset
        assert list(found) == [gone], words
    assert other not in found


def test_a_general_enquiry_names_nothing(contacts):
    with mock.patch.object(services, "lead_enqueue"):
        lead = services.lead_submit(data=lead_data())
    assert (lead.plot_name, lead.plot_reference, lead.park_name) == ("", "", "")
    assert lead.subject_name == ""


def test_a_lead_sent_after_its_plot_was_deleted_still_names_it(contacts, smtp):
    """Delivered late (the mail server was down, "Send again"): the emails say
    which plot the investor asked about, by the name kept with the lead."""
    plot = PlotFactory(name="Terrain des Glissoires")
    pending_lead(plot)
    plot.delete()

    call_command("leads_resend_pending", stdout=open("/dev/null", "w"))

    [(subject, body)] = smtp.text(DEVELOPER)
    assert "Terrain des Glissoires" in subject
    assert "Terrain des Glissoires" in body
    [(_subject, acknowledgement)] = smtp.text(INVESTOR)
    assert "Terrain des Glissoires" in acknowledgement
