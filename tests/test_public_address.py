"""Every absolute link in every email is on the public address (SITE_URL):
never the developer's machine, never the host a request happened to carry."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from leads.services import leads_digest_send
from sites.models import Plot
from tests.factories import PlotFactory, staff_user
from tests.leads.conftest import Mailbox, contact, form_data, free_port
from tests.leads.test_delivery import pending_lead
from workspace.freshness import stale_listings_remind

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://[^\s\"'<>]+")
NOT_PUBLIC = ("127.0.0.1", "localhost", "testserver")


@pytest.fixture
def production_like(settings, site_url):
    """Production's address, hosts and SMTP (a real server on loopback)."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["investinartois.fr"]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    yield mailbox
    controller.stop()


def public_client(client):
    client.defaults["HTTP_HOST"] = "investinartois.fr"
    return client


def assert_links_on_public_address(mailbox, site_url):
    assert mailbox.messages
    for raw in mailbox.raw():
        text = raw.decode()
        for name in NOT_PUBLIC:
            assert name not in text, (name, text)
    for _envelope, message in mailbox.messages:
        body = message.get_content()
        links = URL.findall(body)
        assert links, body
        for link in links:
            assert link.startswith(f"{site_url}/"), link
        assert message["Message-ID"].endswith("@investinartois.fr>")


def test_lead_emails_link_to_the_public_address(
    production_like, site_url, client, django_capture_on_commit_callbacks
):
    contact("call", "dev@agglo-lenslievin.fr")
    plot = PlotFactory()
    client = public_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leads:plot", args=[plot.slug]), form_data())
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.delivery_status == Lead.Delivery.SENT

    assert_links_on_public_address(production_like, site_url)
    (notification,) = production_like.to("dev@agglo-lenslievin.fr")
    body = notification.get_content()
    assert f"{site_url}{reverse('admin:leads_lead_change', args=[lead.pk])}" in body
    # The plot's page in the developer's language (French: their contact says
    # none), and in the investor's (Dutch) in the acknowledgement.
    assert f"{site_url}{plot.get_absolute_url()}" in body
    plot_in_dutch = plot.get_absolute_url().replace("/fr/", "/nl/", 1)
    (acknowledgement,) = production_like.to("jan@vries-logistics.nl")
    assert f"{site_url}{plot_in_dutch}" in acknowledgement.get_content()


def test_stale_listing_reminders_link_to_the_public_address(
    production_like, site_url, demo
):
    developer = staff_user("call")
    developer.email = "dev.call@example.org"
    developer.save()
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    Plot.objects.filter(pk=plot.pk).update(
        updated_at=timezone.now() - timedelta(days=200)
    )

    assert stale_listings_remind() == 1

    assert_links_on_public_address(production_like, site_url)
    (reminder,) = production_like.to("dev.call@example.org")
    admin_path = reverse("admin:sites_plot_change", args=[plot.pk])
    assert f"{site_url}{admin_path}" in reminder.get_content()


def test_the_daily_digest_links_to_the_public_address(production_like, site_url):
    contact("call", "dev@agglo-lenslievin.fr")
    wednesday = datetime(2026, 3, 11, 8, tzinfo=ZoneInfo("Europe/Paris"))
    lead = pending_lead(
        PlotFactory(), created_at=wednesday - timedelta(days=7), delivery_status="sent"
    )

    assert leads_digest_send(now=wednesday) == {"sent": 1}

    assert_links_on_public_address(production_like, site_url)
    (digest,) = production_like.to("dev@agglo-lenslievin.fr")
    admin_path = reverse("admin:leads_lead_change", args=[lead.pk])
    assert f"{site_url}{admin_path}" in digest.get_content()


def test_password_reset_emails_link_to_the_public_address(
    production_like, site_url, client
):
    User.objects.create_user(
        "dev-call", email="dev.call@example.org", password="x-Y-z-1234", is_staff=True
    )
    client = public_client(client)

    response = client.post(
        reverse("admin_password_reset"), {"email": "dev.call@example.org"}
    )

    assert response.status_code == 302
    assert_links_on_public_address(production_like, site_url)
    (message,) = production_like.to("dev.call@example.org")
    assert f"{site_url}/{settings.ADMIN_URL}reset/" in message.get_content()
