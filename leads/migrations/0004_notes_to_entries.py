"""Each lead's old free-text notes become the first entry of its activity log."""

from django.db import migrations

BATCH = 500


def _written_at(history, lead):
    """When the notes got their current text: the oldest of the latest versions
    that already hold it; the lead's reception when no version says."""
    written_at = None
    versions = history.filter(id=lead.pk).order_by("-history_date", "-history_id")
    for notes, moment in versions.values_list("notes", "history_date"):
        if notes != lead.notes:
            break
        written_at = moment
    return written_at or lead.created_at


def notes_to_entries(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    LeadNote = apps.get_model("leads", "LeadNote")
    history = apps.get_model("leads", "HistoricalLead").objects
    entries = []
    with_notes = Lead.objects.exclude(notes="").only("pk", "notes", "created_at")
    for lead in with_notes.iterator(chunk_size=BATCH):
        if not lead.notes.strip():
            continue
        entries.append(
            LeadNote(lead=lead, author=None, text=lead.notes.strip(),
                     created_at=_written_at(history, lead))
        )
    LeadNote.objects.bulk_create(entries, batch_size=BATCH)


def entries_to_notes(apps, schema_editor):
    """Backwards: the entries, oldest first, joined into the text field again."""
    Lead = apps.get_model("leads", "Lead")
    LeadNote = apps.get_model("leads", "LeadNote")
    texts = {}
    for lead_id, text in LeadNote.objects.order_by("created_at", "pk").values_list(
        "lead_id", "text"
    ):
        texts.setdefault(lead_id, []).append(text)
    for lead_id, parts in texts.items():
        Lead.objects.filter(pk=lead_id).update(notes="\n\n".join(parts))


class Migration(migrations.Migration):

    dependencies = [
        ("leads", "0003_leadnote"),
    ]

    operations = [
        migrations.RunPython(notes_to_entries, entries_to_notes, elidable=False),
    ]
