"""Writes with side effects: receiving a lead, delivering it, forgetting it.

Delivery is a transactional outbox: lead_submit saves the lead as pending and
only asks for its sending once the transaction has committed; lead_deliver
claims the row with a conditional UPDATE, so that however many workers, retries
and periodic runs race for a lead, one of them sends it.
"""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.db.models import Case, F, JSONField, Q, Value, When
from django.utils import timezone

from core import personal_data
from core.history import CHANGED, history_bulk_record
from core.smtp import smtp_codes
from core.transactions import send_claimed
from sites.models import Organisation

from . import emails, mail, selectors, workdays
from .models import Flag, Lead, LeadDigest, LeadNote, Shortlist, ShortlistPlot

logger = logging.getLogger(__name__)
Delivery = Lead.Delivery


@transaction.atomic
def lead_submit(*, data, plot=None, park=None, spam_reason=""):
    """Save an investor's request and, once committed, have it delivered.

    The recipients come from the plot's or park's organisation (the PMA for a
    general request), never from what the sender posted. `spam_reason` holds
    the antispam flags: a flagged lead is delivered all the same, only the
    honeypot's is held.
    """
    if plot is not None:
        plot = _still_there(plot, "park__organisation")
        park = plot.park if plot else None
    elif park is not None:
        park = _still_there(park, "organisation")
    organisation = park.organisation if park else selectors.general_organisation()
    held = Flag.HONEYPOT in Flag.parse(spam_reason)
    lead = Lead(
        **data,
        plot=plot,
        park=park,
        plot_name=plot.name if plot else "",
        plot_reference=plot.reference if plot else "",
        park_name=park.name if park else "",
        organisation=organisation,
        recipients=selectors.lead_recipients(organisation),
        consent_at=timezone.now(),
        spam_reason=spam_reason,
        delivery_status=Delivery.HELD if held else Delivery.PENDING,
    )
    lead.full_clean()
    lead.save()
    _log_received(lead)
    if not held:
        transaction.on_commit(partial(lead_enqueue, lead_id=lead.pk))
    return lead


def _still_there(listing, related):
    """The plot or park read again, and locked until the lead is saved, or
    None when it is gone. Deleted by staff since the view read it, it failed
    the lead's validation (a 500, and the investor's request lost); gone, the
    lead is received as one sent from a deleted listing's page is (views:
    the PMA gets it). Locked, a deletion waits for the lead, and takes it
    into account as it does any other."""
    listings = type(listing).objects.select_related(related)
    listings = listings.select_for_update(of=("self",), no_key=True)
    return listings.filter(pk=listing.pk).first()


def _log_received(lead):
    logger.info(
        "lead %s received (organisation %s%s)",
        lead.pk,
        lead.organisation_id,
        f", {lead.delivery_status}, flagged: {lead.spam_reason}"
        if lead.spam_reason
        else "",
    )


def lead_enqueue(*, lead_id):
    """Hand the lead to a Celery worker. A broker that is down or slow must not
    fail the investor's request: the lead stays pending for the periodic job."""
    from .tasks import lead_deliver_task

    try:
        lead_deliver_task.delay(lead_id)
    except Exception as exc:  # noqa: BLE001 (kombu, redis and socket errors alike)
        logger.warning(
            "lead %s left pending: broker unavailable (%s)",
            lead_id,
            type(exc).__name__,
        )


def _claim(lead_id, now):
    claimable = Lead.objects.to_deliver(now=now).filter(pk=lead_id)
    claimed = claimable.update(
        delivery_status=Delivery.SENDING,
        delivery_claimed_at=now,
        delivery_attempts=F("delivery_attempts") + 1,
    )
    return claimed == 1


