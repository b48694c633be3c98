"""Transactions for work done off the request path."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def unbounded_atomic():
    """A transaction free of the statement timeout that bounds requests
    (settings.prod, DATABASE_STATEMENT_TIMEOUT): work over the whole table,
    such as the open-data files or the map's grid, takes minutes at a million
    plots, more on a busy server, and off the request path it may."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        yield
