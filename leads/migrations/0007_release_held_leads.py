"""Leads held under the former rules (time trap, rate limit) go out after all.

Only a filled honeypot holds a lead now. Those held before for another reason
were never sent and nobody was told: they become pending, so the periodic job
delivers them, flagged with today's code where one applies (a flagged lead
gets no acknowledgement, as with the current rules).
"""

from django.db import migrations

# The former reasons, and today's flag for each ("" for none: a form left open
# or a token that could not be read is now confirmed by the investor).
FORMER_REASONS = {
    "too fast": "fast",
    "rate limit": "rate-ip",
    "form too old": "",
    "bad token": "",
}


def release(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    for former, flag in FORMER_REASONS.items():
        Lead.objects.filter(delivery_status="held", spam_reason=former).update(
            delivery_status="pending", spam_reason=flag
        )


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_leaddigest")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
