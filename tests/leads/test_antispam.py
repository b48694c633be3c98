"""Robots are flagged, never silently dropped: only a filled honeypot holds a
lead; a quick or frequent sender's lead reaches the developers, flagged; an old
or unreadable form comes back to be confirmed."""

import re
import time

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from leads import antispam
from leads.antispam import SALT
from leads.models import Lead

pytestmark = pytest.mark.django_db

DEVELOPER = "dev@agglo-lenslievin.fr"
INVESTOR = "jan@vries-logistics.nl"
THANKS = reverse("leads:thanks")


@pytest.fixture
def url(plot):
    return reverse("leads:plot", args=[plot.slug])


def codes():
    return list(Lead.objects.order_by("pk").values_list("spam_reason", flat=True))


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, plot):
    html = client.get(plot.get_absolute_url()).content.decode()
    start = html.index('aria-hidden="true" class="honeypot"')
    honeypot = html[start : html.index("</div>", start)]
    assert 'name="website"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    # Off screen by the stylesheet (no inline style: the CSP may forbid them).
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert ".honeypot { position: absolute; left: -10000px;" in css


def test_a_filled_honeypot_is_held_kept_and_nothing_is_sent(
    smtp, contacts, url, submit, client
):
    response = submit(url, website="http://spam.example")

    assert response.status_code == 302
    assert response.url == f"{THANKS}?ack=0"
    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.spam_reason) == ("held", "honeypot")
    assert smtp.messages == []
    # The page promises neither a delivery nor an acknowledgement.
    page = client.get(response.url).content.decode()
    assert "Aucun accusé de réception ne sera envoyé" in page
    assert "en route" not in page


def test_a_filled_honeypot_is_held_even_with_a_bad_token(contacts, url, submit):
    response = submit(url, website="x", issued="")

    assert response.status_code == 302
    assert Lead.objects.get().delivery_status == "held"


def test_a_form_sent_too_fast_is_delivered_flagged_without_acknowledgement(
    smtp, contacts, url, submit
):
    response = submit(url, age=1)

    assert response.url == f"{THANKS}?ack=0"
    lead = Lead.objects.get()
    assert (lead.delivery_status, lead.spam_reason) == ("sent", "fast")
    [(subject, body)] = smtp.text(DEVELOPER)
    assert subject.startswith("[À vérifier]")
    assert "envoyé quelques secondes après l’ouverture du formulaire" in subject
    assert "À vérifier\xa0: envoyé quelques secondes" in body
    assert "il n’a pas reçu d’accusé de réception" in body
    assert smtp.to(INVESTOR) == []


def test_a_form_three_hours_old_is_an_ordinary_lead(smtp, contacts, url, submit):
    response = submit(url, age=3 * 3600)

    assert response.url == THANKS
    assert codes() == [""]
    assert len(smtp.to(DEVELOPER)) == len(smtp.to(INVESTOR)) == 1


def confirm_page(response):
    """The form sent back, and the data its button would post."""
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="form-confirm" role="alert"' in html
    assert "Confirmer et envoyer ma demande" in html
    fields = dict(re.findall(r'<input type="[^"]+" name="(\w+)" value="([^"]*)"', html))
    return html, fields


@pytest.mark.parametrize(
    ("max_age", "age"), [(24 * 3600, 25 * 3600), (2 * 3600, 3 * 3600)]
)
def test_a_form_older_than_the_limit_is_confirmed_then_delivered_once(
    smtp, contacts, url, submit, client, settings, max_age, age
):
    settings.LEADS_FORM_MAX_AGE = max_age

    html, fields = confirm_page(submit(url, age=age))

    assert not Lead.objects.exists()
    hours = max_age // 3600
    assert f"Ce formulaire a été ouvert il y a plus de {hours} heures." in html
    # Every answer kept.
    assert "We look for 5 ha near the A1 for a cross-dock platform." in html
    assert fields["company"] == "Vries Logistics BV"
    assert fields["email"] == INVESTOR
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked', html)
    issued = antispam.form_issued(fields["issued"])
    assert issued.confirming and 0 <= issued.age < 60

    time.sleep(settings.LEADS_CONFIRM_MIN_SECONDS)
    response = submit(url, issued=fields["issued"])

    assert response.url == THANKS
    assert codes() == [""]
    assert len(smtp.to(DEVELOPER)) == 1
    assert len(smtp.to(INVESTOR)) == 1


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        signing.dumps(time.time() - 60, salt="another.salt"),
        signing.dumps({"at": "yesterday"}, salt=SALT),
    ],
    ids=["missing", "garbage", "forged", "unreadable"],
)
def test_a_missing_or_forged_time_token_asks_for_confirmation(
    smtp, contacts, url, submit, token
):
    html, fields = confirm_page(submit(url, issued=token))

    assert "Nous n’avons pas pu savoir quand ce formulaire a été ouvert." in html
    assert not Lead.objects.exists()
    assert smtp.messages == []

    submit(url, issued=fields["issued"])
    assert Lead.objects.get().delivery_status == "sent"


