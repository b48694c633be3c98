import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead, LeadNote
from leads.services import leads_purge
from tests.factories import PlotFactory, staff_user
from tests.leads.admin_forms import change_data
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:leads_lead_changelist")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pipeline_list_uses_a_constant_number_of_queries(
    staff_client, contacts, plot, admin_user
):
    pending_lead(plot, assignee=admin_user)
    few = queries(staff_client, CHANGELIST)
    for _ in range(5):
        pending_lead(PlotFactory(), assignee=admin_user)
    assert queries(staff_client, CHANGELIST) == few


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=new",
        "delivery_status__exact=pending",
        "spam=yes",
        "project_type__exact=logistics",
        "q=Vries",
    ],
)
def test_the_pipeline_filters(staff_client, contacts, plot, query):
    pending_lead(plot)
    response = staff_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200


def test_staff_change_status_assignee_and_write_a_note_and_it_counts_as_a_contact(
    staff_client, contacts, plot, admin_user
):
    lead = pending_lead(plot)
    before = Lead.objects.get(pk=lead.pk).last_contact_at
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert b"pending" in page.content.lower() or b"attente" in page.content.lower()

    response = staff_client.post(
        url,
        change_data(
            lead,
            status="contacted",
            assignee=admin_user.pk,
            new_note="Called on Monday",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    lead.refresh_from_db()
    assert (lead.status, lead.assignee) == ("contacted", admin_user)
    [note] = lead.notes.all()
    assert (note.text, note.author) == ("Called on Monday", admin_user)
    assert lead.last_contact_at > before


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("2052-06-01", id="years-ahead"),  # 2025 mistyped
        pytest.param("2015-06-01", id="before-it-came"),
    ],
)
def test_a_last_contact_out_of_the_leads_time_is_a_form_error(
    staff_client, contacts, plot, typed
):
    # The lead is deleted 3 years after its last contact: a date years ahead
    # would keep the investor's data for decades, one before the lead came
    # would have it deleted by the next night's purge.
    lead = pending_lead(plot)
    before = Lead.objects.get(pk=lead.pk).last_contact_at
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    response = staff_client.post(url, change_data(lead, last_contact_at_0=typed))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["last_contact_at"]
    assert Lead.objects.get(pk=lead.pk).last_contact_at == before
    assert leads_purge() == 0


def test_a_last_contact_typed_within_the_leads_time_is_kept(
    staff_client, contacts, plot
):
    lead = pending_lead(plot)
    Lead.objects.filter(pk=lead.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    lead.refresh_from_db()
    typed = timezone.localtime() - timedelta(days=2)
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    response = staff_client.post(
        url, change_data(lead, last_contact_at_0=typed.strftime("%Y-%m-%d"))
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert timezone.localtime(lead.last_contact_at).date() == typed.date()


def test_csv_export_without_formula_injection(staff_client, contacts, plot):
    lead = pending_lead(plot)
    Lead.objects.filter(pk=lead.pk).update(company='=HYPERLINK("http://x")')

    response = staff_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [lead.pk]}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["company"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["email"] == "jan@vries-logistics.nl"
    assert rows[0]["plot"] == plot.name


def test_a_held_lead_released_by_staff_is_delivered(
    staff_client, contacts, plot, smtp, django_capture_on_commit_callbacks
):
    lead = pending_lead(plot, delivery_status="held", spam_reason="too fast")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            CHANGELIST, {"action": "deliver_again", "_selected_action": [lead.pk]}
        )

    lead.refresh_from_db()
    assert (lead.delivery_status, lead.spam_reason) == ("sent", "")
    assert len(smtp.to("dev@agglo-lenslievin.fr")) == 1


def test_leads_are_not_added_by_hand(staff_client):
    response = staff_client.get(reverse("admin:leads_lead_add"))
    assert response.status_code == 403


@pytest.mark.parametrize("slug", ["cabbalr", "call", "cahc", "siziaf"])
def test_staff_see_and_handle_only_their_organisations_leads(client, demo, slug):
    from sites.models import Plot
    from tests.factories import staff_user

    plots = Plot.objects.select_related("park__organisation")
    leads = [pending_lead(plot) for plot in plots]
    own = {lead for lead in leads if lead.organisation.slug == slug}
    assert own and len(own) < len(leads)
    client.force_login(staff_user(slug))
    assert set(client.get(CHANGELIST).context["cl"].queryset) == own
    before = list(Lead.objects.order_by("pk").values_list("pk", "status"))
    for lead in set(leads) - own:
        url = reverse("admin:leads_lead_change", args=[lead.pk])
        assert client.get(url).status_code in (302, 403, 404)
        client.post(url, change_data(lead, status="won", new_note="taken"))
        history = reverse("admin:leads_lead_history", args=[lead.pk])
        assert client.get(history).status_code in (302, 403, 404)
    export = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [lead.pk for lead in leads]},
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert {row[0] for row in rows[1:]} == {str(lead.pk) for lead in own}
    assert list(Lead.objects.order_by("pk").values_list("pk", "status")) == before
    assert not LeadNote.objects.exists()


def test_a_staff_edit_never_rewrites_the_delivery_state(contacts, plot):
    from leads.services import lead_pipeline_update

    lead = pending_lead(plot)
    loaded = Lead.objects.get(pk=lead.pk)  # what the admin form loaded
    Lead.objects.filter(pk=lead.pk).update(delivery_status=Lead.Delivery.SENT)
    loaded.status = Lead.Status.CONTACTED
    lead_pipeline_update(lead=loaded, changed=["status"])
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    assert lead.delivery_status == Lead.Delivery.SENT


