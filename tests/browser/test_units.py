"""Units everywhere, in a real browser: the visitor switches to acres and sees
acres in the list and the map's popups, prices per sq ft and an imperial scale
bar; the same choice works with JavaScript off, and is remembered."""

import re

import pytest
from playwright.sync_api import expect

from sites.models import Plot

from .conftest import AXE, DESKTOP, TILES, Visit, _tile
from .search_map import wait_for_search_map
from .test_journey import axe_violations, report

SEARCH = "/en/recherche/?surface_min=30"


@pytest.fixture
def plot(demo):
    return Plot.objects.on_offer().get(surface_ha=42)  # 103.8 acres, 18 €/m²


def shown(locator):
    """What the visitor reads (hidden units left out), spaces made plain."""
    return locator.inner_text().replace("\u00a0", " ")


def result(page, plot):
    return page.locator(f'li.result[data-plot-id="{plot.pk}"]')


def test_switching_to_acres_with_javascript(browse, plot):
    visit = browse()
    page = visit.page
    page.context.add_init_script(path=AXE)
    visit.goto(SEARCH)
    expect(result(page, plot)).to_contain_text("42 ha")
    expect(page.locator(".leaflet-control-scale-line")).to_have_text(re.compile("m$"))

    page.get_by_role("link", name="Show in acres, sq ft and miles").click()

    expect(page).to_have_url(re.compile(re.escape(SEARCH) + "$"))
    row = result(page, plot)
    expect(row.locator(".u-imperial").first).to_be_visible()
    assert "103.8 acres" in shown(row)
    assert "€1.67/sq ft" in shown(row)
    assert " ha" not in shown(row) and "/m²" not in shown(row)
    expect(page.get_by_role("link", name="Show in hectares, m² and km")).to_be_visible()
    # The scale bar in feet or miles, the popups in acres.
    wait_for_search_map(page)
    expect(page.locator(".leaflet-control-scale-line")).to_have_text(
        re.compile(r"(ft|mi)$")
    )
    violations = axe_violations(page)
    assert not violations, report(violations)
    # The map framed on the plot (a map view, as the "only in view" box
    # gives): clicking its outline opens its popup, in acres.
    west, south, east, north = plot.geom.transform(4326, clone=True).extent
    visit.goto(f"/en/recherche/?bbox={west},{south},{east},{north}")
    wait_for_search_map(page)
    expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)
    box = page.locator("#search-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("103.8\u00a0acres")

    # Remembered on the plot page: the price per sq ft.
    result(page, plot).locator("a").first.click()
    facts = page.locator(".key-facts")
    # Read once the stylesheet hides the other units (inner_text follows it).
    expect(facts.locator(".u-metric").first).to_be_hidden()
    assert "€1.67 excl. tax / sq ft" in shown(facts)
    assert "103.8 acres" in shown(facts)
    assert "m²" not in shown(facts)
    assert visit.errors == []


def test_switching_to_acres_without_javascript(browser, site, plot):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.route(TILES, _tile)
    try:
        visit = Visit(context.new_page(), site.url)
        page = visit.page
        visit.goto(SEARCH)
        page.get_by_role("link", name="Show in acres, sq ft and miles").click()
        # The same address comes back: the other link says the new page is in.
        expect(
            page.get_by_role("link", name="Show in hectares, m² and km")
        ).to_be_visible()
        row = result(page, plot)
        expect(row.locator(".u-metric").first).to_be_hidden()
        assert "103.8 acres" in shown(row)
        assert "€1.67/sq ft" in shown(row)
        # And back: the link says what it does next.
        page.get_by_role("link", name="Show in hectares, m² and km").click()
        expect(
            page.get_by_role("link", name="Show in acres, sq ft and miles")
        ).to_be_visible()
        expect(result(page, plot).locator(".u-imperial").first).to_be_hidden()
        assert "42 ha" in shown(result(page, plot))
        assert "acres" not in shown(result(page, plot))
    finally:
        context.close()
