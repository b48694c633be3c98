"""Robots without a third-party CAPTCHA: honeypot, signed time trap, rate limits.

Only the honeypot holds a lead (kept for audit, never sent): people never see
that field. Everything else can be a person's doing: a lead sent within
seconds, or beyond the hourly limits, is delivered, flagged with the reason
(models.Flag). A form older than LEADS_FORM_MAX_AGE, or whose token cannot be
read, is neither refused nor held: the investor is asked to confirm.
"""

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing

from core.limits import counted
from core.network import client_network

from .models import Flag

logger = logging.getLogger(__name__)

SALT = "leads.form-issued"
HOUR = 3600


def clock():
    """The time the tokens are signed and checked with (tests move it)."""
    return time.time()


def form_token(*, issued_at=None, confirming=False):
    """When the form was rendered, signed so that a robot cannot backdate it;
    `confirming` for the form sent back to confirm an old one."""
    issued_at = clock() if issued_at is None else issued_at
    return signing.dumps({"at": issued_at, "confirming": confirming}, salt=SALT)


def page_form_token():
    """The token of a form on a page served to a visitor (a cached plot or
    park page's slot): signed once a second, not once a visitor, since it
    holds nothing but the time. Dated at the next whole second, so that the
    trap never lets a form through sooner than LEADS_FORM_MIN_SECONDS: it
    may flag a person within the last second of it (flagged, still sent)."""
    return _token_at(math.ceil(clock()))


@lru_cache(maxsize=2)
def _token_at(second):
    return form_token(issued_at=second)


@dataclass(frozen=True)
class Issued:
    age: float  # seconds since the form was rendered
    confirming: bool


def form_issued(token):
    """What a form's token says, or None when it is missing or forged."""
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if isinstance(value, int | float):  # signed before confirmations existed
        value = {"at": value}
    try:
        return Issued(clock() - float(value["at"]), bool(value.get("confirming")))
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def form_age(token):
    issued = form_issued(token)
    return None if issued is None else issued.age


def needs_confirmation(issued):
    return issued is None or issued.age > settings.LEADS_FORM_MAX_AGE


def spam_reason(request, *, honeypot, issued, email):
    """The flags of a submission (models.Flag codes, comma-separated), "" for
    none. Counts it against the hourly limits unless it is held."""
    if honeypot:
        return Flag.HONEYPOT
    flags = []
    quickest = (
        settings.LEADS_CONFIRM_MIN_SECONDS
        if issued.confirming
        else settings.LEADS_FORM_MIN_SECONDS
    )
    if issued.age < quickest:
        flags.append(Flag.TOO_FAST)
    flags += rate_flags(request, email)
    return ",".join(flags)


def rate_flags(request, email):
    over_email = _over_limit("email", _email_key(email), settings.LEADS_EMAIL_PER_HOUR)
    over_ip = _over_limit("ip", _ip_key(request), settings.LEADS_IP_PER_HOUR)
    flags = [Flag.EMAIL_RATE] if over_email else []
    flags += [Flag.IP_RATE] if over_ip else []
    if None in (over_email, over_ip):
        flags.append(Flag.UNCHECKED)
    return flags


def _email_key(email):
    # jan+plot1@ and jan+plot2@ are one sender.
    local, _at, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _ip_key(request):
    """What the limit counts for the client (core.network.client_network: an
    IPv6 client's /64), or None when it cannot be known: a misconfigured
    proxy header, for example (the lead is then flagged unchecked)."""
    try:
        network = client_network(request)
    except Exception as exc:  # noqa: BLE001 (a broken address function: reported)
        logger.warning(
            "lead rate limit: client address unreadable (%s)", type(exc).__name__
        )
        return None
    if network is None:
        logger.warning("lead rate limit: client address unreadable")
    return network


def _over_limit(kind, value, per_hour):
    """Count one more lead for `value` in this clock hour. True beyond the
    limit, None when it cannot be counted (reported, never a silent pass)."""
    if value is None:
        logger.warning("lead rate limit unchecked (%s): no value to count", kind)
        return None
    count = counted(f"leads:{kind}", value, window=HOUR, now=clock())
    return None if count is None else count > per_hour
