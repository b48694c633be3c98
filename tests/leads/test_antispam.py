"""Robots get the same success page; their leads are kept, flagged, unsent."""

import time

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from leads.antispam import SALT
from leads.models import Lead
from tests.leads.conftest import form_data

pytestmark = pytest.mark.django_db


def held(response):
    assert response.status_code == 302
    assert response.url == reverse("leads:thanks")
    lead = Lead.objects.get()
    assert lead.delivery_status == Lead.Delivery.HELD
    return lead.spam_reason


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


def test_a_filled_honeypot_is_held(smtp, contacts, plot, submit):
    response = submit(
        reverse("leads:plot", args=[plot.slug]), website="http://spam.example"
    )
    assert held(response) == "honeypot"
    assert smtp.messages == []


def test_a_form_sent_too_fast_is_held(smtp, contacts, plot, submit):
    assert held(submit(reverse("leads:plot", args=[plot.slug]), age=1)) == "too fast"
    assert smtp.messages == []


def test_a_form_too_old_is_held(smtp, contacts, plot, submit):
    response = submit(reverse("leads:plot", args=[plot.slug]), age=3 * 3600)
    assert held(response) == "form too old"


@pytest.mark.parametrize(
    "token",
    ["", "garbage", signing.dumps(time.time() - 60, salt="another.salt")],
    ids=["missing", "garbage", "forged"],
)
def test_a_missing_or_forged_time_token_is_held(contacts, plot, submit, token):
    response = submit(reverse("leads:plot", args=[plot.slug]), issued=token)
    assert held(response) == "bad token"


def test_the_time_token_cannot_be_backdated_without_the_key(plot, client):
    html = client.get(plot.get_absolute_url()).content.decode()
    assert 'name="issued"' in html
    assert signing.loads(
        html.split('name="issued" value="')[1].split('"')[0], salt=SALT
    ) == pytest.approx(time.time(), abs=60)


def test_over_the_rate_limit_leads_are_held(smtp, contacts, plot, submit, settings):
    settings.LEADS_RATE_LIMIT = "3/h"
    url = reverse("leads:plot", args=[plot.slug])
    for _ in range(4):
        assert submit(url).status_code == 302

    statuses = list(Lead.objects.order_by("pk").values_list("spam_reason", flat=True))
    assert statuses == ["", "", "", "rate limit"]
    assert len(smtp.to("dev@agglo-lenslievin.fr")) == 3


def test_the_rate_limit_is_per_ip(contacts, plot, client, settings, submit):
    settings.LEADS_RATE_LIMIT = "1/h"
    url = reverse("leads:plot", args=[plot.slug])
    submit(url)

    client.post(url, form_data(), REMOTE_ADDR="192.0.2.7")

    assert not Lead.objects.exclude(spam_reason="").exists()


def test_the_rate_limit_fails_open_when_the_cache_is_down(
    smtp, contacts, plot, submit, settings
):
    settings.LEADS_RATE_LIMIT = "1/h"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    url = reverse("leads:plot", args=[plot.slug])

    for _ in range(2):
        assert submit(url).status_code == 302

    assert not Lead.objects.exclude(spam_reason="").exists()
    assert len(smtp.to("dev@agglo-lenslievin.fr")) == 2
