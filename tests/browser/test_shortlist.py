"""A developer of CALL prepares a shortlist from a lead; the investor opens the
private link in their language, and cannot any more once it is revoked."""

from urllib.parse import urlsplit

from django.utils import timezone
from playwright.sync_api import expect

from leads.models import Lead, Shortlist, ShortlistVisit
from sites.models import Organisation, Plot

from .test_staff import ADMIN, call_developer, log_in  # noqa: F401 (a fixture)


def test_a_developer_shares_a_shortlist_from_a_lead_then_revokes_it(
    browse,
    call_developer,  # noqa: F811
):
    call = Organisation.objects.get(slug="call")
    lead = Lead.objects.create(
        name="Jan de Vries",
        company="Vries Logistics BV",
        country="Netherlands",
        email="jan@vries-logistics.nl",
        language="nl",
        project_type="logistics",
        timeline="6-12",
        message="5 ha near the A1.",
        consent_at=timezone.now(),
        organisation=call,
    )
    plots = list(
        Plot.objects.published().filter(park__organisation=call).order_by("pk")[:2]
    )
    assert len(plots) == 2

    staff = browse()
    page = staff.page
    log_in(page, staff.base_url, "dev-call")
    page.goto(f"{staff.base_url}{ADMIN}leads/lead/{lead.pk}/change/")
    page.locator(f"a[href$='shortlist/add/?lead={lead.pk}']").click()
    expect(page.locator("#id_investor")).to_have_value("Vries Logistics BV")
    expect(page.locator("#id_language")).to_have_value("nl")
    for index, plot in enumerate(plots):
        page.locator(f"#id_items-{index}-plot").select_option(str(plot.pk))
    page.locator("#id_items-0-note").fill("Dicht bij de A21, 24/7 toegankelijk.")
    page.locator("input[name=_save]").click()
    link = page.locator(".messagelist .success a.shortlist-link")
    expect(link).to_be_visible()
    path = urlsplit(link.get_attribute("href")).path
    assert path.startswith("/nl/selection/")

    investor = browse(locale="nl-NL")
    response = investor.goto(path)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(investor.page.locator("h1")).to_have_text(
        "Kavels gekozen voor Vries Logistics BV"
    )
    for plot in plots:
        expect(investor.page.get_by_role("link", name=plot.name)).to_be_visible()
    expect(investor.page.get_by_text("Dicht bij de A21")).to_be_visible()
    assert ShortlistVisit.objects.count() == 1
    assert investor.errors == []

    # Revoked from the list of shortlists, with the admin's action.
    page.goto(f"{staff.base_url}{ADMIN}leads/shortlist/")
    shortlist = Shortlist.objects.get()
    page.locator(f"input[name=_selected_action][value='{shortlist.pk}']").check()
    page.locator("select[name=action]").select_option("revoke")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .info")).to_be_visible()

    closed = investor.page.reload()
    assert closed.status == 404
    expect(investor.page.locator("h1")).to_have_text("Deze link is niet meer geldig")
    assert ShortlistVisit.objects.count() == 1
    assert investor.foreign == []
