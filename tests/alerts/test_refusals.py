"""An alert whose address the mail server refuses for good is stopped after
a few digests in a row, never written to again, shown to the PMA's staff and
purged as the privacy notice says; a refusal for a while is tried again (a
real SMTP server on loopback)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from alerts.models import Subscription
from alerts.services import alerts_digest_send, alerts_purge
from sites.models import Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user

pytestmark = pytest.mark.django_db

GONE = "parti@ancienne-societe.fr"
READER = "jan@vries-logistics.nl"
CHANGELIST = reverse("admin:alerts_subscription_changelist")


@pytest.fixture
def park(db):
    return BusinessParkFactory(name="Parc des Refus", slug="parc-des-refus")


def alert(park, email, **fields):
    since = timezone.now() - timedelta(days=2)
    return Subscription.objects.create(
        email=email,
        query=f"park={park.slug}",
        language="fr",
        confirmed_at=since,
        checked_at=since,
        **fields,
    )


def day(n):
    """The digest's run `n` days from now."""
    return timezone.now() + timedelta(days=n)


def plot_changed(park, n):
    """A plot of `park` come on the market just before the run of day `n`."""
    plot = PlotFactory(park=park)
    Plot.objects.filter(pk=plot.pk).update(updated_at=day(n) - timedelta(hours=1))


def test_an_address_refused_for_good_is_stopped_after_three_digests(smtp, park):
    PlotFactory(park=park)
    gone, reader = alert(park, GONE), alert(park, READER)
    smtp.unknown.add(GONE)  # 550 5.1.1 at RCPT

    outcomes = alerts_digest_send(now=day(0))
    # The other subscriber's digest goes on the same connection.
    assert outcomes == {"sent": 1, "failed": 0, "refused": 1, "stopped": 0}
    assert len(smtp.to(READER)) == 1
    gone.refresh_from_db()
    assert (gone.refusals, gone.stopped_at) == (1, None)
    assert gone.last_refusal == "SMTPRecipientsRefused 550 5.1.1"
    # Run again the same day (by hand, a task delivered again): not tried
    # again, so the count is one a day.
    assert alerts_digest_send(now=day(0))["refused"] == 0

    assert alerts_digest_send(now=day(1))["refused"] == 1
    assert alerts_digest_send(now=day(2)) == {
        "sent": 0,
        "failed": 0,
        "refused": 1,
        "stopped": 1,
    }
    gone.refresh_from_db()
    assert gone.refusals == 3 and gone.stopped_at is not None
    assert gone.last_refusal == "SMTPRecipientsRefused 550 5.1.1"

    # Never written to again, even once the server would take it.
    smtp.unknown.clear()
    plot_changed(park, 3)
    outcomes = alerts_digest_send(now=day(3))
    assert outcomes["sent"] == 1 and not smtp.to(GONE)
    assert len(smtp.to(READER)) == 2
    reader.refresh_from_db()
    assert reader.refusals == 0 and reader.stopped_at is None


def test_a_digest_that_goes_starts_the_count_again(smtp, park):
    gone = alert(park, GONE)
    for n in range(5):
        plot_changed(park, n)
        if n == 2:
            smtp.unknown.clear()
        else:
            smtp.unknown.add(GONE)
        alerts_digest_send(now=day(n))
    gone.refresh_from_db()
    # Refused, refused, sent, refused, refused: never three in a row.
    assert gone.refusals == 2 and gone.stopped_at is None
    assert len(smtp.to(GONE)) == 1


def test_a_mailbox_refused_for_good_at_data_counts_too(smtp, park, settings):
    settings.ALERTS_REFUSALS_BEFORE_STOP = 1
    PlotFactory(park=park)
    gone = alert(park, GONE)
    smtp.refuse = "550 5.2.1 Mailbox disabled"  # at DATA
    assert alerts_digest_send(now=day(0))["stopped"] == 1
    gone.refresh_from_db()
    assert gone.stopped_at is not None
    assert gone.last_refusal == "SMTPDataError 550 5.2.1"


@pytest.mark.parametrize(
    "refusal",
    [
        ("data", "554 5.7.1 Message refused as spam"),
        ("data", "552 5.3.4 Message too big"),
        ("data", "554 Transaction failed"),
        ("rcpt", "554 5.7.1 Relaying denied"),
        ("rcpt", "554 Transaction failed"),
    ],
)
def test_a_refusal_of_the_message_or_the_relay_stops_no_alert(
    smtp, park, settings, refusal
):
    """Said the same to every address (the relay, the message's content):
    counting it would stop every alert within days."""
    settings.ALERTS_REFUSALS_BEFORE_STOP = 1
    stage, reply = refusal
    if stage == "data":
        smtp.refuse = reply
    else:

        async def handle_RCPT(server, session, envelope, address, rcpt_options):
            return reply

        smtp.handle_RCPT = handle_RCPT
    PlotFactory(park=park)
    kept = alert(park, GONE)
    for n in range(3):
        assert alerts_digest_send(now=day(n))["failed"] == 1
    kept.refresh_from_db()
    assert kept.refusals == 0 and kept.stopped_at is None


