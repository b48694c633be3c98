"""Robots without a third-party CAPTCHA: honeypot, signed time trap, rate limit.

None of them shows the sender anything different: a suspected robot gets the
same success page, and its lead is kept, flagged, for staff to look at.
"""

import logging
import time

from django.conf import settings
from django.core import signing
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

SALT = "leads.form-issued"


def form_token(*, issued_at=None):
    """When the form was rendered, signed so that a robot cannot backdate it."""
    return signing.dumps(time.time() if issued_at is None else issued_at, salt=SALT)


def form_age(token):
    """Seconds since the form was rendered, or None for a missing/forged token."""
    try:
        return time.time() - float(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def rate_limited(request):
    """Over the per-IP allowance? False when the cache cannot tell (fail open)."""
    try:
        usage = get_usage(
            request,
            group="leads.submit",
            key="ip",
            rate=settings.LEADS_RATE_LIMIT,
            method="POST",
            increment=True,
        )
    except Exception:  # noqa: BLE001 (any cache failure: let the lead through)
        logger.warning("rate limit unavailable: lead accepted unchecked")
        return False
    # A cache that did not answer reports count 0: fail open as well.
    return usage is not None and usage["count"] > usage["limit"]


def spam_reason(request, *, honeypot, token):
    """Why this submission looks automated, or "" when it does not."""
    if honeypot:
        return "honeypot"
    age = form_age(token)
    if age is None:
        return "bad token"
    if age < settings.LEADS_FORM_MIN_SECONDS:
        return "too fast"
    if age > settings.LEADS_FORM_MAX_AGE:
        return "form too old"
    if rate_limited(request):
        return "rate limit"
    return ""
