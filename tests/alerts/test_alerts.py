"""Search alerts: a search saved with an address, confirmed from the email,
then at most one digest a day of the plots that came on the market, each
with a one-click unsubscribe (a real SMTP server on loopback)."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alerts.models import Subscription
from alerts.services import alerts_digest_send, alerts_purge
from sites.models import BusinessPark, Plot
from tests.factories import BusinessParkFactory, PlotFactory
from tests.sites.test_shown_surface import meeting, plots_of_each_surface, shown

pytestmark = pytest.mark.django_db

SITE = "https://www.investinartois.fr"
INVESTOR = "jan@vries-logistics.nl"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def park(db):
    return BusinessParkFactory(name="Parc des Alertes", slug="parc-des-alertes")


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, kind):
    """The site-relative path of the email's confirm or unsubscribe link."""
    url = re.search(rf"{SITE}(/\w+/alertes/{kind}/\S+/)", body(message))
    return url.group(1)


def subscribe(client, capture, query, email=INVESTOR, language="fr"):
    with translation.override(language):
        url = reverse("alerts:subscribe")
    with capture(execute=True):
        return client.post(url, {"email": email, "search": query})


def test_subscribe_confirm_digest_once_and_unsubscribe(
    client, smtp, park, django_capture_on_commit_callbacks
):
    waiting = PlotFactory(park=park, name="Terrain du Canal", is_published=False)
    elsewhere = PlotFactory(name="Terrain Ailleurs", is_published=False)
    search = client.get(reverse("sites:search"), {"park": park.slug})
    alert_url = reverse("alerts:subscribe") + f"?park={park.slug}"
    assert alert_url in search.content.decode()

    page = client.get(alert_url)
    assert page.status_code == 200 and "Parc des Alertes" in page.content.decode()
    sent = subscribe(client, django_capture_on_commit_callbacks, f"park={park.slug}")
    assert sent.status_code == 200
    [confirmation] = smtp.to(INVESTOR)
    assert "List-Unsubscribe" not in confirmation
    assert str(confirmation["Subject"]).strip().startswith("Invest in Artois\xa0: ")
    assert confirmation["Message-ID"].endswith("@www.investinartois.fr>")
    assert not alerts_digest_send()["sent"]  # not confirmed yet

    confirm = link(confirmation, "confirmer")
    assert client.get(confirm).status_code == 200  # a button: scanners confirm nothing
    assert Subscription.objects.get().confirmed_at is None
    assert client.post(confirm).status_code == 200
    confirmed_at = Subscription.objects.get().confirmed_at
    assert confirmed_at is not None
    # Replayed: harmless.
    assert client.post(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at == confirmed_at

    for plot in (waiting, elsewhere):
        plot.is_published = True
        plot.save()
    nothing = {"sent": 0, "failed": 0, "refused": 0, "stopped": 0}
    assert alerts_digest_send() == nothing | {"sent": 1}
    assert alerts_digest_send() == nothing
    waiting.save()  # changed again, but announced already
    assert alerts_digest_send(now=timezone.now() + timedelta(days=1))["sent"] == 0

    [_confirmation, digest] = smtp.to(INVESTOR)
    text = body(digest)
    assert "Terrain du Canal" in text and "Terrain Ailleurs" not in text
    assert f"{SITE}{waiting.get_absolute_url()}" in text
    unsubscribe = link(digest, "desabonner")
    assert digest["List-Unsubscribe"].strip() == f"<{SITE}{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail client posts, with no session and no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    one_click = {"List-Unsubscribe": "One-Click"}
    assert mail_client.post(unsubscribe, one_click).status_code == 200
    assert not Subscription.objects.exists()
    assert mail_client.post(unsubscribe, one_click).status_code == 200  # replayed
    assert mail_client.post(unsubscribe + "x/", one_click).status_code == 404
    assert mail_client.post(unsubscribe[:-2] + "/", one_click).status_code == 400


def test_a_search_saved_twice_is_one_subscription(
    client, smtp, park, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribe(client, capture, f"park={park.slug}")
    subscribe(client, capture, f"sort=surface&page=2&surface_min=&park={park.slug}")
    subscribe(client, capture, f"park={park.slug}", email=" JAN@Vries-Logistics.nl")
    assert Subscription.objects.count() == 1
    subscription = Subscription.objects.get()
    assert subscription.query == f"park={park.slug}"
    # Unconfirmed: each request sends the confirmation again.
    assert len(smtp.to(INVESTOR)) == 3
    subscribe(client, capture, f"park={park.slug}&rail=on")
    assert Subscription.objects.count() == 2


def test_the_subscriber_language(
    client, smtp, park, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, "", language="nl")
    [confirmation] = smtp.to(INVESTOR)
    assert Subscription.objects.get().language == "nl"
    assert "/nl/alertes/confirmer/" in body(confirmation)
    assert "zoekmelding" in str(confirmation["Subject"])
    # Formal address, as the portal's other Dutch messages.
    assert body(confirmation).startswith("Geachte heer, mevrouw,")
    assert client.post(link(confirmation, "confirmer")).status_code == 200
    PlotFactory(park=park, name="Terrain Nouveau")
    alerts_digest_send()
    digest = smtp.to(INVESTOR)[-1]
    assert "/nl/alertes/desabonner/" in digest["List-Unsubscribe"]
    assert "Terrain Nouveau" in body(digest)
    assert "sinds onze laatste e-mail op de markt gekomen" in body(digest)
    assert "nieuw" in str(digest["Subject"])


# 250 characters, but 490 once lower-cased as it is saved (İ becomes two).
LONGER_IN_LOWER_CASE = "jan@" + ".".join(["İ" * 60] * 4) + ".nl"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "not-an-address",
        "jan@",
        "a" * 250 + "@x.nl",
        "jan@x.nl\nBcc: y@z",
        LONGER_IN_LOWER_CASE,
    ],
)
def test_bad_addresses_are_form_errors(client, smtp, email):
    response = client.post(reverse("alerts:subscribe"), {"email": email})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Subscription.objects.exists() and not smtp.messages


