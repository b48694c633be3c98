"""The emails of leads: to the economic developers, to the investor, and the
daily digest of the leads that need a look."""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.links import absolute_url, message_id

from . import selectors
from .text import greeting_name, single_line

# The developers' language when their contact does not say: the staff of the
# five organisations work in French.
STAFF_LANGUAGE = "fr"


def _render(name, language, context):
    with translation.override(language):
        subject = render_to_string(f"leads/email/{name}_subject.txt", context)
        body = render_to_string(f"leads/email/{name}_body.txt", context)
    # Defence in depth: whatever a template or a field holds, a subject is one
    # line (Django would refuse the message otherwise, and the lead stall).
    return single_line(subject), body


def _public(listing):
    """Whether the plot's or park's page answers: a listing unpublished since
    the investor wrote (or since the lead waited for the mail server) has no
    page, and a link to it would be a dead end."""
    return type(listing).objects.published().filter(pk=listing.pk).exists()


def _context(lead, language):
    """Links in the reader's `language`: the investor's, or a developer's."""
    subject = lead.subject
    with translation.override(language):
        subject_url = (
            absolute_url(subject.get_absolute_url())
            if subject and _public(subject)
            else ""
        )
        search = f"{reverse('sites:search')}?{lead.search}" if lead.search else ""
    admin_path = reverse("admin:leads_lead_change", args=[lead.pk])
    return {
        "lead": lead,
        "subject_url": subject_url,
        "search_url": absolute_url(search) if search else "",
        "admin_url": absolute_url(admin_path),
    }


def _by_language(addresses, languages):
    """{language: addresses}, each address in the language `languages` gives
    it (French when not known), in a stable order."""
    by_language = {}
    for address in addresses:
        language = languages.get(address) or STAFF_LANGUAGE
        by_language.setdefault(language, []).append(address)
    return dict(sorted(by_language.items()))


def notifications(lead, addresses, *, connection=None):
    """The lead for its recipients `addresses`: one message per language they
    read (their contact's; French for the administrators)."""
    contacts = selectors.lead_contacts(lead.organisation)
    languages = {contact.email: contact.language for contact in contacts}
    # Sent to the PMA or the administrators instead: say how to fix it.
    fallback = not selectors.has_lead_contacts(lead.organisation)
    messages = []
    for language, to in _by_language(addresses, languages).items():
        context = {**_context(lead, language), "fallback": fallback}
        subject, body = _render("notification", language, context)
        messages.append(
            EmailMessage(
                subject,
                body,
                to=to,
                reply_to=[lead.email],
                connection=connection,
                headers={
                    "X-Lead-Id": str(lead.pk),
                    "Message-ID": _message_id(lead, f"notification-{language}"),
                },
            )
        )
    return messages


def acknowledgement(lead, *, connection=None):
    context = {
        **_context(lead, lead.language),
        # Nothing the sender typed but a name that reads as one.
        "name": greeting_name(lead.name),
        # Who really got it: the PMA when the organisation has no lead contact.
        "organisation": lead.organisation
        if selectors.has_lead_contacts(lead.organisation)
        else selectors.general_organisation(),
    }
    subject, body = _render("acknowledgement", lead.language, context)
    return EmailMessage(
        subject,
        body,
        to=[lead.email],
        # An investor's answer goes to the developers the portal names on its
        # pages (the PMA's when the organisation has none), not to the
        # portal's sending address, which no one may read. None when the lead
        # went to the administrators: their addresses are not public.
        reply_to=[
            contact.email for contact in selectors.lead_contacts(lead.organisation)
        ],
        connection=connection,
        headers={"Message-ID": _message_id(lead, "acknowledgement")},
    )


def _message_id(lead, kind):
    """The same for every attempt at one of the lead's emails, so that a copy
    sent again after an unanswered end of message reads as the same one; the
    time it came in, so that a lead of a database restored or copied elsewhere
    does not share it."""
    return message_id(of=f"lead-{lead.pk}-{lead.created_at.isoformat()}-{kind}")


def _listed(leads):
    admin_url = partial(reverse, "admin:leads_lead_change")
    return [
        {"lead": lead, "url": absolute_url(admin_url(args=[lead.pk]))} for lead in leads
    ]


def digest(organisation, leads, contacts):
    """The daily digest of `leads` (a selectors.LeadsToLookAt) for the
    organisation's lead contacts: one message per language they read (French
    when not known)."""
    context = {
        "organisation": organisation,
        "flagged": _listed(leads.flagged),
        "untouched": _listed(leads.untouched),
        "count": len(leads),
        "working_days": settings.LEADS_UNTOUCHED_WORKING_DAYS,
        "dashboard_url": absolute_url(reverse("staff-dashboard")),
    }
    languages = {contact.email: contact.language for contact in contacts}
    by_language = _by_language([contact.email for contact in contacts], languages)
    return [
        EmailMessage(
            *_render("digest", language, context),
            to=to,
            headers={"Message-ID": message_id()},
        )
        for language, to in by_language.items()
    ]
