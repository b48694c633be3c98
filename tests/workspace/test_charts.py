"""The dashboard's charts: drawn from the same figures as its tables, within
the staff member's scope, with the tables kept beside them."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sites.models import Organisation, Plot
from tests.factories import PlotFactory, staff_user
from tests.leads.test_delivery import pending_lead
from workspace import charts
from workspace.freshness import last_months

URL = reverse("staff-dashboard")


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (180, 200), (501, 1000)],
)
def test_the_value_axis_ends_on_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_columns_stack_their_series_in_proportion():
    chart = charts.stacked_columns(
        ["jan", "feb"], {"CALL": [2, 0], "CAHC": [1, 3], "Nobody": [0, 0]}
    )

    assert [name for _colour, name in chart.legend] == ["CALL", "CAHC"]
    heights = {bar.title: bar.height for bar in chart.bars}
    assert set(heights) == {"CALL, jan: 2", "CAHC, jan: 1", "CAHC, feb: 3"}
    assert heights["CALL, jan: 2"] == pytest.approx(2 * heights["CAHC, jan: 1"])
    # Stacked: CAHC sits on CALL in January, from the baseline in February.
    jan_call, jan_cahc, feb_cahc = chart.bars
    assert jan_cahc.y + jan_cahc.height == pytest.approx(jan_call.y)
    assert feb_cahc.y + feb_cahc.height == chart.baseline
    # The axis reads 0 to 5 (the tallest column, 3, rounded up).
    assert [tick.text for tick in chart.values][-1] == "5"
    assert feb_cahc.height == pytest.approx(3 / 5 * (chart.baseline - charts.TOP))


def test_nothing_to_draw_gives_an_empty_chart():
    assert charts.stacked_columns(["jan"], {"CALL": [0]}).is_empty
    assert charts.stacked_columns(["jan"], {}).is_empty


def test_the_last_twelve_months_end_with_this_one():
    now = timezone.now()
    months = last_months(now=now)
    assert len(months) == 12
    assert (months[-1].year, months[-1].month) == (now.year, now.month)
    assert all(first.day == 1 for first in months)
    assert months == sorted(months)


def bar_titles(response):
    return re.findall(r"<title>([^<]+)</title>", response.content.decode())


@pytest.mark.django_db
def test_the_dashboard_draws_leads_by_month_and_stage_in_scope(client, demo):
    call_plot = Plot.objects.filter(park__organisation__slug="call").first()
    cahc_plot = PlotFactory(park__organisation=Organisation.objects.get(slug="cahc"))
    for _ in range(3):
        pending_lead(call_plot)
    pending_lead(call_plot, status="won")
    pending_lead(cahc_plot)
    client.force_login(staff_user("call"))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    titles = bar_titles(response)
    month = response.context["charts"]["leads_by_month"].categories[-1].text
    assert f"CALL, {month}: 4" in titles
    assert "CALL, New: 3" in titles
    assert "CALL, Won: 1" in titles
    assert not [title for title in titles if "CAHC" in title]
    # The table stays, with the same figures.
    assert [
        (row["status"], row["count"]) for row in response.context["leads_by_status"]
    ] == [
        ("New", 3),
        ("Won", 1),
    ]


@pytest.mark.django_db
def test_the_dashboard_draws_listings_by_date_of_last_update(client, demo):
    plots = Plot.objects.filter(park__organisation__slug="call")
    old = list(plots.values_list("pk", flat=True)[:2])
    Plot.objects.filter(pk__in=old).update(
        updated_at=timezone.now() - timedelta(days=200)
    )
    client.force_login(staff_user("call"))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    rows = dict(response.context["freshness_rows"])
    parks, plots_by_age = zip(*rows.values(), strict=True)
    assert rows["6 to 12 months"][1] == 2
    assert sum(plots_by_age) == plots.count()
    assert sum(parks) == Organisation.objects.get(slug="call").parks.count()
    assert "Plots, 6 to 12 months: 2" in bar_titles(response)


@pytest.mark.django_db
def test_chart_labels_are_escaped(client, demo):
    organisation = Organisation.objects.get(slug="call")
    organisation.short_name = "<b>CALL</b>"
    organisation.save()
    pending_lead(Plot.objects.filter(park__organisation=organisation).first())
    client.force_login(staff_user("pma"))

    html = client.get(URL).content.decode()

    assert "<b>CALL</b>" not in html
    assert "&lt;b&gt;CALL&lt;/b&gt;" in html


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_dashboards_queries_do_not_grow_with_leads_or_listings(client, demo):
    client.force_login(staff_user("pma"))
    client.get(URL)  # sessions, permissions and translations warmed up
    before = dashboard_queries(client)

    for plot in Plot.objects.all()[:6]:
        lead = pending_lead(plot, status="contacted")
        lead.__class__.objects.filter(pk=lead.pk).update(
            created_at=timezone.now() - timedelta(days=40 * plot.pk % 300)
        )
    PlotFactory(park__organisation=Organisation.objects.get(slug="cahc"))

    assert dashboard_queries(client) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, june, july", [("fr", "juin", "juil."), ("nl", "jun", "jul")]
)
def test_the_months_are_named_as_the_staff_member_abbreviates_them(
    client, demo, language, june, july
):
    """French 'M' names June 'Jui' beside July's 'Jul': which is which?"""
    pending_lead(Plot.objects.filter(park__organisation__slug="call").first())
    client.force_login(staff_user("call"))
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    months = [
        tick.text.split()[0]
        for tick in response.context["charts"]["leads_by_month"].categories
    ]
    assert june in months and july in months
