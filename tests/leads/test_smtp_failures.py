"""Each way a real mail server fails, on loopback: what the lead records, how
many emails leave, and that the investor's request never fails for it.

The aiosmtpd mailbox (conftest's `smtp`) answers what a handler returns; the
failures aiosmtpd cannot stage (a 421 greeting, a connection dropped after
the message was sent) come from a scripted socket server below.
"""

import socket
import socketserver
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from sites.models import Contact
from tests.leads.conftest import contact, free_port
from tests.leads.test_delivery import pending_lead

pytestmark = pytest.mark.django_db

DEVELOPER = "dev@agglo-lenslievin.fr"
COLLEAGUE = "collegue@agglo-lenslievin.fr"
INVESTOR = "jan@vries-logistics.nl"


def resend():
    call_command("leads_resend_pending", stdout=open("/dev/null", "w"))


def state(lead):
    lead.refresh_from_db()
    return lead.delivery_status, lead.delivery_error


class Scripted(socketserver.StreamRequestHandler):
    """One SMTP session, answered from the server's `script`: {"greeting",
    "MAIL", "RCPT", "DATA", "END"} to a reply, "DROP" to close the connection
    there (for "END", once the whole message was received)."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        script = self.server.script
        self.reply(script.get("greeting", "220 scripted ESMTP"))
        if not script.get("greeting", "220").startswith("220"):
            return
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode().upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 scripted")
            elif verb == "MAIL":
                self.reply(script.get("MAIL", "250 OK"))
            elif verb == "RCPT":
                address = line.decode().split("<", 1)[1].split(">", 1)[0]
                answer = script.get("RCPT", {}).get(address, "250 OK")
                if answer.startswith("250"):
                    recipients.append(address)
                self.reply(answer)
            elif verb == "DATA":
                self.reply(script.get("DATA", "354 Go ahead"))
                if not script.get("DATA", "354").startswith("354"):
                    continue
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append((recipients, data))
                end = script.get("END", "250 OK")
                if end == "DROP":
                    return  # received whole, never acknowledged
                self.reply(end)
                recipients = []
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class ScriptedServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def scripted(settings):
    server = ScriptedServer(("127.0.0.1", free_port()), Scripted)
    server.script = {}
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "leads.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


def to(server, address):
    return [data for recipients, data in server.received if address in recipients]


def test_a_421_greeting_leaves_the_lead_pending_then_it_goes_once(
    scripted, contacts, plot, submit
):
    scripted.script = {"greeting": "421 4.3.2 Service not available"}

    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert state(lead) == ("pending", "SMTPConnectError 421")
    scripted.script = {}
    resend()
    resend()
    assert (len(to(scripted, DEVELOPER)), len(to(scripted, INVESTOR))) == (1, 1)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("451 4.3.0 Try later", ("pending", "SMTPSenderRefused 451")),
        ("550 5.7.1 Sender rejected", ("failed", "SMTPSenderRefused 550")),
        ("530 5.7.0 STARTTLS first", ("failed", "SMTPSenderRefused 530")),
    ],
    ids=["4xx", "5xx", "tls-required"],
)  # fmt: skip
def test_a_refusal_at_mail_from(scripted, contacts, plot, submit, answer, expected):
    scripted.script = {"MAIL": answer}

    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    assert state(Lead.objects.get()) == expected
    assert scripted.received == []


def test_a_refusal_at_data(scripted, contacts, plot, submit):
    scripted.script = {"DATA": "452 4.3.1 Insufficient storage"}

    submit(reverse("leads:plot", args=[plot.slug]))

    assert state(Lead.objects.get()) == ("pending", "SMTPDataError 452")
    scripted.script = {}
    resend()
    resend()
    assert len(to(scripted, DEVELOPER)) == 1


def test_a_server_that_never_answers_times_out_and_the_lead_waits(
    settings, contacts, plot, submit
):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts, never greets
    settings.EMAIL_BACKEND = "leads.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
    settings.EMAIL_TIMEOUT = 1
    try:
        response = submit(reverse("leads:plot", args=[plot.slug]))
    finally:
        silent.close()

    assert response.status_code == 302
    assert state(Lead.objects.get())[0] == "pending"


def test_one_recipient_of_two_refused_for_a_while_gets_the_lead_later(
    smtp, contacts, plot
):
    """Both read French: one message, two RCPTs. The server accepts one and
    answers 451 to the other: that one must get the lead on a later try, and
    the first must not get it again."""
    contact("call", COLLEAGUE)
    lead = pending_lead(plot)
    smtp.later.add(COLLEAGUE)

    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    assert smtp.to(COLLEAGUE) == []
    assert state(lead) == ("pending", "SMTPRecipientsRefused 451")
    smtp.later.clear()
    resend()
    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(COLLEAGUE)) == 1
    assert len(smtp.to(INVESTOR)) == 1
    assert state(lead) == ("sent", "")


def test_a_connection_dropped_after_the_message_before_the_250(
    scripted, contacts, plot
):
    """The server had the whole message and closed without answering: the
    lead is tried again (it may not have been accepted), and the copy a
    retry sends is recognisably the same message (same Message-ID)."""
    scripted.script = {"END": "DROP"}
    lead = pending_lead(plot)

    resend()

    assert state(lead)[0] == "pending"
    scripted.script = {}
    resend()
    resend()
    copies = to(scripted, DEVELOPER)
    assert len(copies) == 2
    ids = {
        line for copy in copies for line in copy.split(b"\r\n")
        if line.lower().startswith(b"message-id:")
    }  # fmt: skip
    assert len(ids) == 1, ids


def test_the_contact_deleted_between_the_post_and_the_send(smtp, contacts, plot):
    """The lead goes where it was addressed when it came; the address is the
    record of who had it."""
    lead = pending_lead(plot)
    Contact.objects.filter(email=DEVELOPER).delete()

    resend()

    assert state(lead) == ("sent", "")
    assert len(smtp.to(DEVELOPER)) == 1


def test_two_sweepers_at_once_send_once(smtp, contacts, plot):
    lead = pending_lead(plot)
    died = timezone.now() - timedelta(hours=1)
    Lead.objects.filter(pk=lead.pk).update(
        delivery_status="sending", delivery_claimed_at=died
    )
    from leads.services import _claim

    now = timezone.now()
    assert [_claim(lead.pk, now), _claim(lead.pk, now)] == [True, False]


@pytest.mark.parametrize(
    "bad",
    [
        {"message": "Bonjour\x00"},
        {"name": "Jan\x00de Vries"},
        {"company": "ACME\x00"},
        {"country": "x" * 79 + "\x00\x00"},
        {"phone": "+33 3 21\x00 00 00"},
        {"email": "jan\x00@vries-logistics.nl"},
        {"message": "a\r\n" * 1700},
        {"company": " " + "x" * 150 + " "},
        {"name": "\u00e9" * 150},
        {"name": "\U0001f600" * 150},
    ],
    ids=lambda b: repr(b)[:30],
)
def test_what_the_database_could_refuse_is_a_form_error_or_kept_never_a_500(
    smtp, contacts, plot, submit, bad
):
    response = submit(reverse("leads:plot", args=[plot.slug]), **bad)

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert Lead.objects.get().delivery_status == "sent"
    else:
        assert not Lead.objects.exists()


def test_a_search_with_a_nul_byte_in_the_project_form(smtp, contacts, submit):
    response = submit(reverse("leads:project"), search="surface_min=2\x00&x=\x00")

    assert response.status_code in (302, 400)


def test_each_email_of_each_lead_has_a_message_id_of_its_own(
    smtp, contacts, plot, settings
):
    dutch = contact("call", "nl@agglo-lenslievin.fr")
    Contact.objects.filter(pk=dutch.pk).update(language="nl")
    pending_lead(plot), pending_lead(plot)

    resend()

    ids = [message["Message-ID"] for _envelope, message in smtp.messages]
    assert len(ids) == 6  # two leads: French, Dutch, acknowledgement
    assert len(set(ids)) == 6
    domain = urlsplit(settings.SITE_URL).hostname
    assert all(i.endswith(f"@{domain}>") for i in ids), ids


@pytest.mark.parametrize(
    "address",
    ["", "   ", "dev-agglo-lenslievin.fr", "dev@", "dev@agglo lenslievin.fr"],
    ids=["empty", "spaces", "no-at", "no-domain", "space"],
)
def test_a_developer_address_missing_or_invalid_is_never_marked_sent(
    smtp, contacts, plot, submit, address
):
    """Saved around the form's validation (an import, the shell): the lead
    must not be recorded as delivered to nobody."""
    Contact.objects.filter(email=DEVELOPER).update(email=address)

    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    lead = Lead.objects.get()
    delivered = {r for envelope, _m in smtp.messages for r in envelope.rcpt_tos}
    if lead.delivery_status == "sent":
        assert delivered - {INVESTOR}, (lead.recipients, lead.delivery_error)
    else:
        assert lead.delivery_status in ("failed", "pending"), lead.delivery_status


def test_an_organisation_whose_only_address_is_empty_falls_back_to_the_pma(
    smtp, contacts, plot, submit
):
    Contact.objects.filter(email=DEVELOPER).update(email="")

    submit(reverse("leads:plot", args=[plot.slug]))

    assert Lead.objects.get().recipients == ["eco@pole-artois.fr"]
    assert len(smtp.to("eco@pole-artois.fr")) == 1


def test_a_lead_recorded_with_an_empty_address_fails_visibly(smtp, contacts, plot):
    lead = pending_lead(plot, recipients=[""])

    resend()

    assert state(lead) == ("failed", "NoRecipient")
    assert smtp.messages == []


def test_starttls_required_by_settings_but_not_offered_waits_visibly(
    scripted, contacts, plot, submit, settings
):
    """EMAIL_USE_TLS against a server that offers no STARTTLS: the lead
    waits (a configuration to fix, not the lead's fault), and nothing is
    sent in clear."""
    settings.EMAIL_USE_TLS = True

    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    assert state(Lead.objects.get()) == ("pending", "SMTPNotSupportedError")
    assert scripted.received == []


def test_implicit_tls_against_a_plain_server_waits_visibly(
    scripted, contacts, plot, submit, settings
):
    settings.EMAIL_USE_SSL = True

    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    assert state(Lead.objects.get())[0] == "pending"
    assert scripted.received == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_lead_send_it_once(smtp, plot):
    """Two threads, each with its own database connection, deliver the same
    lead at the same moment: one claims it, the other finds nothing to do."""
    from django.db import connections

    from leads import services

    contact("call", DEVELOPER)
    lead = pending_lead(plot)
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver():
        barrier.wait()
        try:
            outcomes.append(services.lead_deliver(lead_id=lead.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes, key=str) == [None, "sent"]
    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(INVESTOR)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("listing", ["plot", "park"])
def test_a_listing_deleted_while_the_lead_is_received_is_no_500(smtp, listing):
    """Staff delete the plot or park between the moment the view read it and
    the lead's save: the lead is kept and goes to the PMA, as one sent from a
    deleted listing's page does."""
    from leads import services
    from tests.factories import BusinessParkFactory, PlotFactory
    from tests.leads.test_delivery import lead_data

    contact("call", DEVELOPER)
    contact("pma", "eco@pole-artois.fr")
    read = {"plot": PlotFactory, "park": BusinessParkFactory}[listing]()
    type(read).objects.filter(pk=read.pk).delete()

    lead = services.lead_submit(data=lead_data(), **{listing: read})

    lead.refresh_from_db()
    assert (lead.plot, lead.park, lead.organisation.slug) == (None, None, "pma")
    assert lead.recipients == ["eco@pole-artois.fr"]
