import sqlite3
import time
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import TransactionTestCase
from django.utils import translation
from psycopg.errors import DeadlockDetected

from ambassadors.demo import ambassadors_demo_load
from sites.demo import demo_load
from sites.models import Commune, Plot
from sites.territory import territory_import
from stories.demo import stories_demo_load
from stories.models import SuccessStory


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="let the browser tests rewrite docs/screenshots/",
    )


def demo_listings_load():
    demo_load()
    ambassadors_demo_load()


# What tests find in the database, loaded once and committed, in layers: the
# real territory (organisations, communes) for every test, then the demo
# listings and ambassadors for the tests that ask for `demo`, then the stories
# for those that ask for `demo_stories`. Each test runs in a transaction that
# is rolled back, so it finds its layers as they were loaded, whatever it
# changes. Transactional tests (live_server among them) commit what they
# write; the next test that needs the database gets its layers back from a
# copy taken when they were first loaded.
LAYERS = (territory_import, demo_listings_load, stories_demo_load)


class _Committed:
    layers = 0  # how many of LAYERS the test database holds
    snapshots = {}  # layers -> a copy of the database holding exactly those


class _SqliteCopy:
    """The whole database copied page by page (SQLite's backup API): taking
    or putting back the territory and demo costs milliseconds, where loading
    them again costs seconds."""

    def __init__(self, connection):
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.ensure_connection()
        connection.connection.backup(self.copy)

    def restore(self, connection):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class _PostgresCopy:
    """Every table of the apps copied into a schema of its own; put back by
    emptying the tables and copying the rows back in one transaction (the
    foreign keys are checked at its end). Sequences are left as they are, as
    a flush leaves them: new rows never reuse an id."""

    def __init__(self, connection, layers):
        self.schema = f"test_layers_{layers}"
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.schema}")
            for table in self.tables:
                cursor.execute(
                    f'CREATE TABLE {self.schema}."{table}" AS TABLE public."{table}"'
                )

    def restore(self, connection):
        # A browser's last requests may still reach the live server after its
        # test ended: one that reads while TRUNCATE takes its locks is a
        # deadlock, and PostgreSQL may pick the TRUNCATE (seen once in CI).
        # The reader is gone a moment later: the restore is tried again.
        for attempt in range(5):
            try:
                return self._restored(connection)
            except OperationalError as error:
                if not isinstance(error.__cause__, DeadlockDetected) or attempt == 4:
                    raise
                time.sleep(0.2)

    def _restored(self, connection):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE " + ", ".join(f'public."{t}"' for t in self.tables)
            )
            for table in self.tables:
                copied = f'{self.schema}."{table}"'
                cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {copied}')


def _snapshot_take(layers):
    if connection.vendor == "sqlite":
        copy = _SqliteCopy(connection)
    else:
        copy = _PostgresCopy(connection, layers)
    _Committed.snapshots[layers] = copy


def _snapshot_restore(layers):
    _Committed.snapshots[layers].restore(connection)
    _Committed.layers = layers
    # Rows came back with their former ids: what Django keeps in memory
    # about them must be read again.
    ContentType.objects.clear_cache()


def _layers_wanted(item):
    names = getattr(item, "fixturenames", ())
    if "demo_stories" in names:
        return 3
    if "demo" in names:
        return 2
    return 1


def _layers_found():
    """What the database holds (with --reuse-db, what the last run left)."""
    if not Commune.objects.exists():
        return 0
    if not Plot.objects.filter(is_demo=True).exists():
        return 1
    return 3 if SuccessStory.objects.exists() else 2


def _layers_load(wanted):
    """Bring the database to exactly `wanted` layers: from the copy taken
    when that layer was first loaded, or by loading what is missing on top of
    the nearest copy below it (or of an empty database), copying each new
    layer. After a transactional test the content is unknown (None): what it
    committed is still there until a copy is put back."""
    current = _Committed.layers
    if current == wanted:
        return
    if wanted in _Committed.snapshots:
        _snapshot_restore(wanted)
        return
    below = [
        n
        for n in _Committed.snapshots
        if n < wanted and (current is None or current > wanted or n > current)
    ]
    if below:
        _snapshot_restore(max(below))
    elif current is None or current > wanted:
        call_command("flush", interactive=False, verbosity=0)
        _Committed.layers = 0
    for load in LAYERS[_Committed.layers : wanted]:
        load()
        _Committed.layers += 1
        _snapshot_take(_Committed.layers)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Fewer layers first, so that each layer is loaded once. pytest-django
    sorts after this (database tests, then transactional ones, then the
    rest), keeping this order within each group."""
    items.sort(key=_layers_wanted)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        territory_import()  # also refreshes a reused database's territory
        _Committed.layers = _layers_found()
        if _Committed.layers == 1:
            _snapshot_take(1)
    # A transactional test's rows are overwritten by the next test's copy
    # (_layers_load): the flush Django runs after each one, and the content
    # types and permissions it writes again, would be thrown away.
    with mock.patch.object(TransactionTestCase, "_fixture_teardown", lambda self: None):
        yield
    if _Committed.layers is None:  # leave a reused database (--reuse-db) clean
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def _commits(item):
    """Transactional tests (live_server among them) commit what they write;
    the others run in a transaction that is rolled back."""
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        "transactional_db" in names
        or "live_server" in names
        or marker
        and (
            marker.kwargs.get("transaction")
            or marker.kwargs.get("reset_sequences")
            or True in marker.args[:2]  # (transaction, reset_sequences, ...)
        )
    )


@pytest.fixture
def _committed_layers(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _layers_load(_layers_wanted(request.node))
    yield
    if _commits(request.node):
        _Committed.layers = None


@pytest.fixture
def _django_db_helper(_committed_layers, _django_db_helper):
    """pytest-django's own (the test's transaction, or none for a
    transactional test), once the committed layers are the ones the test
    needs: every use of the database goes through it, marker or fixture."""
    return _django_db_helper


@pytest.fixture
def demo(db):
    """The demo parks, plots, contacts and ambassadors (committed once, see
    LAYERS)."""


@pytest.fixture
def demo_stories(demo):
    """The demo, and the sectors, stories and innovation park of the 2022
    report (committed once, see LAYERS)."""


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in French: the test client leaves the last request's
    language active in the thread."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def cache_clear():
    """Empty this run's cache. With Redis only its own keys go (settings/test.py
    gives them a prefix of their own): the benchmark, Celery and other test runs
    may share the database, and so may the other pytest-xdist workers.

    `cache` is a proxy: the backend behind it is what says Redis. Emptying the
    whole Redis database would also empty the Celery broker under a real
    worker's test running beside this one."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=backend.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def cache_empty():
    """Each test starts with an empty cache: a page cached by an earlier test
    would hide its queries and its content."""
    cache_clear()


PUBLIC_ADDRESS = "https://investinartois.fr"


@pytest.fixture
def site_url(settings):
    """The production public address: links must come from it, not from the
    test client's host (testserver) nor the dev default (127.0.0.1)."""
    settings.SITE_URL = PUBLIC_ADDRESS
    return PUBLIC_ADDRESS
