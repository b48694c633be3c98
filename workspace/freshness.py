"""Keeping listings true: the staff dashboard's figures and the stale-listing
reminders. Everything is read within the staff member's organisation scope."""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.links import message_id
from core.transactions import send_claimed
from leads.models import Lead
from leads.text import single_line
from sites.models import BusinessPark, Organisation, Plot
from sites.staff import in_scope

from .models import StaleReminder

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=183)  # six months
# Listed per kind in a reminder, the oldest first; the others are counted. An
# import of many plots left alone six months would otherwise make an email of
# every one of them: megabytes a relay refuses, and the job stopped there.
REMINDER_LISTED = 100
# A reminder claimed this long ago and still unsent belongs to a run that died.
REMINDER_CLAIM_TIMEOUT = timedelta(hours=1)
Stage = Plot.MarketingStage


def organisations_figures(scope):
    """Per organisation, each figure saying what it counts: the hectares
    investors find available on the portal; real plots by marketing stage,
    published or not; those of them investors do not see; and the demo plots,
    counted apart (a demo is no land on offer, though the pages show it)."""
    plots = "parks__plots"
    # Each joined row is one plot with its park; no negation here, which on a
    # many-valued relation Django makes a subquery over the organisation.
    demo = Q(parks__plots__is_demo=True) | Q(parks__is_demo=True)
    real = Q(parks__plots__is_demo=False, parks__is_demo=False)
    on_portal = Q(parks__plots__is_published=True, parks__is_published=True)
    off_portal = Q(parks__plots__is_published=False) | Q(parks__is_published=False)
    counts = {
        f"plots_{stage}": Count(
            plots, filter=real & Q(parks__plots__marketing_stage=stage)
        )
        for stage in Stage.values
    }
    return (
        in_scope(Organisation.objects.members(), "pk", scope)
        .annotate(
            available_ha=Sum(
                "parks__plots__surface_ha",
                filter=real
                & on_portal
                & Q(parks__plots__marketing_stage=Stage.AVAILABLE),
            ),
            plots_off_portal=Count(plots, filter=real & off_portal),
            plots_demo=Count(plots, filter=demo),
            **counts,
        )
        .order_by("short_name")
    )