@pytest.mark.parametrize(
    "refused",
    [
        "rcpt",  # 451 at RCPT
        "data",  # 451 at DATA
    ],
)
def test_a_refusal_for_a_while_is_tried_again_and_stops_nothing(
    smtp, park, settings, refused
):
    settings.ALERTS_REFUSALS_BEFORE_STOP = 1
    PlotFactory(park=park)
    later = alert(park, GONE)
    if refused == "rcpt":
        smtp.later.add(GONE)
    else:
        smtp.refuse = "451 4.3.0 Try again later"
    for n in range(3):
        assert alerts_digest_send(now=day(n))["failed"] == 1
    later.refresh_from_db()
    assert later.refusals == 0 and later.stopped_at is None

    # The day is not taken: the next run, today still, sends it.
    smtp.later.clear()
    smtp.refuse = None
    assert alerts_digest_send(now=day(2))["sent"] == 1
    assert len(smtp.to(GONE)) == 1


def test_the_mail_server_down_stops_nothing(smtp_down, park, settings):
    settings.ALERTS_REFUSALS_BEFORE_STOP = 1
    PlotFactory(park=park)
    down = alert(park, GONE)
    with pytest.raises(ConnectionRefusedError):
        alerts_digest_send(now=day(0))
    down.refresh_from_db()
    assert down.refusals == 0 and down.stopped_at is None


def test_the_portal_s_own_address_refused_stops_nothing(smtp, park, settings):
    """A 5xx to MAIL FROM refuses the portal's sender, whoever it writes to:
    every alert would be stopped for it."""
    settings.ALERTS_REFUSALS_BEFORE_STOP = 1

    async def handle_MAIL(server, session, envelope, address, mail_options):
        return "550 5.7.1 Sender not allowed"

    smtp.handle_MAIL = handle_MAIL
    PlotFactory(park=park)
    alert(park, GONE)
    assert alerts_digest_send(now=day(0))["failed"] == 1
    assert not Subscription.objects.filter(stopped_at__isnull=False).exists()


def test_the_command_says_what_was_refused(smtp, park):
    PlotFactory(park=park)
    alert(park, GONE)
    smtp.unknown.add(GONE)
    out = StringIO()
    call_command("alerts_digest", stdout=out)
    assert out.getvalue().strip() == (
        "0 sent, 0 failed, 1 refused for good (0 alert(s) stopped)"
    )


def test_saving_a_stopped_search_again_asks_to_confirm_the_address(
    client, smtp, park, django_capture_on_commit_callbacks
):
    stopped = alert(park, GONE, refusals=3, last_refusal="x", stopped_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alerts:subscribe"),
            {"email": GONE, "search": f"park={park.slug}"},
        )
    assert response.status_code == 200
    [confirmation] = smtp.to(GONE)
    assert "/alertes/confirmer/" in confirmation.get_body().get_content()
    stopped.refresh_from_db()
    assert stopped.stopped_at is None and stopped.confirmed_at is None
    assert (stopped.refusals, stopped.last_refusal) == (0, "")


def test_a_stopped_alert_is_purged_as_the_privacy_notice_says(settings):
    """3 years after it was last saved, as any alert: the notice says so."""
    settings.ALERTS_RETENTION_YEARS = 3
    now = timezone.now()
    saved = now - timedelta(days=365 * 3 - 1)
    kept = Subscription.objects.create(
        email="a@x.nl",
        language="fr",
        renewed_at=saved,
        confirmed_at=saved,
        stopped_at=now - timedelta(days=400),
    )
    Subscription.objects.create(
        email="b@x.nl",
        language="fr",
        renewed_at=saved - timedelta(days=2),
        confirmed_at=saved,
        stopped_at=now - timedelta(days=1),
    )
    assert alerts_purge(now=now) == 1
    assert list(Subscription.objects.all()) == [kept]


@pytest.mark.parametrize(
    "language, says",
    [
        ("fr", "pour 4 courriels d’affilée"),
        ("en", "for 4 emails in a row"),
        ("nl", "voor 4 e-mails op rij"),
    ],
)
def test_the_privacy_notice_says_when_an_alert_is_stopped(
    client, settings, language, says
):
    settings.ALERTS_REFUSALS_BEFORE_STOP = 4
    with translation.override(language):
        notice = client.get(reverse("leads:privacy")).content.decode()
    assert says in notice.replace("&#x27;", "'")


def test_the_pma_sees_the_stopped_alerts_and_changes_nothing(client, park):
    stopped = alert(
        park,
        GONE,
        refusals=3,
        last_refusal="SMTPRecipientsRefused 550 5.1.1",
        stopped_at=timezone.now(),
    )
    alert(park, READER)
    client.force_login(staff_user("pma"))

    page = client.get(CHANGELIST, {"stopped": "yes"})
    assert page.status_code == 200
    text = page.content.decode()
    assert GONE in text and READER not in text
    assert "SMTPRecipientsRefused 550 5.1.1" in text
    assert READER in client.get(CHANGELIST, {"stopped": "no"}).content.decode()

    change = reverse("admin:alerts_subscription_change", args=[stopped.pk])
    assert client.get(change).status_code == 200  # read-only
    assert client.post(change, {"email": "x@y.fr"}).status_code == 403
    add = reverse("admin:alerts_subscription_add")
    assert client.get(add).status_code == 403
    delete = reverse("admin:alerts_subscription_delete", args=[stopped.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Subscription.objects.get(pk=stopped.pk).email == GONE


@pytest.mark.parametrize("slug", ["call", "cabbalr"])
def test_an_agglomeration_s_staff_do_not_see_the_alerts(client, park, slug):
    stopped = alert(park, GONE, stopped_at=timezone.now())
    client.force_login(staff_user(slug))
    assert client.get(CHANGELIST).status_code == 403
    change = reverse("admin:alerts_subscription_change", args=[stopped.pk])
    assert client.get(change).status_code == 403
    assert CHANGELIST not in client.get(reverse("admin:index")).content.decode()
