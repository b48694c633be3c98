"""What an anonymous client may ask for in a while: counts kept in the cache,
per value (a client's address, an email) and per window of the clock.

The leads' and alerts' hourly limits, and the work a request may start per
minute (the map's counts, the plot sheets' PDFs), use it.
Counts live in the cache shared by every worker (Redis in production), so a
limit holds across workers and servers.
"""

import logging
import time

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.crypto import salted_hmac

from .network import client_network

logger = logging.getLogger(__name__)
# The clock the windows are read from (a test may hold it still).
clock = time.time


def counted(kind, value, *, window, now=None):
    """One more for `value` of `kind` in the current `window` (seconds, from
    the clock's epoch): how many so far in it, this one included; None when
    the cache cannot count. The key holds a digest, never the value itself
    (an address or an email is personal data), keyed with SECRET_KEY: a plain
    hash of an IPv4 address is undone by trying all four billion, and one of
    an email by trying a list of them."""
    now = clock() if now is None else now
    period = int(now // window)
    digest = salted_hmac(__name__, f"{kind}:{value}:{period}", algorithm="sha256")
    digest = digest.hexdigest()
    key = f"limits:{digest}"
    try:
        cache.add(key, 0, window + 60)
        return cache.incr(key)
    except Exception as exc:  # noqa: BLE001 (any cache failure, said to the caller)
        logger.warning("rate limit unchecked (%s): %s", kind, type(exc).__name__)
        return None


MINUTE = 60


class LimitReached(Exception):
    """The client may not have this work done now (`client_within` said no):
    raised where the work would start, answered 429 (`refused_headers`)."""


def client_within(request, kind, per_minute):
    """Whether the client (its address, an IPv6 client's /64) may have one
    more `kind` of work done this minute, `per_minute` at most (0: no limit).
    An address that cannot be known, or a cache that cannot count, lets it
    through: both are logged, and a person is never refused for them."""
    client = client_network(request) if per_minute else None
    if client is None:
        return True
    count = counted(kind, client, window=MINUTE)
    return count is None or count <= per_minute


def refused_headers(window=MINUTE):
    """The headers of a 429: when the client's count starts again (the end
    of the current window), and that the refusal is not to be kept."""
    return {
        "Retry-After": str(window - int(clock()) % window),
        "Cache-Control": "no-store",
    }


def refused(message):
    """A 429 that says `message` (plain text), with refused_headers()."""
    return HttpResponse(
        str(message),
        status=429,
        content_type="text/plain; charset=utf-8",
        headers=refused_headers(),
    )
