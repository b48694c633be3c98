from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sites.codes import CommercialStage
from sites.models import Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user
from tests.leads.conftest import smtp  # noqa: F401 (fixture)
from workspace.freshness import stale_listings_remind
from workspace.models import StaleReminder

pytestmark = pytest.mark.django_db
SOLD = CommercialStage.SOLD
URL = reverse("staff-dashboard")


def age(plots, days):
    plots.update(updated_at=timezone.now() - timedelta(days=days))


def test_dashboard_shows_only_the_staff_members_organisation(client, demo):
    client.force_login(staff_user("call"))
    response = client.get(URL)
    assert response.status_code == 200
    rows = list(response.context["organisations"])
    assert [row.short_name for row in rows] == ["CALL"]
    # The demo is all there is: counted apart, none of it land on offer.
    demo_plots = Plot.objects.filter(park__organisation__slug="call", is_demo=True)
    assert rows[0].plots_demo == demo_plots.count() > 0
    assert (rows[0].available_ha, rows[0].plots_available) == (None, 0)


def test_pma_dashboard_covers_every_organisation(client, demo):
    client.force_login(staff_user("pma"))
    rows = client.get(URL).context["organisations"]
    assert {row.short_name for row in rows} == {"CABBALR", "CALL", "CAHC", "SIZIAF"}
    assert sum(row.plots_demo for row in rows) == Plot.objects.count()
    assert not any(row.available_ha for row in rows)


def test_the_land_figures_count_what_they_say(client):
    """ "Hectares available" summed unpublished plots, plots in unpublished
    parks and the demo's as on offer; the stages counted the demo too."""
    on_portal = PlotFactory(cadastral_surface_ha=Decimal("2.5"))
    PlotFactory(cadastral_surface_ha=Decimal("4"), is_published=False)
    hidden_park = BusinessParkFactory(is_published=False)
    PlotFactory(park=hidden_park, cadastral_surface_ha=Decimal("8"))
    PlotFactory(cadastral_surface_ha=Decimal("16"), commercial_stage=SOLD)
    PlotFactory(cadastral_surface_ha=Decimal("32"), is_demo=True)
    PlotFactory(park=BusinessParkFactory(is_demo=True), cadastral_surface_ha=64)
    client.force_login(staff_user("call"))

    response = client.get(URL)

    [call] = response.context["organisations"]
    assert call.available_ha == on_portal.surface_ha == Decimal("2.5")
    assert (call.plots_available, call.plots_sold) == (3, 1)
    assert (call.plots_under_option, call.plots_off_market) == (0, 0)
    assert (call.plots_off_portal, call.plots_demo) == (2, 2)
    html = " ".join(response.content.decode().split())
    assert (
        '<th scope="row">CALL</th><td>2,50</td><td>3</td><td>0</td><td>1</td>'
        "<td>0</td><td>2</td><td>2</td>"
    ) in html
    for heading in (
        "Hectares disponibles sur le portail",
        "Terrains par état de commercialisation, publiés ou non",
        "Terrains que les investisseurs ne voient pas",
        "Terrains de démonstration, comptés à part",
    ):
        assert heading in html


def test_another_organisations_land_is_not_counted(client):
    PlotFactory(cadastral_surface_ha=Decimal("3"))  # CALL's
    cahc = BusinessParkFactory(organisation=Organisation.objects.get(slug="cahc"))
    PlotFactory(park=cahc, cadastral_surface_ha=Decimal("5"))
    client.force_login(staff_user("cahc"))

    [row] = client.get(URL).context["organisations"]

    assert (row.short_name, row.available_ha, row.plots_available) == (
        "CAHC",
        Decimal("5"),
        1,
    )


def test_dashboard_lists_stale_listings_in_scope(client, demo):
    old_call = [Plot.objects.filter(park__organisation__slug="call").first().pk]
    old_cahc = [Plot.objects.filter(park__organisation__slug="cahc").first().pk]
    age(Plot.objects.filter(pk__in=old_call), 200)
    age(Plot.objects.filter(pk__in=old_cahc), 200)
    client.force_login(staff_user("call"))
    stale = client.get(URL).context["stale"]
    assert list(stale["plots"]) == list(Plot.objects.filter(pk__in=old_call))


def test_the_dashboard_lists_the_oldest_stale_listings_and_counts_the_others(
    client, demo, monkeypatch
):
    # As the reminder: at a region's scale, thousands of rows otherwise.
    monkeypatch.setattr("workspace.freshness.REMINDER_LISTED", 2)
    plots = Plot.objects.filter(park__organisation__slug="call")
    assert plots.count() > 3
    age(plots, 200)
    client.force_login(staff_user("call"))
    response = client.get(URL)
    assert len(response.context["stale"]["plots"]) == 2
    assert f"et {plots.count() - 2} autres terrains" in response.content.decode()


