import pytest

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
