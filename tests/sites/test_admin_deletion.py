"""Deleting a plot or park with leads or shortlists says so first, and what
to do instead: the leads were unlinked and the shortlists emptied without a
word. Each staff member is told about their organisation's only."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from leads import services
from leads.models import Lead
from sites.models import Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user
from tests.leads.test_delivery import lead_data, pending_lead
from tests.leads.test_shortlists import a_shortlist

pytestmark = pytest.mark.django_db
PLOTS = reverse("admin:sites_plot_changelist")
ADVICE = "Un terrain qui n’est plus proposé gagne à être gardé plutôt que supprimé"


def text(response):
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def delete_page(client, plot):
    return text(client.get(reverse("admin:sites_plot_delete", args=[plot.pk])))


def delete_selected_page(client, plots):
    data = {"action": "delete_selected", "_selected_action": [p.pk for p in plots]}
    return text(client.post(PLOTS, data))


def test_deleting_a_plot_with_leads_says_how_many_and_what_to_do_instead(client):
    plot, other = PlotFactory(), PlotFactory()
    pending_lead(plot)
    pending_lead(plot)
    pending_lead(other)
    client.force_login(staff_user("call"))

    page = delete_page(client, plot)
    selected = delete_selected_page(client, [plot, other])

    assert (
        "2 demandes d’investisseurs portent sur ce que vous supprimez : elles "
        "garderont le nom du terrain, mais n’y seront plus liées."
    ) in page
    assert ADVICE in page and "vendu ou non commercialisé" in page
    assert "3 demandes d’investisseurs portent sur ce que vous supprimez" in selected
    assert ADVICE in selected


def test_a_plot_without_leads_or_shortlists_is_deleted_as_before(client):
    plot = PlotFactory()
    client.force_login(staff_user("call"))

    assert ADVICE not in delete_page(client, plot)
    assert ADVICE not in delete_selected_page(client, [plot])


def test_the_shortlists_holding_the_plot_are_counted_with_their_open_links(client):
    plot = PlotFactory()
    a_shortlist([plot])
    a_shortlist([plot, PlotFactory()], revoked_at=timezone.now())
    a_shortlist([plot], expires_at=timezone.now() - timedelta(days=1))
    client.force_login(staff_user("call"))

    page = delete_page(client, plot)

    assert (
        "3 sélections préparées pour des investisseurs contiennent ce que vous "
        "supprimez (liens encore ouverts : 1) : le terrain en sera retiré"
    ) in page
    assert ADVICE in page


def test_each_staff_member_is_told_their_organisations_figures_only(client):
    plot = PlotFactory()  # CALL's
    pending_lead(plot)
    # Sent to the PMA when the plot was another's, and a PMA shortlist.
    moved = pending_lead(plot)
    Lead.objects.filter(pk=moved.pk).update(
        organisation=Organisation.objects.get(slug="pma")
    )
    a_shortlist([plot], organisation=Organisation.objects.get(slug="pma"))

    client.force_login(staff_user("call"))
    call_page = delete_page(client, plot)
    client.force_login(staff_user("pma"))
    pma_page = delete_page(client, plot)

    assert "1 demande d’investisseur porte sur ce que vous supprimez" in call_page
    assert "contient ce que vous supprimez" not in call_page
    assert "2 demandes d’investisseurs portent" in pma_page
    assert "1 sélection préparée pour un investisseur contient" in pma_page


def test_after_the_warning_the_plot_is_deleted_and_its_lead_keeps_its_name(client):
    plot = PlotFactory(name="Terrain du Louvre")
    lead = pending_lead(plot)
    client.force_login(staff_user("call"))

    response = client.post(
        reverse("admin:sites_plot_delete", args=[plot.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Plot.objects.filter(pk=plot.pk).exists()
    lead.refresh_from_db()
    assert (lead.plot, lead.plot_name) == (None, "Terrain du Louvre")


def test_deleting_a_park_with_leads_says_so(admin_client):
    park = BusinessParkFactory()
    with mock.patch.object(services, "lead_enqueue"):
        services.lead_submit(data=lead_data(), park=park)

    page = text(
        admin_client.get(reverse("admin:sites_businesspark_delete", args=[park.pk]))
    )

    assert (
        "1 demande d’investisseur porte sur ce que vous supprimez : elle gardera "
        "le nom du parc, mais n’y sera plus liée."
    ) in page
    assert "Un parc qui n’est plus proposé gagne à être dépublié" in page
