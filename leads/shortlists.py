"""Staff shortlists: the private page's link, what it shows, its visits.

A link carries a random token of 32 bytes (256 bits); only its SHA-256 is
stored, so finding a shortlist is one indexed lookup by hash and the database
never holds a working link. Unknown, altered, expired and revoked links are
all the same `ShortlistClosed`, so a visitor cannot tell which it was.
"""

import hashlib
import re
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.links import absolute_url
from sites import selectors as site_selectors
from sites import sheets

from .models import Shortlist, ShortlistVisit

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters of the URL-safe alphabet; anything else
# is refused before it reaches the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


class ShortlistClosed(Exception):
    """No shortlist opens with this token (never did, or no longer)."""


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(shortlist):
    """Set a new token on `shortlist` (not saved) and return it: the one time
    it exists outside the link. A previous link stops working once saved."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    shortlist.token_hash = token_hash(token)
    return token


def shortlist_url(shortlist, token):
    """The page's absolute address, under the shortlist's language prefix."""
    with translation.override(shortlist.language):
        return absolute_url(reverse("leads:shortlist", args=[token]))


def shortlist_new_link(*, shortlist):
    token = token_issue(shortlist)
    shortlist.save(update_fields=["token_hash"])
    return shortlist_url(shortlist, token)


def shortlists_revoke(*, queryset, now=None):
    """Revoke those still open; returns how many were."""
    return queryset.filter(revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def shortlist_open(token, *, now=None):
    """The open shortlist of `token`, or ShortlistClosed."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise ShortlistClosed
    now = now or timezone.now()
    shortlist = (
        Shortlist.objects.filter(
            token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("organisation")
        .first()
    )
    if shortlist is None:
        raise ShortlistClosed
    return shortlist


def shortlist_plots(shortlist):
    """The chosen plots still published, in the staff's order, each with its
    note as `shortlist_note` (what the page and the PDF print)."""
    notes = dict(shortlist.items.values_list("plot__slug", "note"))
    slugs = list(shortlist.items.values_list("plot__slug", flat=True))
    plots = site_selectors.plot_sheets(slugs)
    for plot in plots:
        plot.shortlist_note = notes.get(plot.slug, "")
    return plots


def visit_record(shortlist, kind=ShortlistVisit.Kind.PAGE):
    # Its own transaction: a visit is counted even if the page fails later.
    with transaction.atomic():
        ShortlistVisit.objects.create(shortlist=shortlist, kind=kind)


def shortlist_pdf(plots, *, units):
    """The plot sheets of `plots` (from shortlist_plots), notes printed."""
    notes = {plot.slug: plot.shortlist_note for plot in plots}
    return sheets.plot_sheets_pdf(plots, units=units, notes=notes)
