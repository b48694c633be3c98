"""A real SMTP server on loopback, contacts who receive leads, a valid form."""

import socket
import time
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from kombu import pools as kombu_pools

from leads.antispam import form_token
from sites.models import Contact, Organisation
from tests.factories import PlotFactory


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts, or answers `refuse`;
    the addresses in `unknown` are refused at RCPT for good, those in `later`
    for a while, the others accepted."""

    def __init__(self):
        self.messages = []
        self.refuse = None  # e.g. "451 4.3.0 Try again later"
        self.unknown = set()
        self.later = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user"
        if address in self.later:
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope, message))
        return "250 OK"

    def to(self, address):
        return [m for envelope, m in self.messages if address in envelope.rcpt_tos]

    def text(self, address):
        """The (subject, plain body) of each message to `address`."""
        return [
            (
                str(m["Subject"]).strip(),
                m.get_body(preferencelist=("plain",)).get_content(),
            )
            for m in self.to(address)
        ]

    def raw(self):
        return [envelope.content for envelope, _message in self.messages]


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at an aiosmtpd server on 127.0.0.1."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "leads.mail.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Nothing listens on the mail port."""
    settings.EMAIL_BACKEND = "leads.mail.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


def contact(slug, email, receives_leads=True):
    return Contact.objects.create(
        organisation=Organisation.objects.get(slug=slug),
        name=email.split("@")[0],
        email=email,
        receives_leads=receives_leads,
    )


@pytest.fixture
def contacts(db):
    """CALL (the factories' organisation) and the PMA each have a developer."""
    return {
        "call": contact("call", "dev@agglo-lenslievin.fr"),
        "call_other": contact("call", "accueil@agglo-lenslievin.fr", False),
        "pma": contact("pma", "eco@pole-artois.fr"),
        "siziaf": contact("siziaf", "dev@siziaf.fr"),
    }


@pytest.fixture
def plot(db):
    return PlotFactory(name="Terrain des Glissoires")


def form_data(age=10, **overrides):
    """A person's submission, the form shown `age` seconds ago."""
    data = {
        "name": "Jan de Vries",
        "company": "Vries Logistics BV",
        "country": "Netherlands",
        "email": "jan@vries-logistics.nl",
        "phone": "+31 20 123 4567",
        "language": "nl",
        "project_type": "logistics",
        "surface_needed_m2": "50000",
        "jobs_planned": "120",
        "timeline": "6-12",
        "message": "We look for 5 ha near the A1 for a cross-dock platform.",
        "consent": "on",
        "website": "",
        "issued": form_token(issued_at=time.time() - age),
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST the form as the browser would, running what waits for the commit."""

    def post(url, **data):
        # Upper-case names are the request's META (REMOTE_ADDR, HTTP_...).
        meta = {name: data.pop(name) for name in list(data) if name.isupper()}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, form_data(**data), **meta)

    return post


def reset_celery_connections(app):
    """Forget the connections to the previous broker (kombu keeps global pools)."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url):
    """Tasks go through a real broker at `url` instead of running in-process."""
    from investinartois.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_celery_connections(app)
    try:
        yield app
    finally:
        reset_celery_connections(app)
        app.conf.broker_url, app.conf.task_always_eager = saved