def test_dashboard_needs_staff(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_stale_reminder_goes_to_the_organisations_staff(demo, capsys, site_url):
    call = staff_user("call")
    call.email = "dev.call@example.org"
    call.save()
    cahc = staff_user("cahc")
    cahc.email = "dev.cahc@example.org"
    cahc.save()
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    age(Plot.objects.filter(pk=plot.pk), 190)
    call_command("remind_stale_listings")
    assert "1 organisation(s) reminded." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dev.call@example.org"]
    assert plot.name in message.body
    # A link to the listing's admin page, on the public address.
    assert f"{site_url}{reverse('admin:sites_plot_change', args=[plot.pk])}" in (
        message.body
    )


def test_no_reminder_when_everything_is_fresh(demo):
    staff_user("call").save()
    call_command("remind_stale_listings")
    assert mail.outbox == []


def test_stale_reminder_lists_the_oldest_and_counts_the_others(demo, monkeypatch):
    """Many listings left alone (an import at scale) make a reminder of a few
    lines, not an email of every plot that a relay would refuse."""
    monkeypatch.setattr("workspace.freshness.REMINDER_LISTED", 2)
    call = staff_user("call")
    call.email = "dev.call@example.org"
    call.save()
    plots = Plot.objects.filter(park__organisation__slug="call")
    assert plots.count() > 3
    age(plots, 200)
    oldest = plots.order_by("pk").first()
    age(Plot.objects.filter(pk=oldest.pk), 400)
    call_command("remind_stale_listings")
    (message,) = mail.outbox
    assert oldest.name in message.body
    assert message.body.count("/sites/plot/") == 2
    assert f"- et {plots.count() - 2} autres terrains" in message.body


def test_one_organisations_refused_reminder_does_not_stop_the_others(
    demo, monkeypatch, caplog
):
    from django.core.mail.backends.locmem import EmailBackend

    for slug in ("call", "cahc"):
        member = staff_user(slug)
        member.email = f"dev.{slug}@example.org"
        member.save()
        age(Plot.objects.filter(park__organisation__slug=slug), 200)
    send = EmailBackend.send_messages

    def refusing(self, messages):
        if "dev.cahc@example.org" in messages[0].to:
            raise ConnectionRefusedError
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    call_command("remind_stale_listings")
    assert [message.to for message in mail.outbox] == [["dev.call@example.org"]]
    assert "reminder of organisation" in caplog.text
    assert "dev.cahc" not in caplog.text


def test_an_organisation_named_over_two_lines_is_still_reminded(demo):
    call = staff_user("call")
    call.email = "dev.call@example.org"
    call.save()
    Organisation.objects.filter(slug="call").update(short_name="CA\nLens-Liévin")
    age(Plot.objects.filter(park__organisation__slug="call"), 200)

    call_command("remind_stale_listings")

    (message,) = mail.outbox
    assert "\n" not in message.subject and "CA Lens-Liévin" in message.subject


@pytest.fixture
def call_stale(demo):
    call = staff_user("call")
    call.email = "dev.call@example.org"
    call.save()
    age(Plot.objects.filter(park__organisation__slug="call"), 250)


def mid_month():
    # Runs a few minutes or hours apart stay in the same month.
    return timezone.localtime().replace(day=15, hour=10)


def test_a_second_run_in_the_month_sends_nothing_again(call_stale):
    """Beat and cron both, a task delivered again, a run by hand: one reminder."""
    from workspace.tasks import remind_stale_listings

    call_command("remind_stale_listings")
    assert remind_stale_listings() == 0
    call_command("remind_stale_listings")
    assert len(mail.outbox) == 1
    reminder = StaleReminder.objects.get()
    assert reminder.organisation.slug == "call" and reminder.sent_at is not None
    assert reminder.month == timezone.localdate().replace(day=1)


def test_the_next_month_reminds_again(call_stale):
    first = mid_month()
    assert stale_listings_remind(now=first) == 1
    assert stale_listings_remind(now=first + timedelta(days=31)) == 1
    assert len(mail.outbox) == 2


def test_a_failed_reminder_is_sent_by_the_next_run(call_stale, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages

    def refusing(self, messages):
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    assert stale_listings_remind() == 0
    assert not StaleReminder.objects.exists()

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    assert stale_listings_remind() == 1
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_run_that_died_is_taken_over(call_stale):
    now = mid_month()
    StaleReminder.objects.create(
        organisation=Organisation.objects.get(slug="call"),
        month=timezone.localdate(now).replace(day=1),
        claimed_at=now,
    )
    # Another run sending it now, as far as this one can tell.
    assert stale_listings_remind(now=now + timedelta(minutes=5)) == 0
    assert mail.outbox == []
    assert stale_listings_remind(now=now + timedelta(hours=2)) == 1
    assert len(mail.outbox) == 1


def test_the_reminder_subject_quotes_the_organisation_unescaped(
    demo,
    smtp,  # noqa: F811
):
    """A plain-text subject: an apostrophe or an ampersand in a name stays
    one, as French names often have them (not &#x27; nor &amp;)."""
    call = staff_user("call")
    call.email = "dev.call@example.org"
    call.save()
    Organisation.objects.filter(slug="call").update(short_name="Agglo d'Artois & Co")
    age(Plot.objects.filter(park__organisation__slug="call"), 200)

    call_command("remind_stale_listings")

    [(subject, _body)] = smtp.text("dev.call@example.org")
    assert "Agglo d'Artois & Co" in subject
