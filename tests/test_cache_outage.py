"""Redis down: cached pages are computed instead, never a 500."""

import pytest
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db
DOWN = {
    "default": {
        "BACKEND": "investinartois.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DOWN  # Django's test signals swap the cache handler
    cache = caches["default"]
    cache.set("probe", 1)
    assert cache.get("probe") is None  # really down


def test_pages_and_api_answer_when_the_cache_is_down(client, demo, redis_down):
    for url in (
        reverse("portal:home"),
        reverse("sites:search") + "?surface_min=10",
        reverse("api-plots"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "317" in client.get(reverse("portal:home")).content.decode()


def test_what_is_built_while_the_cache_is_down_is_not_held(client, demo, redis_down):
    """Nothing could say when it is stale: an edit made meanwhile (which
    cannot move the listings version either) shows at once."""
    from sites.models import Organisation

    home = reverse("portal:home")
    client.get(home)
    organisation = Organisation.objects.members().first()
    organisation.name = "Renamed while the cache is down"
    organisation.save()
    assert organisation.name in client.get(home).content.decode()
