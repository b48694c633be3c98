"""No dead end: a search for a 100-ha project offers wider searches and the
'describe your project' form, whose lead reaches the PMA's developers by SMTP."""

import re

from playwright.sync_api import expect

from leads.models import Lead
from sites.models import Contact, Plot
from tests.leads.conftest import smtp  # noqa: F401 (the loopback SMTP server fixture)

from .conftest import AXE
from .search_map import wait_for_search_map
from .test_contact import arrived, eager_tasks  # noqa: F401 (a fixture)
from .test_journey import axe_violations, report

INVESTOR = "maria@example.com"


def pma_developers():
    return list(
        Contact.objects.filter(
            organisation__kind="metropolitan", receives_leads=True
        ).values_list("email", flat=True)
    )


def test_a_100_ha_search_offers_wider_searches_and_reaches_the_pma(
    browse,
    smtp,  # noqa: F811
    eager_tasks,  # noqa: F811
    quick_sender,
):
    developers = pma_developers()
    assert developers
    visit = browse()
    page = visit.page
    page.context.add_init_script(path=AXE)
    visit.goto("/en/recherche/?surface_min=100")
    wait_for_search_map(page)
    violations = axe_violations(page)
    assert not violations, report(violations)

    expect(page.locator("#results-title")).to_have_text("0 plots")
    widen = page.locator("section.widen")
    expect(widen.get_by_role("heading")).to_have_text("Try a wider search")
    on_offer = Plot.objects.on_offer().count()
    largest = max(Plot.objects.on_offer().values_list("surface_ha", flat=True))
    biggest = Plot.objects.on_offer().filter(surface_ha__gte=largest).count()
    dropped = widen.locator("li").filter(has_text="Without “Minimum area (ha): 100”")
    expect(dropped).to_contain_text(f"{on_offer} plots")
    relaxed = widen.locator("li").filter(has_text="instead of 100")
    expect(relaxed).to_contain_text(
        f"Minimum area (ha): {largest.normalize():f} instead of 100"
    )
    expect(relaxed).to_contain_text(f"{biggest} plot")

    # The project form, its surface taken from the search.
    form = page.locator("#project form.lead-form")
    expect(form.get_by_label("Area needed (m²)")).to_have_value("1000000")
    form.get_by_label("Timeline").select_option("12-24")
    form.get_by_label("Jobs planned").fill("400")
    form.get_by_label("Project type").select_option("industry")
    form.get_by_label("Your needs").fill("A 100 ha site with rail for a battery plant.")
    form.get_by_label("Name").fill("Maria Jansen")
    form.get_by_label("Company").fill("Voltwerk GmbH")
    form.get_by_label("Country").fill("Germany")
    form.get_by_label("Email").fill(INVESTOR)
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="Send my request").click()

    expect(page).to_have_url(re.compile(r"/en/contact/merci/$"))
    lead = Lead.objects.get()
    assert lead.organisation.kind == "metropolitan"
    assert (lead.surface_needed_m2, lead.jobs_planned) == (1_000_000, 400)
    assert lead.search == "surface_min=100"
    for developer in developers:
        [message] = arrived(smtp, developer)
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "Voltwerk GmbH" in message["Subject"]
        assert "A 100 ha site with rail for a battery plant." in body
        assert "/fr/recherche/?surface_min=100" in body  # the developers' language
    assert len(arrived(smtp, INVESTOR)) == 1

    # The wider search is a plain link to the list it announced.
    visit.goto("/en/recherche/?surface_min=100")
    page.locator("section.widen a", has_text="Without").click()
    expect(page.locator("#results-title")).to_have_text(f"{on_offer} plots")
    expect(page.locator("section.widen")).to_have_count(0)
    assert visit.errors == []
    assert visit.foreign == []