@pytest.mark.parametrize(
    ("state", "queued"),
    [("held", True), ("failed", True), ("sending", False), ("pending", False)],
)
def test_send_again_takes_only_held_or_failed_leads(contacts, plot, state, queued):
    from leads.services import lead_redeliver

    lead = pending_lead(plot, delivery_status=state)
    assert lead_redeliver(lead=lead) is queued
    lead.refresh_from_db()
    assert lead.delivery_status == ("pending" if queued else state)


def test_the_flags_read_as_words_on_the_lead_page(staff_client, contacts, plot):
    lead = pending_lead(plot, spam_reason="fast,rate-ip")

    page = staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))

    assert (
        "envoyé quelques secondes après l’ouverture du formulaire, de nombreuses "
        "demandes de cette adresse internet en une heure"
    ) in page.content.decode()


def test_a_lead_is_assigned_only_to_someone_who_sees_it(client, contacts, plot):
    # The PMA's staff pick among every staff member; one of another
    # agglomeration would be given a lead they can never open.
    lead = pending_lead(plot)
    home = lead.organisation.slug
    assert home != "pma"
    elsewhere = next(s for s in ("cabbalr", "call", "cahc", "siziaf") if s != home)
    pma = staff_user("pma")
    client.force_login(pma)
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    refused = client.post(url, change_data(lead, assignee=staff_user(elsewhere).pk))

    assert refused.status_code == 200
    [error] = refused.context["adminform"].form.errors["assignee"]
    assert str(lead.organisation) in error
    assert Lead.objects.get(pk=lead.pk).assignee is None
    for colleague in (staff_user(home), pma):
        response = client.post(url, change_data(lead, assignee=colleague.pk))
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Lead.objects.get(pk=lead.pk).assignee == colleague


def test_the_recipients_help_says_send_again_chooses_them_anew(
    staff_client, contacts, plot
):
    # lead_redeliver writes the recipients of a lead the developers never had.
    lead = pending_lead(plot, delivery_status="failed")

    page = staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))

    assert (
        "Adresses déterminées par le serveur à la réception de la demande, puis de "
        "nouveau quand elle est renvoyée avant d’avoir été transmise aux développeurs."
    ) in page.content.decode()


def test_a_lead_is_found_by_the_name_of_its_plot_or_park(staff_client, contacts, plot):
    """An investor calls about 'the plot at Glissoires': the search looked in
    the company, the name and the address only."""
    lead = pending_lead(plot)
    other = pending_lead(PlotFactory(name="Terrain du Louvre"))
    for words in ("Glissoires", plot.park.name):
        response = staff_client.get(CHANGELIST, {"q": words})
        found = set(response.context["cl"].queryset)
        assert lead in found and other not in found, words


def test_the_spam_filter_says_yes_or_no(staff_client, contacts, plot):
    """It offered 'Empty' and 'Not empty' under 'suspected spam': a reason
    being empty means no suspicion, which staff had to work out."""
    clean = pending_lead(plot)
    flagged = pending_lead(plot, spam_reason="too_fast")
    changelist = staff_client.get(CHANGELIST).context["cl"]
    [spam] = [f for f in changelist.filter_specs if f.title == "spam présumé"]
    shown = [choice["display"] for choice in spam.choices(changelist)]
    assert shown == ["Indifférent", "Oui", "Non"]
    for value, lead in (("yes", flagged), ("no", clean)):
        listed = staff_client.get(CHANGELIST, {"spam": value}).context["cl"].queryset
        assert list(listed) == [lead]


def test_the_recipients_read_as_addresses(staff_client, contacts, plot):
    """They showed as the stored JSON: ["dev@agglo-lenslievin.fr"]."""
    lead = pending_lead(plot, recipients=["dev@agglo-lenslievin.fr", "b@example.org"])
    page = staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    html = page.content.decode()
    assert "dev@agglo-lenslievin.fr, b@example.org" in html
    assert "[&quot;" not in html and '["' not in html


@pytest.mark.parametrize(
    ("language", "surface", "jobs"),
    [("fr", "20\xa0000", "1\xa0500"), ("en", "20,000", "1,500"),
     ("nl", "20.000", "1.500")],
)  # fmt: skip
def test_the_investors_figures_read_as_the_staff_member_writes_numbers(
    staff_client, contacts, plot, language, surface, jobs
):
    """They read "20000" m² and "1500" jobs: a read-only integer is ungrouped."""
    lead = pending_lead(plot, surface_needed_m2=20_000, jobs_planned=1_500)
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<div class="readonly">{surface}</div>' in html
    assert f'<div class="readonly">{jobs}</div>' in html
    assert Lead.objects.get(pk=lead.pk).surface_needed_m2 == 20_000


def test_figures_the_investor_left_empty_read_as_the_other_empty_fields(
    staff_client, contacts, plot
):
    lead = pending_lead(plot, surface_needed_m2=None, jobs_planned=None, phone="")
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    html = staff_client.get(url).content.decode()

    for field in ("surface_needed_shown", "jobs_planned_shown", "phone"):
        row = re.search(rf'field-{field}">(.*?)</label>\s*(<div.*?</div>)', html, re.S)
        assert row.group(2) == '<div class="readonly">-</div>', field
