import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.utils import translation

from ambassadors.demo import ambassadors_demo_load
from sites.demo import demo_load
from sites.territory import territory_import

_database = {"blocker": None}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real territory (organisations, communes) is in every test database."""
    with django_db_blocker.unblock():
        territory_import()
    _database["blocker"] = django_db_blocker


def _flushes_database(item):
    """Transactional tests (live_server among them) empty every table after
    themselves; the others run in a transaction that is rolled back."""
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the session's territory back so
    the tests after it, in any order, find it as django_db_setup left it."""
    result = yield
    blocker = _database["blocker"]
    if nextitem is not None and blocker is not None and _flushes_database(item):
        with blocker.unblock():
            territory_import()
    return result


@pytest.fixture
def demo(db):
    demo_load()
    ambassadors_demo_load()


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
    may share the database."""
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
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