def test_the_page_says_every_filter_of_the_search_a_bound_of_0_too(client, db):
    # "At the interchange" and "free land" are filters: the page said "All
    # the plots on offer" for them, which the alert would not send.
    query = "motorway_max_km=0&price_max=0&rail=on"
    page = client.get(f"{reverse('alerts:subscribe')}?{query}").content.decode()
    filters = re.search(r'<ul class="alert-filters">(.*?)</ul>', page, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", filters)
    assert items == [
        "Embranchement ferroviaire (ITE)",
        "Échangeur autoroutier à moins de (km): 0",
        "Prix jusqu’à (€ HT le m²): 0",
    ]
    assert "Tous les terrains proposés" not in filters


@pytest.mark.parametrize(
    "query",
    ["surface_min=abc", "park=unknown", "rail=on&rail=on", "park=" + "x" * 3000],
)
def test_a_search_that_is_not_valid_is_not_saved(client, query):
    response = client.post(
        reverse("alerts:subscribe"), {"email": INVESTOR, "search": query}
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert client.get(f"{reverse('alerts:subscribe')}?{query}").status_code == 400


def test_an_address_holds_at_most_so_many_alerts(
    client, settings, smtp, django_capture_on_commit_callbacks
):
    settings.ALERTS_PER_ADDRESS = 3
    capture = django_capture_on_commit_callbacks
    for minimum in range(1, 5):
        response = subscribe(client, capture, f"surface_min={minimum}")
    assert response.status_code == 400
    assert "désabonnez-vous d’abord" in response.content.decode()
    assert Subscription.objects.count() == 3
    assert len(smtp.to(INVESTOR)) == 3


def test_one_client_asks_for_so_many_alerts_an_hour(
    client, settings, smtp, django_capture_on_commit_callbacks
):
    settings.ALERTS_CLIENT_PER_HOUR = 2
    capture = django_capture_on_commit_callbacks
    codes = [
        subscribe(client, capture, "", email=f"robot{n}@example.com").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 400]
    assert Subscription.objects.count() == 2


def test_an_ipv6_client_asks_for_so_many_alerts_an_hour_from_its_whole_64(
    client, settings, smtp, django_capture_on_commit_callbacks
):
    settings.ALERTS_CLIENT_PER_HOUR = 2
    url = reverse("alerts:subscribe")
    codes = []
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            data = {"email": f"robot{n}@example.com", "search": ""}
            address = f"2001:db8:1:2:{n + 1:x}::9"  # a new address each time
            codes.append(client.post(url, data, REMOTE_ADDR=address).status_code)
    assert codes == [200, 200, 400]
    assert Subscription.objects.count() == 2


def confirm_token_of(subscription, days_ago=0):
    signed_at = timezone.now().timestamp() - days_ago * 86400
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        return signing.TimestampSigner(salt="alerts.confirm").sign(
            str(subscription.key)
        )


def test_an_expired_or_altered_confirmation_link_confirms_nothing(client):
    subscription = Subscription.objects.create(email=INVESTOR, language="fr")
    for token in (confirm_token_of(subscription, days_ago=8), "abc", "x:y:z"):
        response = client.post(reverse("alerts:confirm", args=[token]))
        assert response.status_code == 400
    token = confirm_token_of(subscription, days_ago=6)
    assert client.post(reverse("alerts:confirm", args=[token])).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_purge_unconfirmed_and_not_renewed(settings):
    now = timezone.now()
    old = now - timedelta(days=8)
    stale = now - timedelta(days=365 * 3 + 1)
    kept = [
        Subscription.objects.create(email="a@x.nl", language="fr"),
        Subscription.objects.create(
            email="b@x.nl",
            language="fr",
            created_at=stale,
            confirmed_at=stale,
            renewed_at=now - timedelta(days=30),
        ),
    ]
    Subscription.objects.create(
        email="c@x.nl", language="fr", created_at=old, renewed_at=old
    )
    Subscription.objects.create(
        email="d@x.nl",
        language="fr",
        created_at=stale,
        renewed_at=stale,
        confirmed_at=stale,
    )
    assert alerts_purge(now=now) == 2
    assert set(Subscription.objects.all()) == set(kept)


def test_a_search_saved_again_keeps_its_new_confirmation_link_valid(
    client, smtp, django_capture_on_commit_callbacks
):
    # Saved six days ago, its link never followed (lost, or the mail server
    # was down): saved again today, as the pages say to, with a new link.
    Subscription.objects.create(
        email=INVESTOR,
        query="rail=on",
        language="fr",
        created_at=timezone.now() - timedelta(days=6),
        renewed_at=timezone.now() - timedelta(days=6),
    )
    subscribe(client, django_capture_on_commit_callbacks, "rail=on")
    [confirmation] = smtp.to(INVESTOR)

    # The night's purge, two days on: that link is still within its 7 days.
    assert alerts_purge(now=timezone.now() + timedelta(days=2)) == 0

    response = client.post(link(confirmation, "confirmer"))
    assert response.status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_the_leads_export_and_erase_command_covers_alerts():
    Subscription.objects.create(email=INVESTOR, language="nl", query="rail=on")
    Subscription.objects.create(email="other@x.nl", language="fr")
    out, err = StringIO(), StringIO()
    call_command(
        "leads_export_person",
        " JAN@vries-logistics.nl",
        "--erase",
        stdout=out,
        stderr=err,
    )
    [exported] = json.loads(out.getvalue())
    assert exported["model"] == "alerts.subscription"
    assert exported["fields"]["query"] == "rail=on"
    assert "1 alert(s) erased" in err.getvalue()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["other@x.nl"]


def test_an_address_gets_so_many_confirmations_an_hour(
    client, settings, smtp, django_capture_on_commit_callbacks
):
    settings.ALERTS_CONFIRMATIONS_PER_HOUR = 2
    for _ in range(4):
        response = subscribe(client, django_capture_on_commit_callbacks, "rail=on")
        assert response.status_code == 200  # the same page: nothing to learn
    assert len(smtp.to(INVESTOR)) == 2
    assert Subscription.objects.count() == 1


def test_beat_sends_the_digests_and_purges():
    from django.conf import settings

    from investinartois.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"alerts.tasks.alerts_digest_task", "alerts.tasks.alerts_purge_task"} <= (
        tasks
    )
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)


