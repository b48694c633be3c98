"""What an anonymous client may ask for in a while: counts kept in the cache,
per value (a client's address, an email) and per window of the clock.

The leads' and alerts' hourly limits and the map's counts per minute use it.
Counts live in the cache shared by every worker (Redis in production), so a
limit holds across workers and servers.
"""

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
# The clock the windows are read from (a test may hold it still).
clock = time.time


def counted(kind, value, *, window, now=None):
    """One more for `value` of `kind` in the current `window` (seconds, from
    the clock's epoch): how many so far in it, this one included; None when
    the cache cannot count. The key holds a digest, never the value itself
    (an address or an email is personal data)."""
    now = clock() if now is None else now
    period = int(now // window)
    digest = hashlib.sha256(f"{kind}:{value}:{period}".encode()).hexdigest()
    key = f"limits:{digest}"
    try:
        cache.add(key, 0, window + 60)
        return cache.incr(key)
    except Exception as exc:  # noqa: BLE001 (any cache failure, said to the caller)
        logger.warning("rate limit unchecked (%s): %s", kind, type(exc).__name__)
        return None
