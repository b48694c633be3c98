"""The outbox: whatever fails between the form and the inbox, nothing is lost
and nothing is sent twice."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import Lead
from leads.tasks import lead_deliver_task, retry_delay
from sites.models import Contact
from tests.leads.conftest import celery_broker, contact, form_data

pytestmark = pytest.mark.django_db

DEVELOPER = "dev@agglo-lenslievin.fr"
INVESTOR = "jan@vries-logistics.nl"
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def resend():
    call_command("leads_resend_pending", stdout=open("/dev/null", "w"))


def test_smtp_down_the_investor_still_succeeds_and_the_lead_waits(
    smtp_down, contacts, plot, submit
):
    response = submit(reverse("leads:plot", args=[plot.slug]))

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.delivery_status == Lead.Delivery.PENDING
    assert lead.delivery_attempts == 1
    assert lead.delivery_error == "ConnectionRefusedError"


def test_after_smtp_recovers_the_periodic_job_delivers_exactly_once(
    smtp_down, contacts, plot, submit, settings, smtp
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # down while the investor submits
    submit(reverse("leads:plot", args=[plot.slug]))
    settings.EMAIL_PORT = port

    resend()
    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(INVESTOR)) == 1
    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.delivery_attempts) == ("sent", 2)
    assert lead.delivery_error == ""


def test_smtp_answering_4xx_leaves_the_lead_pending_then_it_goes_once(
    smtp, contacts, plot, submit
):
    smtp.refuse = "451 4.3.0 Try again later"
    submit(reverse("leads:plot", args=[plot.slug]))
    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.delivery_error) == (
        "pending",
        "SMTPDataError 451",
    )

    smtp.refuse = None
    resend()
    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    assert Lead.objects.get().delivery_status == "sent"


def test_smtp_refusing_for_good_fails_visibly_and_stops_retrying(
    smtp, contacts, plot, submit
):
    smtp.refuse = "554 5.7.1 Rejected"
    submit(reverse("leads:plot", args=[plot.slug]))
    smtp.refuse = None

    resend()

    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.delivery_error) == (
        "failed",
        "SMTPDataError 554",
    )
    assert smtp.messages == []


def test_an_exception_after_the_save_rolls_back_and_sends_nothing(
    smtp, contacts, plot, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(services, "_log_received", side_effect=RuntimeError),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        services.lead_submit(data=lead_data(), plot=plot)

    assert callbacks == []
    assert not Lead.objects.exists()
    assert smtp.messages == []


def lead_data():
    data = form_data()
    for field in ("consent", "website", "issued"):
        data.pop(field)
    data["surface_needed_m2"] = int(data["surface_needed_m2"])
    data["jobs_planned"] = int(data["jobs_planned"])
    return data


def pending_lead(plot, **fields):
    """A lead saved, its delivery not yet asked for (as when the broker is down)."""
    with mock.patch.object(services, "lead_enqueue"):
        lead = services.lead_submit(data=lead_data(), plot=plot)
    Lead.objects.filter(pk=lead.pk).update(**fields)
    return lead


def test_redis_down_at_submission_success_within_2s_then_delivered_once(
    smtp, contacts, plot, submit
):
    with celery_broker(CLOSED_PORT_BROKER):
        started = time.monotonic()
        response = submit(reverse("leads:plot", args=[plot.slug]))
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 2, f"{elapsed:.2f} s"
    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.delivery_attempts) == ("pending", 0)
    assert smtp.messages == []

    resend()
    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(INVESTOR)) == 1


def test_delivering_twice_sends_once(smtp, contacts, plot):
    lead = pending_lead(plot)

    assert lead_deliver_task.apply(args=[lead.pk]).get() == "sent"
    assert lead_deliver_task.apply(args=[lead.pk]).get() is None

    assert len(smtp.messages) == 2  # the developers' email and the acknowledgement


def test_a_lead_claimed_by_a_live_worker_is_left_to_it(smtp, contacts, plot):
    lead = pending_lead(
        plot, delivery_status="sending", delivery_claimed_at=timezone.now()
    )

    resend()

    assert smtp.messages == []
    assert Lead.objects.get(pk=lead.pk).delivery_status == "sending"


def test_a_lead_claimed_by_a_worker_killed_mid_task_is_delivered_once(
    smtp, contacts, plot
):
    died = timezone.now() - timedelta(hours=1)
    lead = pending_lead(
        plot, delivery_status="sending", delivery_claimed_at=died, delivery_attempts=1
    )

    resend()
    resend()

    assert len(smtp.to(DEVELOPER)) == 1
    lead.refresh_from_db()
    assert (lead.delivery_status, lead.delivery_attempts) == ("sent", 2)


def test_a_retry_after_the_developers_got_it_only_sends_the_acknowledgement(
    smtp, contacts, plot
):
    pending_lead(plot, notified_at=timezone.now())

    resend()

    assert smtp.to(DEVELOPER) == []
    assert len(smtp.to(INVESTOR)) == 1


def test_a_retry_after_one_language_went_only_sends_the_others(smtp, contacts, plot):
    """Developers reading other languages get messages of their own: one
    refused for a while is sent again alone, never the others a second time."""
    dutch = contact("call", "nl@agglo-lenslievin.fr")
    Contact.objects.filter(pk=dutch.pk).update(language="nl")
    lead = pending_lead(plot)
    smtp.later.add(dutch.email)

    resend()

    assert Lead.objects.get(pk=lead.pk).delivery_status == "pending"
    assert (len(smtp.to(DEVELOPER)), smtp.to(dutch.email)) == (1, [])
    smtp.later.clear()
    resend()
    resend()

    assert Lead.objects.get(pk=lead.pk).delivery_status == "sent"
    assert len(smtp.to(DEVELOPER)) == len(smtp.to(dutch.email)) == 1
    assert len(smtp.to(INVESTOR)) == 1


def test_suspected_spam_is_never_delivered(smtp, contacts, plot):
    with mock.patch.object(services, "lead_enqueue") as enqueue:
        lead = services.lead_submit(data=lead_data(), plot=plot, spam_reason="honeypot")

    resend()

    enqueue.assert_not_called()
    assert Lead.objects.get(pk=lead.pk).delivery_status == "held"
    assert smtp.messages == []


def test_backoff_grows_with_jitter_and_a_ceiling(settings):
    settings.LEADS_DELIVERY_BACKOFF = 30
    settings.LEADS_DELIVERY_BACKOFF_MAX = 600
    delays = [retry_delay(n) for n in range(8)]
    assert 15 <= delays[0] <= 30
    assert 120 <= delays[3] <= 240
    assert all(300 <= d <= 600 for d in delays[5:])
    assert len({retry_delay(2) for _ in range(20)}) > 1


def test_logs_carry_the_lead_id_never_personal_data(
    smtp_down, contacts, plot, submit, caplog
):
    caplog.set_level("DEBUG")
    submit(
        reverse("leads:plot", args=[plot.slug]),
        email="secret.person@example.org",
        phone="+33 6 12 34 56 78",
        message="Confidential expansion plan",
    )
    lead = Lead.objects.get()

    logged = caplog.text
    assert f"lead {lead.pk}" in logged
    for secret in ("secret.person", "12 34 56", "Confidential", "Jan de Vries"):
        assert secret not in logged


POISONED = '"x\x0bBcc:x@evil.example"@example.com'


def poisoned_lead(plot):
    """A lead whose address got in before the form refused such addresses."""
    lead = pending_lead(plot)
    Lead.objects.filter(pk=lead.pk).update(email=POISONED)
    return lead


def test_a_message_that_cannot_be_built_fails_at_once_and_the_next_goes(
    smtp, contacts, plot
):
    bad, good = poisoned_lead(plot), pending_lead(plot)

    resend()
    resend()

    bad.refresh_from_db()
    assert (bad.delivery_status, bad.delivery_attempts) == ("failed", 1)
    assert bad.delivery_error == "HeaderParseError"
    good.refresh_from_db()
    assert (good.delivery_status, good.delivery_attempts) == ("sent", 1)
    everyone = {r for envelope, _m in smtp.messages for r in envelope.rcpt_tos}
    assert everyone == {DEVELOPER, INVESTOR}


def test_the_failure_is_shown_to_staff_without_personal_data(
    smtp, contacts, plot, staff_client
):
    lead = poisoned_lead(plot)
    resend()

    page = staff_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    html = page.content.decode()
    assert "HeaderParseError" in html
    changelist = staff_client.get(
        reverse("admin:leads_lead_changelist") + "?delivery_status__exact=failed"
    )
    assert list(changelist.context["cl"].queryset) == [Lead.objects.get(pk=lead.pk)]


def test_the_sweeper_takes_the_least_recently_tried_first(smtp, contacts, plot):
    tried = pending_lead(
        plot,
        delivery_claimed_at=timezone.now() - timedelta(minutes=5),
        delivery_attempts=7,
    )
    untried = pending_lead(plot)

    outcomes = services.leads_deliver_pending(limit=1)

    assert outcomes == {"sent": 1}
    assert Lead.objects.get(pk=untried.pk).delivery_status == "sent"
    assert Lead.objects.get(pk=tried.pk).delivery_status == "pending"


def test_a_lead_always_failing_for_a_while_does_not_starve_the_others(
    smtp, contacts, plot, settings
):
    stuck = pending_lead(plot)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1
    services.leads_deliver_pending(limit=1)  # the stuck lead fails (refused)
    settings.EMAIL_PORT = port
    newer = pending_lead(plot)
    Lead.objects.filter(pk=stuck.pk).update(delivery_status="pending")

    services.leads_deliver_pending(limit=1)

    assert Lead.objects.get(pk=newer.pk).delivery_status == "sent"
    assert Lead.objects.get(pk=stuck.pk).delivery_attempts == 1


def test_a_recipient_refused_by_the_server_does_not_stop_the_others(
    smtp, contacts, plot
):
    contact("call", "ancien@agglo-lenslievin.fr")
    smtp.unknown = {"ancien@agglo-lenslievin.fr"}
    lead = pending_lead(plot)

    resend()

    lead.refresh_from_db()
    assert lead.recipients == [DEVELOPER, "ancien@agglo-lenslievin.fr"]
    assert len(smtp.to(DEVELOPER)) == 1
    assert smtp.to("ancien@agglo-lenslievin.fr") == []
    assert lead.delivery_status == "sent"
    assert lead.delivery_error == "SMTPRecipientsRefused 550 (1/2)"


def test_without_any_lead_contact_the_superusers_are_told(
    smtp, contacts, plot, admin_user
):
    Contact.objects.update(receives_leads=False)
    lead = pending_lead(plot)

    resend()

    lead.refresh_from_db()
    assert lead.recipients == [admin_user.email]
    assert lead.delivery_status == "sent"
    [(subject, body)] = smtp.text(admin_user.email)
    assert "Terrain des Glissoires" in subject
    assert (
        f"Personne au sein de {plot.park.organisation.name} ne reçoit les demandes"
        in body
    )


def test_without_any_lead_contact_the_admins_are_told(smtp, contacts, plot, settings):
    Contact.objects.update(receives_leads=False)
    settings.ADMINS = [("Webmaster", "webmaster@pole-artois.fr")]

    lead = pending_lead(plot)
    resend()

    assert Lead.objects.get(pk=lead.pk).recipients == ["webmaster@pole-artois.fr"]
    assert len(smtp.to("webmaster@pole-artois.fr")) == 1


def test_with_nobody_at_all_the_lead_is_kept_and_failed_visibly(
    smtp, contacts, plot, caplog
):
    Contact.objects.update(receives_leads=False)
    lead = pending_lead(plot)

    resend()

    lead.refresh_from_db()
    assert (lead.delivery_status, lead.delivery_error) == ("failed", "NoRecipient")
    assert f"lead {lead.pk}: delivery attempt failed (NoRecipient)" in caplog.text


def test_a_lead_failed_for_want_of_a_reader_goes_to_the_contact_staff_then_add(
    smtp, contacts, plot, admin_user, staff_client, django_capture_on_commit_callbacks
):
    # Nobody received leads when it came (no contact, no administrator's
    # address): staff tick "receives leads" on a contact, then send it again.
    Contact.objects.update(receives_leads=False)
    type(admin_user).objects.update(email="")
    lead = pending_lead(plot)
    resend()
    assert Lead.objects.get(pk=lead.pk).delivery_error == "NoRecipient"
    Contact.objects.filter(email=DEVELOPER).update(receives_leads=True)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:leads_lead_changelist"),
            {"action": "deliver_again", "_selected_action": [lead.pk]},
        )

    lead.refresh_from_db()
    assert (lead.delivery_status, lead.recipients) == ("sent", [DEVELOPER])
    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(INVESTOR)) == 1


def test_a_lead_refused_at_an_old_address_goes_to_the_corrected_one(
    smtp, contacts, plot
):
    smtp.unknown = {DEVELOPER}
    lead = pending_lead(plot)
    resend()
    assert Lead.objects.get(pk=lead.pk).delivery_status == "failed"
    Contact.objects.filter(email=DEVELOPER).update(email="eco@agglo-lenslievin.fr")

    with mock.patch.object(services, "lead_enqueue"):
        assert services.lead_redeliver(lead=lead)
    resend()

    lead.refresh_from_db()
    assert lead.delivery_status == "sent"
    assert lead.recipients == ["eco@agglo-lenslievin.fr"]
    assert len(smtp.to("eco@agglo-lenslievin.fr")) == 1


def test_a_lead_the_developers_got_keeps_its_recipients_when_sent_again(
    smtp, contacts, plot
):
    # Only the acknowledgement failed: the record of who got it stays true.
    lead = pending_lead(plot, delivery_status="failed", notified_at=timezone.now())
    Contact.objects.filter(email=DEVELOPER).update(email="eco@agglo-lenslievin.fr")

    with mock.patch.object(services, "lead_enqueue"):
        assert services.lead_redeliver(lead=lead)
    resend()

    lead.refresh_from_db()
    assert (lead.delivery_status, lead.recipients) == ("sent", [DEVELOPER])
    assert smtp.to("eco@agglo-lenslievin.fr") == []
    assert len(smtp.to(INVESTOR)) == 1


def test_a_flagged_lead_resent_by_staff_keeps_its_flags(smtp, contacts, plot):
    lead = pending_lead(plot, delivery_status="failed", spam_reason="rate-email")

    with mock.patch.object(services, "lead_enqueue"):
        assert services.lead_redeliver(lead=lead)

    lead.refresh_from_db()
    assert (lead.delivery_status, lead.spam_reason) == ("pending", "rate-email")


def test_a_held_lead_is_purged_with_the_others(contacts, plot):
    old = timezone.now() - timedelta(days=3 * 366)
    held = pending_lead(plot, delivery_status="held", spam_reason="honeypot")
    Lead.objects.filter(pk=held.pk).update(last_contact_at=old)

    assert services.leads_purge() == 1
    assert not Lead.objects.exists()
