"""What a browser posts from a lead's change form, activity-log inline included."""

from django.utils import timezone


def change_data(lead, *, new_note="", **fields):
    """The change form as loaded for `lead`, with `fields` changed and, when
    given, a new entry written in the log's blank row."""
    existing = list(lead.notes.order_by("created_at", "pk"))
    last_contact = timezone.localtime(lead.last_contact_at)
    data = {
        "status": lead.status,
        "assignee": lead.assignee_id or "",
        "last_contact_at_0": last_contact.strftime("%Y-%m-%d"),
        "last_contact_at_1": last_contact.strftime("%H:%M:%S"),
        "notes-TOTAL_FORMS": str(len(existing) + 1),
        "notes-INITIAL_FORMS": str(len(existing)),
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
    }
    for index, note in enumerate(existing):
        data[f"notes-{index}-id"] = note.pk
        data[f"notes-{index}-lead"] = lead.pk
    blank = len(existing)
    data[f"notes-{blank}-lead"] = lead.pk
    data[f"notes-{blank}-text"] = new_note
    data.update(fields)
    return data
