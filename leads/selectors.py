from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext, ngettext_lazy

from sites.models import BusinessPark, Contact, Organisation, Plot
from sites.staff import in_scope

from .models import Lead, Shortlist
from .workdays import working_days_before


def plot_for_lead(slug, *, listed=True):
    """The published plot; with listed=False, the plot whatever its state, or
    None when it is gone."""
    plots = Plot.objects.select_related("park__organisation").only(
        "name",
        "slug",
        "reference",
        "park__name",
        "park__slug",
        "park__organisation",
    )
    if listed:
        return plots.published().get(slug=slug)
    return plots.filter(slug=slug).first()


def park_for_lead(slug, *, listed=True):
    parks = BusinessPark.objects.select_related("organisation").only(
        "name", "slug", "organisation"
    )
    if listed:
        return parks.published().get(slug=slug)
    return parks.filter(slug=slug).first()


def general_organisation():
    """General enquiries go to the metropolitan pole: found by its kind, which
    staff cannot change, never by its slug."""
    return Organisation.objects.metropolitan().order_by("pk").first()


def lead_contacts(organisation):
    """The organisation's contacts who receive leads; the PMA's when it has
    none, so that no lead is left without a reader."""
    contacts = _receiving(Contact.objects.all()).order_by("pk")
    contacts = contacts.only("email", "language")
    return list(contacts.filter(organisation=organisation)) or list(
        contacts.filter(organisation__in=Organisation.objects.metropolitan())
    )


def lead_recipients(organisation):
    """Who gets a lead: its organisation's lead contacts, else the PMA's, else
    the site's administrators, so that no lead is left without a reader."""
    emails = [contact.email for contact in lead_contacts(organisation)]
    return emails or responsible_addresses()


def has_lead_contacts(organisation):
    return _receiving(Contact.objects.filter(organisation=organisation)).exists()


def _receiving(contacts):
    """Those who receive leads and have an address: one saved empty around
    the form (an import, the shell) would have the lead sent to nobody, and
    marked sent; without it, the PMA's contacts get it, told how to fix it."""
    return contacts.filter(receives_leads=True).exclude(email__regex=r"^\s*$")


def responsible_addresses():
    """ADMINS, else the active superusers who have an address."""
    admins = [a if isinstance(a, str) else a[1] for a in settings.ADMINS]
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return admins or list(
        superusers.exclude(email="").order_by("pk").values_list("email", flat=True)
    )


def leads_with_relations(queryset):
    """For lists and exports: what a row shows, in one query."""
    return queryset.select_related("organisation", "plot", "park", "assignee")


@dataclass(frozen=True)
class LeadsToLookAt:
    """What the daily digest and the dashboard list. Both hold leads still
    "new"; each lead is in one list at most.

    flagged: flagged by a spam check and received within the last working
        days, so not yet overdue: to check before answering.
    untouched: received before that and still "new", whether flagged or not
        (except held ones, kept from the developers as certain robots).
        Those without an assignee are the organisation's to pick up.
    """

    flagged: list
    untouched: list

    def __len__(self):
        return len(self.flagged) + len(self.untouched)


def untouched_since(now=None):
    days = settings.LEADS_UNTOUCHED_WORKING_DAYS
    return working_days_before(now or timezone.now(), days)


def leads_to_look_at(scope, *, now=None):
    """Within a staff scope (an Organisation, or sites.staff.EVERYTHING)."""
    since = untouched_since(now)
    new = in_scope(Lead.objects.untouched(), "organisation", scope)
    new = (
        new.select_related("organisation", "assignee", "plot", "park")
        .defer("plot__geom", "park__perimeter")
        .order_by("created_at", "pk")
    )
    return LeadsToLookAt(
        flagged=list(new.flagged().filter(created_at__gte=since)),
        untouched=list(
            new.filter(created_at__lt=since).exclude(delivery_status=Lead.Delivery.HELD)
        ),
    )


# Beyond the worker's retries (about 15 minutes of backoff): a lead still
# unsent after this is stuck behind a server that keeps answering "later".
UNDELIVERED_AFTER = timedelta(hours=1)


def leads_undelivered(scope, *, now=None):
    """Within a staff scope: the leads the developers have not had, whose
    sending failed for good (an address refused, nobody to send them to) or
    still fails an hour after they came (a TLS setting that does not match
    the server, an expired certificate, an outage). The developers they were
    for know nothing of them, so the dashboard shows them, whatever their
    status, with the error that stops them."""
    since = (now or timezone.now()) - UNDELIVERED_AFTER
    stuck = Q(delivery_status=Lead.Delivery.FAILED) | Q(
        delivery_status__in=(Lead.Delivery.PENDING, Lead.Delivery.SENDING),
        created_at__lt=since,
    )
    leads = Lead.objects.filter(stuck, notified_at__isnull=True)
    leads = in_scope(leads, "organisation", scope)
    return list(
        leads.select_related("organisation", "plot", "park")
        .defer("plot__geom", "park__perimeter")
        .order_by("created_at", "pk")
    )


# What deleting a plot or park does to its leads (listing_deletion_warnings).
DELETION_LEADS = {
    "plot": ngettext_lazy(
        "%(count)s lead is about what you are deleting: it will keep the "
        "plot's name, but will no longer link to it.",
        "%(count)s leads are about what you are deleting: they will keep "
        "the plot's name, but will no longer link to it.",
        "count",
    ),
    "park": ngettext_lazy(
        "%(count)s lead is about what you are deleting: it will keep the "
        "park's name, but will no longer link to it.",
        "%(count)s leads are about what you are deleting: they will keep "
        "the park's name, but will no longer link to it.",
        "count",
    ),
}


def listing_deletion_warnings(model, listings, scope):
    """What deleting `listings` (parks or plots) takes from the leads and
    shortlists within `scope`, as sentences for the delete confirmation
    (sites.deletion). Leads keep the names they came with."""
    link = {Plot: "plot", BusinessPark: "park"}.get(model)
    if link is None:
        return []
    leads = Lead.objects.filter(**{f"{link}__in": listings})
    count = in_scope(leads, "organisation", scope).count()
    warnings = [DELETION_LEADS[link] % {"count": count}] if count else []
    if link == "plot":
        warnings += _shortlist_warnings(listings, scope)
    return warnings


def _shortlist_warnings(plots, scope):
    shortlists = Shortlist.objects.filter(items__plot__in=plots).distinct()
    shortlists = in_scope(shortlists, "organisation", scope)
    count = shortlists.count()
    if not count:
        return []
    now = timezone.now()
    still_open = shortlists.filter(revoked_at__isnull=True, expires_at__gt=now)
    sentence = ngettext(
        "%(count)s shortlist prepared for an investor holds what you are "
        "deleting (%(open)s with its link still open): the plot will be taken "
        "out of it, with the note written for it, and the investor will not be "
        "told.",
        "%(count)s shortlists prepared for investors hold what you are deleting "
        "(%(open)s with their link still open): the plot will be taken out of "
        "them, with the notes written for it, and the investors will not be "
        "told.",
        count,
    )
    return [sentence % {"count": count, "open": still_open.count()}]
