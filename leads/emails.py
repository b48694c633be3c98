"""The two emails of a lead: to the economic developers, and to the investor."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from investinartois.links import absolute_url, message_id

from .forms import single_line

# The developers' language: the staff of the five organisations work in French.
STAFF_LANGUAGE = "fr"


def _render(name, language, context):
    with translation.override(language):
        subject = render_to_string(f"leads/email/{name}_subject.txt", context)
        body = render_to_string(f"leads/email/{name}_body.txt", context)
    # Defence in depth: whatever a template or a field holds, a subject is one
    # line (Django would refuse the message otherwise, and the lead stall).
    return single_line(subject), body


def _context(lead):
    subject = lead.subject
    with translation.override(lead.language):
        subject_url = absolute_url(subject.get_absolute_url()) if subject else ""
    admin_path = reverse("admin:leads_lead_change", args=[lead.pk])
    return {
        "lead": lead,
        "subject_url": subject_url,
        "admin_url": absolute_url(admin_path),
    }


def notification(lead, *, connection=None):
    subject, body = _render("notification", STAFF_LANGUAGE, _context(lead))
    return EmailMessage(
        subject,
        body,
        to=lead.recipients,
        reply_to=[lead.email],
        connection=connection,
        headers={"X-Lead-Id": str(lead.pk), "Message-ID": message_id()},
    )


def acknowledgement(lead, *, connection=None):
    subject, body = _render("acknowledgement", lead.language, _context(lead))
    return EmailMessage(
        subject,
        body,
        to=[lead.email],
        connection=connection,
        headers={"Message-ID": message_id()},
    )
