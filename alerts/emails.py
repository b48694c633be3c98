"""The emails of alerts, in the subscriber's language, each with a one-click
unsubscribe (RFC 8058) but the confirmation, which subscribes nothing yet."""

import re

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.links import absolute_url, message_id

from .tokens import confirm_token, unsubscribe_token

BREAKS = re.compile(r"[ \t\r\n]+")


def _render(name, language, context):
    with translation.override(language):
        subject = render_to_string(f"alerts/email/{name}_subject.txt", context)
        body = render_to_string(f"alerts/email/{name}_body.txt", context)
    # One line, as a header must be; a non-breaking space stays (French
    # writes one before a colon).
    return BREAKS.sub(" ", subject).strip(), body


def _url(language, name, *args, query=""):
    with translation.override(language):
        path = reverse(name, args=args)
    return absolute_url(f"{path}?{query}" if query else path)


def confirmation(subscription, *, connection=None):
    language = subscription.language
    context = {
        "confirm_url": _url(language, "alerts:confirm", confirm_token(subscription)),
        "search_url": _url(language, "sites:search", query=subscription.query),
    }
    subject, body = _render("confirmation", language, context)
    return EmailMessage(
        subject,
        body,
        to=[subscription.email],
        connection=connection,
        headers={"Message-ID": message_id()},
    )


def digest(subscription, plots, *, connection=None):
    language = subscription.language
    unsubscribe_url = _url(
        language, "alerts:unsubscribe", unsubscribe_token(subscription)
    )
    with translation.override(language):
        listed = [
            {"plot": plot, "url": absolute_url(plot.get_absolute_url())}
            for plot in plots
        ]
    context = {
        "plots": listed,
        "search_url": _url(language, "sites:search", query=subscription.query),
        "unsubscribe_url": unsubscribe_url,
    }
    subject, body = _render("digest", language, context)
    return EmailMessage(
        subject,
        body,
        to=[subscription.email],
        connection=connection,
        headers={
            "Message-ID": message_id(),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