def test_a_confirmation_sent_at_once_is_flagged(smtp, contacts, url, submit):
    _html, fields = confirm_page(submit(url, issued=""))

    submit(url, issued=fields["issued"])

    assert codes() == ["fast"]
    assert len(smtp.to(DEVELOPER)) == 1


def test_a_token_signed_before_confirmations_existed_is_still_read(
    contacts, url, submit
):
    submit(url, issued=signing.dumps(time.time() - 60, salt=SALT))

    assert codes() == [""]


def test_the_time_token_cannot_be_backdated_without_the_key(plot, client):
    html = client.get(plot.get_absolute_url()).content.decode()
    token = html.split('name="issued" value="')[1].split('"')[0]
    assert signing.loads(token, salt=SALT)["at"] == pytest.approx(time.time(), abs=60)
    assert not antispam.form_issued(token).confirming


def test_six_leads_from_one_investor_in_an_hour_all_reach_the_developers(
    smtp, contacts, url, submit
):
    for _ in range(6):
        assert submit(url).url == THANKS

    assert codes() == [""] * 6
    assert len(smtp.to(DEVELOPER)) == 6
    assert len(smtp.to(INVESTOR)) == 6


def test_beyond_the_address_limit_leads_are_delivered_flagged(
    smtp, contacts, url, submit, settings
):
    settings.LEADS_EMAIL_PER_HOUR = 3
    # From changing client addresses, and tagged addresses: one sender.
    for n in range(6):
        response = submit(
            url, REMOTE_ADDR=f"192.0.2.{n}", email=f"jan+{n}@vries-logistics.nl"
        )

    assert response.url == f"{THANKS}?ack=0"
    assert codes() == [""] * 3 + ["rate-email"] * 3
    mails = smtp.text(DEVELOPER)
    assert len(mails) == 6
    label = "de nombreuses demandes de cette adresse électronique en une heure"
    for subject, body in mails[:3]:
        assert "vérifier" not in subject and label not in body
    for subject, body in mails[3:]:
        assert subject.startswith("[À vérifier]") and label in subject
        assert f"À vérifier\xa0: {label}." in body
    acknowledged = {r for e, _m in smtp.messages for r in e.rcpt_tos} - {DEVELOPER}
    assert acknowledged == {f"jan+{n}@vries-logistics.nl" for n in range(3)}


def test_beyond_the_ip_limit_leads_are_delivered_flagged(
    smtp, contacts, url, submit, settings
):
    settings.LEADS_IP_PER_HOUR = 2
    for n in range(3):
        submit(url, email=f"investor{n}@example.com")
    submit(url, email="other@example.com", REMOTE_ADDR="192.0.2.7")

    assert codes() == ["", "", "rate-ip", ""]
    assert len(smtp.to(DEVELOPER)) == 4


def test_an_ipv6_client_is_counted_by_its_64_block(contacts, url, submit, settings):
    settings.LEADS_IP_PER_HOUR = 1
    submit(url, email="a@example.com", REMOTE_ADDR="2001:db8:1:2::1")
    submit(url, email="b@example.com", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    submit(url, email="c@example.com", REMOTE_ADDR="2001:db8:1:3::1")

    assert codes() == ["", "rate-ip", ""]


def test_with_the_cache_down_leads_are_delivered_flagged_unchecked(
    smtp, contacts, url, submit, settings, caplog
):
    settings.LEADS_EMAIL_PER_HOUR = settings.LEADS_IP_PER_HOUR = 1
    settings.CACHES = {
        "default": {
            "BACKEND": "investinartois.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    for _ in range(2):
        assert submit(url).status_code == 302

    assert codes() == ["unchecked"] * 2
    [(subject, body), _second] = smtp.text(DEVELOPER)
    assert "le nombre de demandes n’a pas pu être vérifié" in subject
    # Not a sign of a robot: the investor is acknowledged.
    assert len(smtp.to(INVESTOR)) == 2
    assert "rate limit unchecked (leads:email): ConnectionError" in caplog.text


@pytest.mark.parametrize(
    "address", ["203.0.113.9, 198.51.100.1", "", "unknown", "::ffff:garbage"]
)
def test_an_unreadable_client_address_is_reported_not_a_500(
    smtp, contacts, url, submit, caplog, address
):
    response = submit(url, REMOTE_ADDR=address)

    assert response.status_code == 302
    assert codes() == ["unchecked"]
    assert "client address unreadable" in caplog.text
    assert "203.0.113.9" not in caplog.text


def test_a_failing_client_address_function_is_reported_not_a_500(
    smtp, contacts, url, submit, monkeypatch
):
    def misconfigured(request):
        raise LookupError("no trusted proxy header")

    monkeypatch.setattr(antispam, "client_network", misconfigured)

    assert submit(url).status_code == 302
    assert codes() == ["unchecked"]
    assert len(smtp.to(DEVELOPER)) == 1


def test_a_comma_separated_forwarded_header_does_not_raise(smtp, contacts, url, submit):
    response = submit(url, HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")

    assert response.status_code == 302
    assert Lead.objects.get().delivery_status == "sent"
