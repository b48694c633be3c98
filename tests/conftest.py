import pytest
from django.conf import settings
from django.utils import translation

from ambassadors.demo import ambassadors_demo_load
from sites.demo import demo_load
from sites.territory import territory_import


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real territory (organisations, communes) is in every test database."""
    with django_db_blocker.unblock():
        territory_import()


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
