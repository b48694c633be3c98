"""A search alert in a real browser: saved from the search page, confirmed
from the email (a real SMTP server on loopback), one digest once a matching
plot is published, and its unsubscribe link works."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from alerts.models import Subscription
from alerts.services import alerts_digest_send
from tests.factories import BusinessParkFactory, PlotFactory
from tests.leads.conftest import smtp  # noqa: F401 (the loopback SMTP server fixture)

from .test_contact import arrived
from .test_journey import fr

INVESTOR = "jan@vries-logistics.nl"


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, site, kind):
    return re.search(rf"{re.escape(site)}/fr/alertes/{kind}/\S+/", body(message))[0]


def test_subscribe_confirm_receive_one_digest_and_unsubscribe(
    browse,
    smtp,  # noqa: F811
    settings,
    site,
):
    settings.SITE_URL = site.url  # the emails' links lead to this server
    park = BusinessParkFactory(name="Parc des Alertes", slug="parc-des-alertes")
    plot = PlotFactory(park=park, name="Terrain du Canal", is_published=False)

    visit = browse()
    page = visit.page
    visit.goto(f"{reverse('sites:search')}?park={park.slug}")
    # The map's tiles first: under load, the link's page could otherwise wait
    # behind them for the browser's few connections to the server.
    visit.answered()
    page.get_by_role(
        "link",
        name=fr(
            "Be told by email when a plot matching this search comes on the market"
        ),
    ).click()
    expect(page.locator("h1")).to_have_text(
        fr("Be told when a matching plot comes on the market")
    )
    expect(page.locator(".alert-filters")).to_contain_text("Parc des Alertes")
    page.get_by_label(fr("Your email address")).fill(INVESTOR)
    page.get_by_role("button", name=fr("Create the alert")).click()
    expect(page.locator("h1")).to_have_text(fr("Check your email"))

    [confirmation] = arrived(smtp, INVESTOR)
    visit.goto(link(confirmation, site.url, "confirmer").removeprefix(site.url))
    page.get_by_role("button", name=fr("Confirm the alert")).click()
    expect(page.locator("h1")).to_have_text(fr("Your alert is confirmed"))
    assert Subscription.objects.get().confirmed_at is not None

    plot.is_published = True
    plot.save()
    alerts_digest_send()
    alerts_digest_send()  # the beat may run twice: still one email
    [_confirmation, digest] = smtp.to(INVESTOR)
    assert "Terrain du Canal" in body(digest)

    unsubscribe = link(digest, site.url, "desabonner")
    assert digest["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    visit.goto(unsubscribe.removeprefix(site.url))
    page.get_by_role("button", name=fr("Unsubscribe")).click()
    expect(page.locator("h1")).to_have_text(fr("You are unsubscribed"))
    assert not Subscription.objects.exists()
    assert not visit.errors