def lead_deliver(*, lead_id):
    """Send what is still unsent of a lead; returns the new delivery status, or
    None when there was nothing to do (sent, held, or another sender has it)."""
    claimed_at = timezone.now()
    if not _claim(lead_id, claimed_at):
        logger.info("lead %s: nothing to deliver", lead_id)
        return None
    lead = Lead.objects.select_related("plot", "park", "organisation").get(pk=lead_id)
    try:
        refusals = _send_unsent(lead)
    except Exception as exc:  # noqa: BLE001 (recorded; the lead must not stay claimed)
        return _release(lead, claimed_at, exc)
    _update_claimed(
        lead, claimed_at, delivery_status=Delivery.SENT, delivery_error=refusals
    )
    logger.info("lead %s delivered (attempt %s)", lead.pk, lead.delivery_attempts)
    return Delivery.SENT


class NoRecipient(Exception):
    permanent = True


def _send_unsent(lead):
    """Each email is recorded as sent as soon as it is, so that a retry after a
    failure of the acknowledgement, or of the developers' message in another
    language, does not send anyone a second copy. Returns what to record of
    the developers' addresses the server refused while it accepted others
    ("" when none)."""
    # Django's backend skips a message without an address and says nothing:
    # a lead recorded with an empty one would be marked sent, to nobody.
    if not any(address.strip() for address in lead.recipients):
        raise NoRecipient
    refusals = ""
    with get_connection() as connection:
        if lead.notified_at is None:
            refused = {}
            unsent = [a for a in lead.recipients if a not in lead.notified_to]
            for message in emails.notifications(lead, unsent, connection=connection):
                message.send()
                refused_now = mail.refused_recipients(connection)
                # Only the addresses the server accepted have it: one refused
                # gets it on a later attempt, the others never a second copy.
                accepted = mail.accepted_recipients(message, refused_now)
                lead.notified_to = [*lead.notified_to, *accepted]
                Lead.objects.filter(pk=lead.pk).update(notified_to=lead.notified_to)
                refused |= refused_now
            for_a_while = {a: r for a, r in refused.items() if r[0] < 500}
            if for_a_while:
                # A 4xx to one RCPT of several: smtplib returns it as if it
                # were delivered, and that developer would never have the lead.
                raise smtplib.SMTPRecipientsRefused(for_a_while)
            _mark_sent(lead, "notified_at")
            refusals = _refusals(lead, refused)
        if lead.acknowledged_at is None and lead.wants_acknowledgement:
            emails.acknowledgement(lead, connection=connection).send()
            _mark_sent(lead, "acknowledged_at")
    return refusals


def _refusals(lead, refused):
    if not refused:
        return ""
    codes = sorted({code for code, _message in refused.values()})
    # Counts and codes: the addresses are in the lead's recipients.
    note = f"SMTPRecipientsRefused {codes[0]} ({len(refused)}/{len(lead.recipients)})"
    logger.warning("lead %s: delivered, but %s", lead.pk, note)
    return note


def _mark_sent(lead, field):
    setattr(lead, field, timezone.now())
    Lead.objects.filter(pk=lead.pk).update(**{field: getattr(lead, field)})


def _is_permanent(exc):
    """Only the mail server and the network fail for a while (refused or cut
    connections, 4xx answers): retrying cannot help with a 5xx answer, no
    recipient, or a message that cannot be built (a header Python refuses
    raises HeaderParseError or ValueError on every attempt)."""
    if getattr(exc, "permanent", False):
        return True
    if isinstance(exc, DatabaseError):
        return False
    if not isinstance(exc, OSError):  # smtplib's errors are OSErrors
        return True
    codes = smtp_codes(exc)
    return bool(codes) and min(codes) >= 500


def _describe(exc):
    # Class and SMTP code only: server messages may quote email addresses.
    codes = smtp_codes(exc)
    return f"{type(exc).__name__} {codes[0]}" if codes else type(exc).__name__


def _release(lead, claimed_at, exc):
    status = Delivery.FAILED if _is_permanent(exc) else Delivery.PENDING
    _update_claimed(
        lead, claimed_at, delivery_status=status, delivery_error=_describe(exc)
    )
    logger.warning(
        "lead %s: delivery attempt failed (%s), now %s", lead.pk, _describe(exc), status
    )
    return status


