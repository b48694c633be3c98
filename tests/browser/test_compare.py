"""Plots side by side, chosen from the search list, shared by their address."""

import re

from playwright.sync_api import expect

from sites.models import Plot

from .conftest import AXE, PHONE
from .search_map import wait_for_search_map
from .test_journey import axe_violations, fr, report


def column_names(page):
    return page.locator("thead th.compare-plot > a:first-child").all_text_contents()


def test_compare_three_plots_from_the_search_list_and_share(browse, browser, site):
    visit = browse()
    page = visit.page
    page.context.add_init_script(path=AXE)
    visit.goto("/fr/recherche/")
    wait_for_search_map(page)
    results = page.locator("#results [data-plot-id]")
    chosen = [results.nth(i).locator("h3 a").text_content() for i in range(3)]

    for index in range(3):
        results.nth(index).get_by_role("link", name=fr("Add to comparison")).click()
        expect(page.locator("h1")).to_have_text(fr("Compare plots"))
        assert sorted(column_names(page)) == sorted(chosen[: index + 1])
        if index < 2:
            page.get_by_role("link", name=fr("Add plots from the search")).click()
            wait_for_search_map(page)

    # The address names the set, in one order whatever the clicks' order.
    slugs = sorted(Plot.objects.filter(name__in=chosen).values_list("slug", flat=True))
    expect(page).to_have_url(re.compile(r"/fr/comparer/\?p=" + ",".join(slugs) + "$"))
    expect(page.locator("svg.outline-map")).to_have_count(3)
    assert page.locator("tr.differs").count() >= 1
    violations = axe_violations(page)
    assert not violations, report(violations)
    shared = page.url

    # Someone else opens the shared link: no cookie, no script, same table.
    other = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        elsewhere = other.new_page()
        response = elsewhere.goto(shared)
        assert response.status == 200
        assert column_names(elsewhere) == sorted(
            chosen, key=lambda n: slugs.index(Plot.objects.get(name=n).slug)
        )
        # Wide tables scroll in their own box, the page itself never sideways.
        width = elsewhere.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        # Removing a plot, still without script.
        elsewhere.locator(".compare-remove").first.click()
        assert len(column_names(elsewhere)) == 2
    finally:
        other.close()
    assert visit.errors == []


def test_on_a_phone_each_row_keeps_its_name_while_the_plots_scroll(browse):
    """Four plots are wider than a phone: the table scrolls sideways in its
    box, and the rows' names scrolled away with the first plot, leaving
    figures without their name ('Area'? 'Price'?), and the sections' titles
    too. They stay in view."""
    slugs = Plot.objects.published().order_by("pk").values_list("slug", flat=True)
    visit = browse(PHONE)
    visit.goto("/fr/comparer/?p=" + ",".join(sorted(slugs[:4])))
    scroll = visit.page.locator(".compare-scroll")
    width = scroll.evaluate("box => box.scrollWidth - box.clientWidth")
    assert width > 300
    scroll.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    left = scroll.evaluate("box => box.getBoundingClientRect().left")
    names = visit.page.locator(".compare tbody th[scope=row]")
    assert names.count() > 10
    shown = names.evaluate_all(
        "names => names.map((name) => name.getBoundingClientRect().left)"
    )
    assert {round(at - left) for at in shown} == {0}
    sections = visit.page.locator(".compare-section th > span")
    assert sections.count() >= 3
    shown = sections.evaluate_all(
        "names => names.map((name) => name.getBoundingClientRect().left)"
    )
    assert all(0 <= at - left < 20 for at in shown), (left, shown)
    assert visit.errors == []
