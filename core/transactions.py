"""Transactions for work done off the request path."""

from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction


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


def send_claimed(model, now, timeout, **key):
    """The row of `model` for `key` (the fields of its unique constraint: an
    organisation and a day or a month) if this run may send what it stands
    for, else None. Created now, the unique constraint lets one of two runs at
    once have it; one claimed more than `timeout` ago and never marked sent
    (`sent_at`) belongs to a run that died, and is taken over. The caller
    marks it sent, or deletes it when the sending fails."""
    try:
        with transaction.atomic():
            return model.objects.create(claimed_at=now, **key)
    except IntegrityError:
        pass
    abandoned = model.objects.filter(sent_at=None, claimed_at__lt=now - timeout, **key)
    if abandoned.update(claimed_at=now):
        return model.objects.get(**key)
    return None