def _update_claimed(lead, claimed_at, **fields):
    """Only while the claim is still ours (a claim taken over as stale is not).
    The attempt's outcome is a version of the lead in its history, by nobody:
    otherwise it read as changed by whoever saved the lead next."""
    updated = Lead.objects.filter(
        pk=lead.pk, delivery_status=Delivery.SENDING, delivery_claimed_at=claimed_at
    ).update(**fields)
    if updated:
        lead._history_user = None  # the portal's doing, whoever's request ran it
        history_bulk_record(Lead, [lead], history_type=CHANGED)


def leads_deliver_pending(*, limit=200):
    """The periodic job (Celery beat, or cron through the management command):
    deliver pending leads and those of senders that died. Returns the outcomes."""
    outcomes = {}
    # The least recently tried first: a lead that keeps failing goes behind
    # the others instead of being taken again and again before them.
    order = F("delivery_claimed_at").asc(nulls_first=True), "pk"
    ids = Lead.objects.to_deliver().order_by(*order).values_list("pk", flat=True)
    for lead_id in list(ids[:limit]):
        outcome = lead_deliver(lead_id=lead_id) or "skipped"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


REDELIVERABLE = (Delivery.HELD, Delivery.FAILED)


def lead_redeliver(*, lead):
    """Staff decision: a held or failed lead is to be sent after all. Returns
    whether it was queued (a lead being sent, or already queued, is left alone)."""
    held = Q(delivery_status=Delivery.HELD)
    # While the developers have not had it, it goes to whoever receives the
    # organisation's leads now: what staff fix before sending it again (a
    # contact ticked, an address corrected) is what made it fail. Once they
    # had it, its recipients stay the record of who did.
    now_receiving = Value(
        selectors.lead_recipients(lead.organisation), output_field=JSONField()
    )
    queued = Lead.objects.filter(pk=lead.pk, delivery_status__in=REDELIVERABLE).update(
        delivery_status=Delivery.PENDING,
        # Staff vouch for a held lead they release; a failed one keeps its flags.
        spam_reason=Case(When(held, then=Value("")), default=F("spam_reason")),
        recipients=Case(
            When(notified_at=None, then=now_receiving), default=F("recipients")
        ),
    )
    if queued:
        transaction.on_commit(partial(lead_enqueue, lead_id=lead.pk))
    return bool(queued)


def lead_pipeline_update(*, lead, changed):
    """Staff edits in the admin. A change of status is a contact with the
    investor, which restarts the retention period."""
    if "status" in changed:
        lead.last_contact_at = timezone.now()
    # Only the pipeline: the delivery columns belong to the senders, and the
    # values the form loaded may be stale by now; what the investor sent is
    # not staff's to fix (an address refused today may be in an older lead).
    pipeline = ["status", "assignee", "last_contact_at"]
    others = [f.name for f in Lead._meta.fields if f.name not in pipeline]
    lead.full_clean(exclude=others)
    lead.save(update_fields=pipeline)


