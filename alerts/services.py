"""Saving a search, its double opt-in, unsubscribing, the daily digest and
the personal data's export, erasure and purge."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core import serializers
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format

from core.caching import query_normalised
from core.limits import counted
from core.smtp import address_refused_for_good, refusal_described
from sites.filters import PlotFilter, filter_is_set
from sites.search import plot_search

from . import emails, tokens
from .models import QUERY_MAX_LENGTH, Subscription, normalised_email

logger = logging.getLogger(__name__)

# What an alert keeps of a search: its filters, not its page or order.
NOT_SAVED = {"sort", "page"}


class Refused(Exception):
    """The search cannot be saved; the message says why, to the investor."""


def alert_params():
    return [name for name in PlotFilter.base_filters if name not in NOT_SAVED]


def search_normalised(params):
    """The search `params` as the search page reads them (core.caching's
    normalisation, the filters only), and its bound PlotFilter; the filter is
    None when the search is not valid or too long to save."""
    query = query_normalised(params, alert_params())
    search = plot_search(params=query)
    if len(query.urlencode()) > QUERY_MAX_LENGTH or not search.is_valid():
        return query.urlencode(), None
    return query.urlencode(), search


def search_described(search):
    """(label, value) of each filter the search sets, as the investor reads it."""
    if search is None:
        return []
    described = []
    for name, value in search.form.cleaned_data.items():
        # A bound of 0 is a filter ("at most 0 km from the motorway"), though
        # Decimal(0) == False: it was left out, and the page said "All the
        # plots on offer" for a search that keeps few.
        if not filter_is_set(value):
            continue
        field = search.form.fields[name]
        if isinstance(value, GEOSGeometry | bool):
            value = ""
        elif isinstance(value, Decimal):
            value = number_format(value.normalize(), use_l10n=True)
        elif hasattr(field, "choices") and not isinstance(value, Model):
            value = dict(field.choices).get(value, value)
        described.append((str(field.label), str(value)))
    return described


def subscription_request(*, email, query, language, client=None):
    """Save the search `query` (normalised) for `email`, unconfirmed, and send
    the confirmation email. A search saved again is the same subscription:
    renewed, and its confirmation sent again while unconfirmed. Raises
    Refused beyond the limits (per address, per client per hour)."""
    email = normalised_email(email)
    if not _within_hourly_limit(
        f"client:{client}" if client else None, settings.ALERTS_CLIENT_PER_HOUR
    ):
        raise Refused("rate")
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Subscription.objects.select_for_update()
            .filter(email=email, query=query)
            .first()
        )
        if existing is None:
            if Subscription.objects.of_person(email).count() >= _cap():
                raise Refused("cap")
            subscription = Subscription(email=email, query=query, language=language)
            subscription.full_clean()
            try:
                with transaction.atomic():
                    subscription.save()
            except IntegrityError:  # saved by a concurrent request meanwhile
                return None
        else:
            subscription = existing
            renewed = {"renewed_at": now, "language": language}
            if existing.stopped_at is not None:
                # Its address was refused: written to again only once the
                # confirmation link proves the mailbox takes mail (double
                # opt-in anew, or the purge of the unconfirmed).
                renewed |= {
                    "stopped_at": None,
                    "refusals": 0,
                    "last_refusal": "",
                    "confirmed_at": None,
                }
            Subscription.objects.filter(pk=existing.pk).update(**renewed)
            for name, value in renewed.items():
                setattr(subscription, name, value)
    # Saving the search again sends its confirmation again, but an address
    # gets only so many an hour: the form cannot be used to flood a mailbox.
    if subscription.confirmed_at is None and _within_hourly_limit(
        f"email:{email}", settings.ALERTS_CONFIRMATIONS_PER_HOUR
    ):
        transaction.on_commit(lambda: _confirmation_send(subscription))
    return subscription


def _confirmation_send(subscription):
    # Mail server down: the page still says to check the mailbox, and saving
    # the search again sends the link again (a 500 would say nothing useful).
    try:
        emails.confirmation(subscription).send()
    except Exception as exc:  # noqa: BLE001 (any sending failure)
        logger.warning(
            "alert %s: confirmation not sent (%s)", subscription.pk, type(exc).__name__
        )


def _cap():
    return settings.ALERTS_PER_ADDRESS


def _within_hourly_limit(value, per_hour):
    """Count one more request for `value` in this clock hour. A cache that
    cannot count lets it through: the per-address cap still holds."""
    if not value:
        return True
    count = counted("alerts", value, window=3600, now=timezone.now().timestamp())
    return count is None or count <= per_hour


def subscription_confirm(*, token, now=None):
    """The subscription of a confirmation link, confirmed (a replayed link
    changes nothing); None for an altered or expired link, or one whose
    subscription is gone."""
    max_age = timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    key = tokens.confirmed_key(token, max_age=max_age)
    subscription = Subscription.objects.filter(key=key).first() if key else None
    if subscription is None:
        return None
    now = now or timezone.now()
    Subscription.objects.filter(pk=subscription.pk, confirmed_at=None).update(
        confirmed_at=now, checked_at=now
    )
    subscription.refresh_from_db()
    return subscription


def subscription_cancel(*, token):
    """Delete the subscription of an unsubscribe link. True for any genuine
    link, even one already followed (it is gone either way); False for an
    altered one."""
    key = tokens.unsubscribe_key(token)
    if key is None:
        return False
    Subscription.objects.filter(key=key).delete()
    return True


# How late a change may become visible after it was stamped (its save's
# transaction): far more than an import at its cap takes.
CHANGES_SEEN_LATE = timedelta(hours=1)


def alerts_digest_send(*, now=None):
    """Each confirmed subscription gets at most one email a day listing the
    plots matching its search that changed since the last run (published,
    became available...) and were never announced to it. Returns how many
    emails were sent, failed for a while (tried again by the next run),
    refused for good (tried again the next day), and how many alerts those
    refusals stopped."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    outcomes = {"sent": 0, "failed": 0, "refused": 0, "stopped": 0}
    due = Subscription.objects.deliverable().exclude(digest_day=day)
    with get_connection() as connection:
        for subscription in due.iterator():
            outcome = _digest_send(subscription, day, now, connection)
            if outcome == "stopped":
                outcomes["refused"] += 1
            if outcome:
                outcomes[outcome] += 1
    return outcomes