def test_mail_server_down_is_not_an_error_page(
    client, smtp_down, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks, "rail=on")
    assert response.status_code == 200
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.parametrize(
    "language, says",
    [
        ("fr", ["dans les 9 jours", "2 ans après"]),
        ("en", ["within 9 days", "2 years after"]),
        ("nl", ["binnen 9 dagen", "2 jaar nadat"]),
    ],
)
def test_the_privacy_notice_says_what_an_alert_keeps_and_when_it_is_deleted(
    client, settings, language, says
):
    # As the purge applies them (RGPD article 13: the period of storage).
    settings.ALERTS_CONFIRM_DAYS = 9
    settings.ALERTS_RETENTION_YEARS = 2
    with translation.override(language):
        subscribe = client.get(reverse("alerts:subscribe")).content.decode()
        notice_url = reverse("leads:privacy")
    assert f'href="{notice_url}#alerts"' in subscribe
    notice = client.get(notice_url).content.decode()
    assert 'id="alerts"' in notice
    for words in says:
        assert words in notice


def test_the_plots_of_a_park_published_are_announced(smtp, park):
    # Published plots of a park not yet published: not on the market, and
    # their own rows do not change when the park is published.
    BusinessPark.objects.filter(pk=park.pk).update(is_published=False)
    plot = PlotFactory(park=park, name="Terrain du Parc Ouvert")
    long_ago = timezone.now() - timedelta(days=30)
    Plot.objects.filter(pk=plot.pk).update(updated_at=long_ago)
    Subscription.objects.create(
        email=INVESTOR,
        query=f"park={park.slug}",
        language="fr",
        confirmed_at=long_ago,
        checked_at=timezone.now() - timedelta(days=1),
    )
    assert alerts_digest_send()["sent"] == 0

    park = BusinessPark.objects.get(pk=park.pk)
    park.is_published = True
    park.save()  # as the admin's form does
    park.save()  # saved again: nothing new

    assert alerts_digest_send(now=timezone.now() + timedelta(days=1))["sent"] == 1
    [digest] = smtp.to(INVESTOR)
    assert "Terrain du Parc Ouvert" in body(digest)


