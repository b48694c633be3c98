"""A request that waited too long for a worker is answered 503 at once
(investinartois.middleware.queue_deadline). A lead, however long it waited:
tests/leads/test_queue_deadline.py."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def stamp(seconds_ago):
    return {"X-Request-Start": f"t={time.time() - seconds_ago:.3f}"}


def test_a_page_that_waited_too_long_is_shed(client, demo, settings):
    settings.REQUEST_QUEUE_TIMEOUT = 10
    response = client.get(HOME, headers=stamp(11))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "try again" in response.text and "réessayez" in response.text
    assert client.head(HOME, headers=stamp(30)).status_code == 503


@pytest.mark.parametrize(
    "start",
    [
        None,
        2,  # seconds ago
        -5,  # a proxy's clock ahead
        "t=nan",
        "t=inf",
        "t=-inf",
        "yesterday",
        "",
    ],
)
def test_a_page_in_time_or_without_a_stamp_is_served(client, demo, settings, start):
    settings.REQUEST_QUEUE_TIMEOUT = 10
    if start is None:
        headers = {}
    elif isinstance(start, int):
        headers = stamp(start)
    else:
        headers = {"X-Request-Start": start}
    assert client.get(HOME, headers=headers).status_code == 200


def test_no_deadline_when_it_is_off(client, demo, settings):
    settings.REQUEST_QUEUE_TIMEOUT = 0
    assert client.get(HOME, headers=stamp(3600)).status_code == 200
