"""An optional read replica (settings: DATABASE_REPLICA_URL) for the reads
that grow with the listings: the search, the map's API and tiles, the sitemap.

Those views run inside `replica_reads()` (the `from_replica` decorator) and
the router sends their reads to the "replica" database when there is one;
every other read, and every write, stays on the primary, so a form sees what
it just saved. A replica lags: a page built from it just after an edit would
be cached under the new listings version, so core.caching bumps the version
once more DATABASE_REPLICA_LAG seconds after each change.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def from_replica(view):
    @wraps(view)
    def replica_view(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return replica_view


class ReplicaRouter:
    """settings.DATABASE_ROUTERS, when a replica is configured."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
