"""A lead's activity log: every entry kept, whoever saves and whatever is posted."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead, LeadNote, Shortlist, ShortlistVisit
from leads.services import leads_purge, person_erase
from sites.models import Organisation, StaffMembership
from sites.staff import DEVELOPER_GROUP
from tests.leads.admin_forms import change_data
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db


def developer(username, slug="call", **names):
    user = User.objects.create_user(username, is_staff=True, **names)
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    StaffMembership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=slug)
    )
    return user


def save_with_note(client, user, lead, text, **fields):
    client.force_login(user)
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    response = client.post(url, change_data(lead, new_note=text, **fields))
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    return response


def test_several_saves_by_different_staff_keep_every_entry(
    client, contacts, plot, admin_user
):
    lead = pending_lead(plot)
    claire = developer("claire", first_name="Claire", last_name="Dubois")
    marc = developer("marc")

    save_with_note(client, claire, lead, "Called, left a message.")
    save_with_note(client, marc, lead, "Sent the plot's file.", status="contacted")
    save_with_note(client, claire, lead, "  Visit on the 12th.  ")
    save_with_note(client, admin_user, lead, "")  # a save without a note adds none

    entries = list(lead.notes.values_list("author__username", "text"))
    assert entries == [
        ("claire", "Called, left a message."),
        ("marc", "Sent the plot's file."),
        ("claire", "Visit on the 12th."),
    ]
    assert list(lead.notes.values_list("created_at", flat=True)) == sorted(
        lead.notes.values_list("created_at", flat=True)
    )
    client.force_login(marc)
    page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    assert "Claire Dubois" in page.content.decode()


def test_an_entry_cannot_be_rewritten_or_deleted_through_the_form(
    client, contacts, plot
):
    lead = pending_lead(plot)
    claire, marc = developer("claire"), developer("marc")
    save_with_note(client, claire, lead, "Budget: 4 M€.")
    [original] = lead.notes.all()

    client.force_login(marc)
    tampered = change_data(lead, new_note="Second entry")
    tampered |= {"notes-0-text": "Budget: none.", "notes-0-DELETE": "on"}
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    assert client.post(url, tampered).status_code == 302

    texts = list(lead.notes.values_list("author__username", "text"))
    assert texts == [("claire", "Budget: 4 M€."), ("marc", "Second entry")]
    original.refresh_from_db()
    assert original.author == claire
    page = client.get(url).content.decode()
    assert 'name="notes-0-text"' not in page  # shown, not editable
    assert "Budget: 4 M€." in page


def test_other_organisations_staff_cannot_add_an_entry(client, contacts, plot):
    lead = pending_lead(plot)  # a CALL lead
    client.force_login(developer("someone", slug="cahc"))
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    response = client.post(url, change_data(lead, new_note="Mine now"))
    assert response.status_code in (302, 403, 404)
    assert not LeadNote.objects.exists()


def test_an_entry_whose_author_was_deleted_stays_without_author(
    client, contacts, plot, admin_user
):
    lead = pending_lead(plot)
    leaving = developer("leaving")
    save_with_note(client, leaving, lead, "Met at SIMI.")
    leaving.delete()

    [note] = lead.notes.all()
    assert (note.text, note.author) == ("Met at SIMI.", None)
    client.force_login(admin_user)
    page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    assert "Met at SIMI." in page.content.decode()
    assert "None" not in page.content.decode()


def test_the_change_form_reads_the_log_in_a_constant_number_of_queries(
    client, contacts, plot
):
    lead = pending_lead(plot)
    user = developer("claire")
    client.force_login(user)
    url = reverse("admin:leads_lead_change", args=[lead.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    LeadNote.objects.create(lead=lead, author=user, text="First")
    few = queries()
    for index in range(6):
        author = developer(f"dev{index}")
        LeadNote.objects.create(lead=lead, author=author, text=f"Entry {index}")
    assert queries() == few


@pytest.mark.parametrize("remove", ["erase", "purge"])
def test_entries_go_with_their_lead(contacts, plot, remove):
    kept = pending_lead(plot, email="other@example.com")
    gone = pending_lead(plot, last_contact_at=timezone.now().replace(year=2000))
    LeadNote.objects.create(lead=kept, text="Kept")
    LeadNote.objects.create(lead=gone, text="About Jan")
    LeadNote.objects.create(lead=gone, text="About Jan again")

    if remove == "erase":
        assert person_erase(email="jan@vries-logistics.nl") == 1
    else:
        assert leads_purge() == 1

    assert list(LeadNote.objects.values_list("text", flat=True)) == ["Kept"]
    assert list(Lead.objects.all()) == [kept]


def test_a_note_a_shortlist_and_a_visit_are_named_by_the_staff_s_clock():
    """The admin names a note by its time (its row in the log, the history):
    it read an hour or two behind the time written beside it, in UTC."""
    late = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 00:30 in Artois
    assert str(LeadNote(lead_id=7, created_at=late)) == "#7 2026-01-16 00:30"
    assert str(Shortlist(pk=3, created_at=late)) == "#3 (2026-01-16)"
    assert str(ShortlistVisit(visited_at=late)) == "2026-01-16 00:30"