@pytest.mark.parametrize("params", [{"surface_min": "2.5"}, {"surface_max": "2.5"}])
def test_an_alert_announces_the_plots_whose_surface_shown_meets_it(
    client, smtp, params
):
    """A plot of 2.4951 ha, shown 2.50 ha, is announced to "at least 2.5 ha"
    and to "at most 2.5 ha" (tests/sites/test_shown_surface.py)."""
    plots_of_each_surface()
    expected = meeting(shown(client), params)
    assert "Terrain 2.4951" in expected
    Subscription.objects.create(
        email=INVESTOR,
        query="&".join(f"{name}={value}" for name, value in params.items()),
        language="fr",
        confirmed_at=timezone.now() - timedelta(days=2),
        checked_at=timezone.now() - timedelta(days=1),
    )
    assert alerts_digest_send()["sent"] == 1
    [digest] = smtp.to(INVESTOR)
    assert set(re.findall(r"Terrain [\d.]+", body(digest))) == expected
    # Each with its surface as the pages show it: "2.4951 ha" contradicted
    # "at least 2.5 ha".
    assert re.search(r"Terrain 2\.4951 \(Lens, [^)]*\)\xa0: 2,50 ha\s", body(digest))
    assert "2,4951" not in body(digest)


@pytest.mark.parametrize(
    "language, written",
    [("fr", "1\xa0234,57 ha"), ("en", "1,234.57 ha"), ("nl", "1.234,57 ha")],
)
def test_the_digest_writes_surfaces_as_the_search_lists_them(
    smtp, park, language, written
):
    PlotFactory(park=park, cadastral_surface_ha=Decimal("1234.5678"))
    Subscription.objects.create(
        email=INVESTOR,
        query=f"park={park.slug}",
        language=language,
        confirmed_at=timezone.now() - timedelta(days=2),
        checked_at=timezone.now() - timedelta(days=1),
    )

    assert alerts_digest_send()["sent"] == 1

    [digest] = smtp.to(INVESTOR)
    assert written in body(digest)


def test_a_plot_committed_after_the_last_run_is_announced_the_next_day(smtp, park):
    """Stamped when saved, seen when its transaction commits: a plot saved
    just before a run and committed after it was not there for that run."""
    last_run = timezone.now() - timedelta(days=1)
    Subscription.objects.create(
        email=INVESTOR,
        query=f"park={park.slug}",
        language="fr",
        confirmed_at=last_run - timedelta(days=1),
        checked_at=last_run,
    )
    late = PlotFactory(park=park, name="Terrain vu en retard")
    Plot.objects.filter(pk=late.pk).update(updated_at=last_run - timedelta(minutes=5))

    assert alerts_digest_send()["sent"] == 1
    [digest] = smtp.to(INVESTOR)
    assert "Terrain vu en retard" in body(digest)
    # Announced once: the next run, looking back as far, leaves it out.
    assert alerts_digest_send(now=timezone.now() + timedelta(days=1))["sent"] == 0
