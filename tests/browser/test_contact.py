"""The investor's journey goes on: the contact form of a plot page, in a real
browser, delivered by SMTP to a real server on loopback."""

import re
import time

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from investinartois.celery import app as celery_app
from leads import antispam
from leads.models import Lead
from sites.models import Contact, Plot
from tests.leads.conftest import smtp  # noqa: F401 (the loopback SMTP server fixture)

from .test_journey import fr

INVESTOR = "jan@vries-logistics.nl"
DAY_AND_HOUR = 25 * 3600


def label(verbose_name):
    """A form field's label as Django writes it, in French (then " :"; for a
    field one may leave empty, " (facultatif) :")."""
    name = capfirst(fr(verbose_name))
    optional = fr("{label} (optional)").format(label=name)
    return re.compile(rf"^(?:{re.escape(name)}|{re.escape(optional)})\W*$")


def arrived(mailbox, address, seconds=5):
    deadline = time.monotonic() + seconds
    while not mailbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.05)
    return mailbox.to(address)


@pytest.fixture
def eager_tasks():
    """Delivery runs in the request, after its commit, even when REDIS_URL is
    set: settings/test.py makes tasks eager, and this makes sure of it (Celery
    reads its configuration once: a settings override would not reach it)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


MESSAGE = "Nous cherchons 5 ha près de l'A1 pour une plateforme de cross-dock."


def fill_in(form):
    form.get_by_label(label("name")).fill("Jan de Vries")
    form.get_by_label(label("company")).fill("Vries Logistics BV")
    form.get_by_label(label("country")).fill("Pays-Bas")
    form.get_by_label(label("email")).fill(INVESTOR)
    form.get_by_label(label("phone")).fill("+31 20 123 4567")
    form.get_by_label(label("preferred language")).select_option("en")
    form.get_by_label(label("project type")).select_option("logistics")
    form.get_by_label(label("surface needed (m²)")).fill("50000")
    form.get_by_label(label("jobs planned")).fill("120")
    form.get_by_label(label("timeline")).select_option("6-12")
    form.get_by_label(label("message")).fill(MESSAGE)
    form.locator("input[name=consent]").check()


def call_plot():
    return (
        Plot.objects.published()
        .filter(park__organisation__slug="call")
        .select_related("park")
        .order_by("pk")
        .first()
    )


def call_developers():
    return list(
        Contact.objects.filter(
            organisation__slug="call", receives_leads=True
        ).values_list("email", flat=True)
    )


def test_investor_contacts_the_developer_of_a_plot(
    browse,
    smtp,  # noqa: F811
    eager_tasks,
    quick_sender,
):
    """Fill in and send the form of a CALL plot: the success page, one email to
    CALL's developers naming the plot, one acknowledgement to the investor."""
    plot = call_plot()
    developers = call_developers()
    others = set(
        Contact.objects.exclude(organisation__slug="call").values_list(
            "email", flat=True
        )
    )
    assert developers

    visit = browse()
    page = visit.page
    visit.goto(plot.get_absolute_url())
    # The page's call to action leads to its form (its wording is being edited).
    page.locator('.actions a[href="#contact"]').click()
    form = page.locator("#contact form.lead-form")
    expect(form).to_be_visible()

    fill_in(form)
    form.get_by_role("button", name=fr("Send my request")).click()

    expect(page).to_have_url(re.compile(r"/fr/contact/merci/$"))
    expect(page.locator("h1")).to_have_text(
        fr("Thank you: your request has been received")
    )

    lead = Lead.objects.get()
    assert lead.spam_reason == ""
    assert lead.plot_id == plot.pk
    assert lead.organisation.slug == "call"
    assert lead.recipients == developers

    for developer in developers:
        received = arrived(smtp, developer)
        assert len(received) == 1, f"{developer}: {len(received)} emails"
        message = received[0]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert plot.name in message["Subject"]
        assert plot.name in body
        assert f"/terrains/{plot.slug}/" in body
        assert message["Reply-To"] == INVESTOR
        assert "Vries Logistics BV" in body
    acknowledgements = arrived(smtp, INVESTOR)
    assert len(acknowledgements) == 1
    acknowledgement = acknowledgements[0]
    assert (
        plot.name in acknowledgement.get_body(preferencelist=("plain",)).get_content()
    )

    # Nothing else was sent, to anyone: one notification, one acknowledgement.
    time.sleep(0.3)
    assert len(smtp.messages) == 2
    for envelope, _message in smtp.messages:
        assert not others & set(envelope.rcpt_tos)
    lead.refresh_from_db()
    assert lead.delivery_status == Lead.Delivery.SENT
    assert lead.delivery_attempts == 1
    assert visit.errors == []
    assert visit.foreign == []


def test_a_form_left_open_for_a_day_is_confirmed_then_delivered_once(
    browse,
    smtp,  # noqa: F811
    eager_tasks,
    quick_sender,
    monkeypatch,
):
    """The investor fills the form in, and sends it the next day: the server's
    clock is moved 25 hours on (the form's token was signed before). The form
    comes back with every answer, asks to confirm, and the confirmation is
    delivered: one email to each developer, one acknowledgement."""
    plot, developers = call_plot(), call_developers()
    visit = browse()
    page = visit.page
    visit.goto(plot.get_absolute_url())
    form = page.locator("#contact form.lead-form")
    fill_in(form)

    monkeypatch.setattr(antispam, "clock", lambda: time.time() + DAY_AND_HOUR)
    form.get_by_role("button", name=fr("Send my request")).click()

    confirm = page.locator(".form-confirm[role=alert]")
    with translation.override("fr"):
        opened = translation.ngettext(
            "This form was opened more than %(hours)s hour ago.",
            "This form was opened more than %(hours)s hours ago.",
            24,
        ) % {"hours": 24}
    expect(confirm).to_contain_text(opened)
    assert not Lead.objects.exists()
    form = page.locator("#contact form.lead-form")
    expect(form.get_by_label(label("company"))).to_have_value("Vries Logistics BV")
    expect(form.get_by_label(label("email"))).to_have_value(INVESTOR)
    expect(form.get_by_label(label("timeline"))).to_have_value("6-12")
    expect(form.get_by_label(label("message"))).to_have_value(MESSAGE)
    expect(form.locator("input[name=consent]")).to_be_checked()
    form.get_by_role("button", name=fr("Confirm and send my request")).click()

    expect(page).to_have_url(re.compile(r"/fr/contact/merci/$"))
    expect(page.locator("h1")).to_have_text(
        fr("Thank you: your request has been received")
    )
    lead = Lead.objects.get()
    assert (lead.plot_id, lead.spam_reason) == (plot.pk, "")
    for developer in developers:
        assert len(arrived(smtp, developer)) == 1
    assert len(arrived(smtp, INVESTOR)) == 1
    time.sleep(0.3)
    assert len(smtp.messages) == 2
    assert Lead.objects.get().delivery_status == Lead.Delivery.SENT
    assert visit.errors == []