def _new_plots(subscription):
    _query, search = search_normalised(QueryDict(subscription.query))
    if search is None:  # a park or commune it names is gone: nothing matches
        return []
    # A plot is stamped when saved and seen when its transaction commits: one
    # saved just before the last run and committed after it (an import, a
    # slow save) was not there to be read then and is older than the run now.
    # Looking back a while finds it; those already announced are left out.
    since = subscription.checked_at - CHANGES_SEEN_LATE
    plots = search.qs.filter(updated_at__gt=since).exclude(
        pk__in=subscription.announced.values("pk")
    )
    # One more than listed: whether some are left for the next digest.
    return list(
        plots.select_related("park", "commune").defer(
            "geom", "park__perimeter", "commune__boundary", "commune__point"
        )[: settings.ALERTS_DIGEST_PLOTS + 1]
    )


def _digest_send(subscription, day, now, connection):
    found = _new_plots(subscription)
    plots = found[: settings.ALERTS_DIGEST_PLOTS]
    # Beyond the list's length, tomorrow's digest starts where this one stops.
    checked_at = now if len(found) == len(plots) else subscription.checked_at
    if not plots:
        Subscription.objects.filter(pk=subscription.pk).update(checked_at=now)
        return None
    # The claim: another run that got here first has the day.
    claimed = (
        Subscription.objects.deliverable()
        .filter(pk=subscription.pk)
        .exclude(digest_day=day)
        .update(digest_day=day)
    )
    if not claimed:
        return None
    try:
        emails.digest(subscription, plots, connection=connection).send()
    except Exception as exc:  # noqa: BLE001 (any failure: released or counted)
        if address_refused_for_good(exc):
            # The day stays claimed: a run again today would only be refused
            # again, and counting one refusal a day spreads the count over days.
            return _refusal_record(subscription, exc, now)
        Subscription.objects.filter(pk=subscription.pk).update(
            digest_day=subscription.digest_day
        )
        logger.warning(
            "alert digest %s not sent (%s)", subscription.pk, refusal_described(exc)
        )
        return "failed"
    Subscription.objects.filter(pk=subscription.pk).update(
        checked_at=checked_at, refusals=0, last_refusal=""
    )
    subscription.announced.add(*plots)
    return "sent"


def _refusal_record(subscription, exc, now):
    """Count one more refusal in a row; stop the alert at the limit."""
    refusal = refusal_described(exc)
    alert = Subscription.objects.filter(pk=subscription.pk)
    alert.update(refusals=F("refusals") + 1, last_refusal=refusal)
    stopped = alert.filter(
        stopped_at=None, refusals__gte=settings.ALERTS_REFUSALS_BEFORE_STOP
    ).update(stopped_at=now)
    logger.warning(
        "alert digest %s refused for good (%s)%s",
        subscription.pk,
        refusal,
        ": alert stopped" if stopped else "",
    )
    return "stopped" if stopped else "refused"


def alerts_purge(*, now=None):
    """Delete the subscriptions never confirmed within the link's validity,
    and those not renewed for the retention period."""
    now = now or timezone.now()
    unconfirmed = now - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    inactive = now - timedelta(days=365 * settings.ALERTS_RETENTION_YEARS)
    # Unconfirmed, counted from the last save: saving the search again sends
    # a new link (subscription_request), valid from then on.
    stale = Subscription.objects.filter(
        confirmed_at=None, renewed_at__lt=unconfirmed
    ) | Subscription.objects.filter(renewed_at__lt=inactive)
    deleted = _deleted(stale)
    logger.info("alerts purged: %s", deleted)
    return deleted


def person_export(*, email):
    """The person's saved searches (right of access), as JSON."""
    return serializers.serialize(
        "json", Subscription.objects.of_person(email), indent=2
    )


def person_erase(*, email):
    deleted = _deleted(Subscription.objects.of_person(email))
    logger.info("alerts erased on request: %s", deleted)
    return deleted


def _deleted(subscriptions):
    _total, per_model = subscriptions.delete()
    return per_model.get(Subscription._meta.label, 0)
