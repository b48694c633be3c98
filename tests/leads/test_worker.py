"""A real Celery worker against Redis delivers to the loopback SMTP server.

Transactional tests: the worker runs in another thread, with its own database
connection, so it must see what the test commits (tests/conftest.py puts the
territory back after the flush).
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from django.test import Client
from django.urls import reverse

from leads.models import Lead
from tests.factories import PlotFactory
from tests.leads.conftest import celery_broker, contact, form_data

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="needs Redis for a real worker: set REDIS_URL (CI does)"
)
DEVELOPER = "worker-test@agglo-lenslievin.fr"


@pytest.fixture
def committed(transactional_db):
    contact("call", DEVELOPER)
    return PlotFactory(name="Terrain du worker")


@pytest.fixture
def worker(committed):
    with celery_broker(REDIS_URL) as app:
        app.control.purge()  # messages of earlier runs, for leads long gone
        with start_worker(app, pool="solo", perform_ping_check=False):
            yield app
    connections.close_all()


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def submit(plot):
    response = Client().post(reverse("leads:plot", args=[plot.slug]), form_data())
    assert response.status_code == 302
    return Lead.objects.get(plot=plot)


def test_a_real_worker_delivers_the_lead_exactly_once(smtp, committed, worker):
    lead = submit(committed)

    assert wait_for(lambda: len(smtp.messages) == 2), smtp.messages
    [notification] = smtp.to(DEVELOPER)
    assert "Terrain du worker" in notification.get_content()
    assert wait_for(
        lambda: Lead.objects.get(pk=lead.pk).delivery_status == Lead.Delivery.SENT
    )
    time.sleep(1)  # nothing else arrives
    assert len(smtp.messages) == 2


def test_retries_stop_at_the_maximum_then_the_periodic_job_delivers_once(
    smtp, committed, worker, settings
):
    settings.LEADS_DELIVERY_BACKOFF = 0  # retry at once, with the real worker
    smtp.refuse = "451 4.3.0 Try again later"
    lead = submit(committed)
    attempts = worker.tasks["leads.tasks.lead_deliver_task"].max_retries + 1

    def retries_exhausted():
        lead.refresh_from_db()
        return lead.delivery_attempts == attempts and lead.delivery_status == "pending"

    assert wait_for(retries_exhausted)
    time.sleep(1)
    lead.refresh_from_db()
    assert lead.delivery_attempts == attempts  # and no more
    assert smtp.messages == []

    smtp.refuse = None
    from leads.services import leads_deliver_pending

    leads_deliver_pending()
    leads_deliver_pending()
    assert len(smtp.to(DEVELOPER)) == 1
