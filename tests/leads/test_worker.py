"""A real Celery worker against Redis delivers to the loopback SMTP server.

Transactional tests: the worker runs in another thread, with its own database
connection, so it must see what the test commits (tests/conftest.py puts the
territory back after the flush).
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from tests.factories import PlotFactory
from tests.leads.conftest import celery_broker, contact, form_data, free_port

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


class StallingMailbox:
    """Accepts the connection, then never answers the message: a send that
    hangs until the worker running it is killed."""

    def __init__(self):
        self.reached_data = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.reached_data.set()
        await asyncio.sleep(120)
        return "451 4.3.0 Too late"


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(
    smtp, committed, settings
):
    """A real worker process, killed (SIGKILL) while it is talking to the SMTP
    server: the lead stays claimed, the periodic job takes it over once the
    claim is stale, and the developers get exactly one email."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: PostGIS")
    stalling = StallingMailbox()
    stalled_smtp = Controller(stalling, hostname="127.0.0.1", port=free_port())
    stalled_smtp.start()
    database = connections["default"].settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "investinartois.settings.base",
        "DATABASE_URL": (
            f"postgis://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(stalled_smtp.port),
        "EMAIL_TIMEOUT": "120",
    }
    with celery_broker(REDIS_URL) as app:
        app.control.purge()
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "investinartois", "worker",
             "--pool=solo", "--concurrency=1", "--without-mingle",
             "--without-gossip", "--loglevel=WARNING"],
            cwd=django_settings.BASE_DIR, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            lead = submit(committed)
            assert stalling.reached_data.wait(30), "the worker never sent"
            lead.refresh_from_db()
            assert lead.delivery_status == Lead.Delivery.SENDING
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
            stalled_smtp.stop()
    connections.close_all()

    lead.refresh_from_db()
    assert lead.delivery_status == Lead.Delivery.SENDING  # claimed by the dead
    assert smtp.messages == []
    # The claim goes stale; the periodic job (here its cron command) takes over.
    stale = timezone.now() - timedelta(seconds=settings.LEADS_CLAIM_TIMEOUT + 1)
    Lead.objects.filter(pk=lead.pk).update(delivery_claimed_at=stale)
    call_command("leads_resend_pending")
    call_command("leads_resend_pending")
    lead.refresh_from_db()
    assert lead.delivery_status == Lead.Delivery.SENT
    assert len(smtp.to(DEVELOPER)) == 1