def lead_note_add(*, lead, author, text):
    """A new entry in the lead's activity log; entries are never edited."""
    note = LeadNote(lead=lead, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note


def _years_before(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def leads_purge(*, now=None):
    """Delete the leads whose last contact is older than the retention period."""
    cutoff = _years_before(now or timezone.now(), settings.LEADS_RETENTION_YEARS)
    deleted = _leads_deleted(Lead.objects.last_contact_before(cutoff))
    logger.info("leads purged: %s", deleted)
    return deleted


def shortlists_purge(*, now=None):
    """Delete the shortlists prepared without a lead (for an investor met
    elsewhere) whose link closed longer ago than the leads' retention period:
    they name the investor, and no lead's purge takes them (those with a lead
    go with it). Returns how many."""
    cutoff = _years_before(now or timezone.now(), settings.LEADS_RETENTION_YEARS)
    closed = Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    shortlists = Shortlist.objects.filter(closed, lead__isnull=True)
    ids = list(shortlists.values_list("pk", flat=True))
    _total, per_model = Shortlist.objects.filter(pk__in=ids).delete()
    _admin_log_forget(Shortlist, ids)
    deleted = per_model.get(Shortlist._meta.label, 0)
    logger.info("shortlists without a lead purged: %s", deleted)
    return deleted


def person_export(*, email):
    """Everything held about a person (right of access), as JSON: their leads,
    the staff's notes on them, the shortlists prepared for them, and what other
    apps hold (core.personal_data)."""
    leads = list(Lead.objects.of_person(email))
    notes = LeadNote.objects.filter(lead__in=leads)
    # The shortlists prepared for them (by their lead) name them too; they
    # are erased with the lead (Shortlist.lead cascades).
    shortlists = Shortlist.objects.filter(lead__in=leads)
    chosen = ShortlistPlot.objects.filter(shortlist__in=shortlists)
    others = personal_data.held_objects(email)
    rows = [*leads, *notes, *shortlists, *chosen, *others]
    return serializers.serialize("json", rows, indent=2)


def person_erase(*, email):
    """Right to erasure: the person's leads are deleted, not anonymised (their
    notes and versions with them)."""
    deleted = _leads_deleted(Lead.objects.of_person(email))
    logger.info("leads erased on request: %s", deleted)
    return deleted


def _leads_deleted(leads):
    """Delete, with what cascades; how many leads (not notes) went."""
    ids = list(leads.values_list("pk", flat=True))
    shortlist_ids = list(
        Shortlist.objects.filter(lead__in=ids).values_list("pk", flat=True)
    )
    _total, per_model = Lead.objects.filter(pk__in=ids).delete()
    _admin_log_forget(Lead, ids)
    _admin_log_forget(Shortlist, shortlist_ids)
    return per_model.get(Lead._meta.label, 0)


def _admin_log_forget(model, ids):
    """Delete the admin's log entries of deleted objects: each names its object
    as it was (a lead by its company, a shortlist by its investor), and would
    keep the investor's name after the lead and its versions are gone."""
    if ids:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()


# A digest claimed this long ago and still unsent belongs to a run that died.
DIGEST_CLAIM_TIMEOUT = timedelta(hours=1)


def leads_digest_send(*, now=None):
    """The daily digest (Celery beat, or cron through `leads_digest`): on
    working days, each organisation with leads to look at sends its lead
    contacts one email, once a day however often this runs. Returns the
    outcomes, or None on a weekend or public holiday."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if not workdays.is_working_day(day):
        return None
    outcomes = {}
    waiting = Organisation.objects.filter(leads__status=Lead.Status.NEW).distinct()
    for organisation in waiting:
        outcome = _digest_send(organisation, day, now)
        if outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _digest_send(organisation, day, now):
    leads = selectors.leads_to_look_at(organisation, now=now)
    if not leads:
        return None
    contacts = selectors.lead_contacts(organisation)
    if not contacts:
        logger.warning("lead digest of organisation %s: no recipient", organisation.pk)
        return "no recipient"
    digest = send_claimed(
        LeadDigest, now, DIGEST_CLAIM_TIMEOUT, organisation=organisation, day=day
    )
    if digest is None:
        return "already sent"
    sent, error = _sent_until_refused(
        partial(emails.digest, organisation, leads, contacts)
    )
    if error is not None:
        logger.warning(
            "lead digest of organisation %s: %s message(s) sent, then %s",
            organisation.pk,
            sent,
            _describe(error),
        )
    if not sent:
        digest.delete()  # released: the next run tries again
        return "failed"
    # Once a message in one language went, trying again would send it a
    # second time: the others read tomorrow's, listing the same leads.
    LeadDigest.objects.filter(pk=digest.pk).update(
        sent_at=timezone.now(), leads=len(leads)
    )
    return "partly sent" if error else "sent"


def _sent_until_refused(build):
    """Send the messages `build` returns on one connection, stopping at the
    first failure (theirs or building them): how many went, and that failure
    (None when none)."""
    sent = 0
    try:
        with get_connection() as connection:
            for message in build():
                message.connection = connection
                message.send()
                sent += 1
    except Exception as exc:  # noqa: BLE001 (any failure: the caller records it)
        return sent, exc
    return sent, None