def leads_by_status(scope):
    """Rows of organisation, status label and count, in pipeline order."""
    rows = (
        in_scope(Lead.objects.all(), "organisation", scope)
        .values("organisation__short_name", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    order = {status: index for index, status in enumerate(Lead.Status.values)}
    labels = dict(Lead.Status.choices)

    def position(row):
        return row["organisation__short_name"], order.get(row["status"], len(order))

    rows = sorted(rows, key=position)
    return [{**row, "status": labels.get(row["status"], row["status"])} for row in rows]


def last_months(count=12, *, now=None):
    """The first day of each of the last `count` months, this one included,
    oldest first (local time)."""
    today = timezone.localdate(now)
    year, month = today.year, today.month
    firsts = []
    for _month in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def leads_by_month(scope, months=12):
    first = last_months(months)[0]
    since = timezone.make_aware(datetime.combine(first, time.min))
    return (
        in_scope(Lead.objects.filter(created_at__gte=since), "organisation", scope)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "organisation__short_name")
        .annotate(count=Count("pk"))
        .order_by("-month", "organisation__short_name")
    )


def leads_by_month_series(rows, months):
    """The rows of leads_by_month as one count per month for each
    organisation, months without a lead included."""
    position = {(first.year, first.month): i for i, first in enumerate(months)}
    series = {}
    for row in rows:
        month = row["month"]  # truncated in the current time zone
        index = position.get((month.year, month.month))
        if index is None:
            continue
        counts = series.setdefault(row["organisation__short_name"], [0] * len(months))
        counts[index] += row["count"]
    return dict(sorted(series.items()))


def leads_by_status_series(rows):
    """The rows of leads_by_status as one count per pipeline stage for each
    organisation."""
    labels = [str(label) for _value, label in Lead.Status.choices]
    series = {}
    for row in rows:
        counts = series.setdefault(row["organisation__short_name"], [0] * len(labels))
        if str(row["status"]) in labels:
            counts[labels.index(str(row["status"]))] += row["count"]
    return labels, series


# Ages of the last update, in days: the last bucket is what the reminders chase.
FRESHNESS_BUCKETS = (
    (0, 91, _("Under 3 months")),
    (91, STALE_AFTER.days, _("3 to 6 months")),
    (STALE_AFTER.days, 365, _("6 to 12 months")),
    (365, None, _("Over a year")),
)


def listings_by_freshness(scope, *, now=None):
    """How many parks and how many plots were last updated in each of the
    FRESHNESS_BUCKETS: one query per model."""
    now = now or timezone.now()

    def counts(queryset):
        buckets = {}
        for index, (newest, oldest, _label) in enumerate(FRESHNESS_BUCKETS):
            age = Q(updated_at__lte=now - timedelta(days=newest))
            if oldest is not None:
                age &= Q(updated_at__gt=now - timedelta(days=oldest))
            buckets[f"bucket_{index}"] = Count("pk", filter=age)
        figures = queryset.order_by().aggregate(**buckets)
        return [figures[f"bucket_{i}"] for i in range(len(FRESHNESS_BUCKETS))]

    parks = in_scope(BusinessPark.objects.all(), "organisation", scope)
    plots = in_scope(Plot.objects.all(), "park__organisation", scope)
    return {gettext("Parks"): counts(parks), gettext("Plots"): counts(plots)}


def stale_listings(scope, *, now=None):
    """Parks and plots not updated for six months, oldest first."""
    limit = (now or timezone.now()) - STALE_AFTER
    parks = in_scope(BusinessPark.objects.all(), "organisation", scope)
    plots = in_scope(Plot.objects.all(), "park__organisation", scope)
    return {
        "parks": parks.filter(updated_at__lt=limit)
        .select_related("organisation")
        .defer("perimeter")
        .order_by("updated_at"),
        "plots": plots.filter(updated_at__lt=limit)
        .select_related("park__organisation")
        .defer("geom", "park__perimeter")
        .order_by("updated_at"),
    }


def stale_listings_listed(scope, *, now=None):
    """The REMINDER_LISTED oldest stale parks and plots, and how many more of
    each: what a reminder and the dashboard show (at a region's scale, an
    import left alone six months is thousands of rows)."""
    listed = {}
    for kind, stale in stale_listings(scope, now=now).items():
        listed[kind] = list(stale[:REMINDER_LISTED])
        full = len(listed[kind]) == REMINDER_LISTED
        listed[f"{kind}_more"] = stale.count() - REMINDER_LISTED if full else 0
    return listed


def stale_listings_remind(*, now=None):
    """Email each organisation's staff the listings they have left to go stale,
    once a month however often this runs (beat, cron, a task delivered again):
    an organisation reminded this month is skipped, one whose reminder failed
    is tried again.

    Returns how many organisations were reminded.
    """
    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    reminded = 0
    for organisation in Organisation.objects.members():
        listed = stale_listings_listed(organisation, now=now)
        if not (listed["parks"] or listed["plots"]):
            continue
        emails = list(
            staff.filter(membership__organisation=organisation)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not emails:
            continue
        reminder = send_claimed(
            StaleReminder,
            now,
            REMINDER_CLAIM_TIMEOUT,
            organisation=organisation,
            month=month,
        )
        if reminder is None:  # sent, or being sent by another run
            continue
        context = {"organisation": organisation, **listed}
        # One organisation's refusal (a relay down, its staff's addresses
        # refused) is logged, not raised: the organisations after it in the
        # monthly run still get theirs.
        try:
            with translation.override(settings.LANGUAGE_CODE):
                EmailMessage(
                    # One line: an organisation's name with a line break
                    # made Django refuse the email (a header injection).
                    subject=single_line(
                        render_to_string("workspace/email/stale_subject.txt", context)
                    ),
                    body=render_to_string("workspace/email/stale_body.txt", context),
                    to=emails,
                    headers={"Message-ID": message_id()},
                ).send()
        except Exception as exc:  # noqa: BLE001 (released: the next run tries again)
            reminder.delete()
            logger.warning(
                "stale-listing reminder of organisation %s not sent (%s)",
                organisation.pk,
                type(exc).__name__,
            )
            continue
        StaleReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
        reminded += 1
    return reminded
