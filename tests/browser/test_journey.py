"""An investor's journey through the running portal, in a real browser."""

import re
from urllib.parse import parse_qs, urlsplit

from django.utils import translation
from playwright.sync_api import expect

from sites.models import Plot

from .conftest import DESKTOP, PHONE
from .search_map import TILES, wait_for_search_map, zoomed_out

AXE_RUN = """async () => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary
    }))
  }));
}"""


def text(message, language):
    with translation.override(language):
        return translation.gettext(message)


def fr(message):
    return text(message, "fr")


def test_investor_journey(browse):
    """Home, a search for 10 ha or more with a rail siding, a plot, in French,
    then English and Dutch; map and list agree; nothing fails in the console."""
    visit = browse()
    page = visit.page
    tiles = []

    def record(response):
        if urlsplit(response.url).path.startswith(TILES):
            tiles.append(response.url)

    page.on("response", record)

    visit.goto("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(
        fr("Invest in the Artois, the territory of the eco-transition")
    )

    page.locator(".main-nav").get_by_role("link", name=fr("Find land")).click()
    expect(page.locator("h1")).to_have_text(fr("Find land for your project"))
    wait_for_search_map(page)

    page.get_by_label(fr("Minimum surface (ha)")).fill("10")
    page.get_by_label(fr("Rail siding")).check()
    page.get_by_role("button", name=fr("Search"), exact=True).click()

    expected = set(
        Plot.objects.on_offer()
        .filter(surface_ha__gte=10, park__has_rail_siding=True)
        .values_list("pk", flat=True)
    )
    assert 2 <= len(expected) < Plot.objects.published().count()
    count = len(expected)
    # The query string is the state: the search can be bookmarked.
    expect(page).to_have_url(re.compile(r"surface_min=10\b"))
    expect(page).to_have_url(re.compile(r"rail=on\b"))
    expect(page.locator("#results-title")).to_have_text(re.compile(rf"^{count}\D"))
    # Zoomed out over the whole territory, the map counts every plot found.
    zoomed_out(page, 9, label=fr("Zoom out"))
    zoomed_out(page, 8, label=fr("Zoom out"))
    expect(page.locator("#map-status")).to_have_text(re.compile(rf"^{count}\D"))

    listed = page.locator("#results [data-plot-id]").evaluate_all(
        "items => items.map((item) => Number(item.dataset.plotId))"
    )
    assert len(listed) == count
    assert set(listed) == expected

    # The map asked for tiles with the search's filters, and those it drew
    # at this zoom count every plot found (tests/browser/test_search_map.py
    # checks what they hold).
    def searched_at_8(url):
        query = parse_qs(urlsplit(url).query)
        at_8 = urlsplit(url).path.startswith(f"{TILES}8/")
        return at_8 and query == {"rail": ["on"], "surface_min": ["10"]}

    # The zoom may not have asked for its tiles when the click returned.
    for _ in range(200):
        if any(searched_at_8(url) for url in tiles):
            break
        page.wait_for_timeout(50)
    assert any(searched_at_8(url) for url in tiles), tiles

    first = page.locator("#results .result h3 a").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/fr/terrains/[\w-]+/$"))
    expect(page.locator("h1")).to_contain_text(name)
    heading = page.locator("#facts-title")
    expect(heading).to_have_text(fr("The plot at a glance"))
    languages = page.get_by_role("navigation", name=fr("Languages"))

    for code, language in [("en", "English"), ("nl", "Nederlands")]:
        languages.get_by_role("link", name=language).click()
        expect(page).to_have_url(re.compile(rf"/{code}/terrains/[\w-]+/$"))
        expect(page.locator("html")).to_have_attribute("lang", code)
        translated = text("The plot at a glance", code)
        assert translated != fr("The plot at a glance")
        expect(heading).to_have_text(translated)
        languages = page.get_by_role("navigation", name=text("Languages", code))

    assert visit.errors == []
    assert visit.foreign == []


def axe_violations(page):
    # The pages' Content Security Policy refuses inline scripts, which is what
    # add_script_tag makes of a file: axe is loaded as the browser's own
    # script instead (add_init_script), into every page of the context, and
    # the policy stays on as visitors get it.
    return page.evaluate(AXE_RUN)


def report(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
            lines.append("        " + node["summary"].replace("\n", "\n        "))
    return "\n".join(lines)


def test_screenshots_and_no_sideways_scrolling(browse):
    """Home, search and plot pages at phone and desktop widths, for people to
    look at: written to docs/screenshots/ when asked (`./dev test
    --screenshots`, see README). At both widths the page itself never scrolls
    sideways (WCAG 1.4.10, reflow); a wide data table may scroll inside its
    own box."""
    plot = Plot.objects.published().order_by("-surface_ha", "pk").first()
    pages = {
        "home": "/fr/",
        "search": "/fr/recherche/",
        "plot": plot.get_absolute_url(),
        "park": plot.park.get_absolute_url(),
    }
    too_wide = {}
    for width, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        visit = browse(viewport)
        for name, path in pages.items():
            visit.goto(path)
            if name == "search":
                wait_for_search_map(visit.page)
            visit.page.wait_for_load_state("networkidle")
            page_width = visit.page.evaluate("document.documentElement.scrollWidth")
            if page_width > viewport["width"]:
                too_wide[f"{name}-{width}"] = page_width
            if name != "park":
                visit.screenshot(f"{name}-{width}")
        assert visit.errors == []
    assert too_wide == {}


def test_on_a_phone_the_next_page_of_results_opens_at_the_results(browse):
    """On a phone the results come after the filters and the map: "Next" at
    the bottom of the list opened the next page at its top, with the filters
    unfolded (a search under way), its first result two screens down. The
    pages of results open at the results, and back from there too."""
    visit = browse(PHONE)
    page = visit.page
    visit.goto("/fr/recherche/")
    wait_for_search_map(page)
    first = page.locator("#results [data-plot-id]").first.text_content()

    page.locator(".pagination").get_by_role("link", name=fr("Next")).click()
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    wait_for_search_map(page)
    expect(page.locator("#results h3").first).to_be_in_viewport()

    page.locator(".pagination").get_by_role("link", name=fr("Previous")).click()
    wait_for_search_map(page)
    expect(page.locator("#results h3").first).to_be_in_viewport()
    assert page.locator("#results [data-plot-id]").first.text_content() == first
    assert visit.errors == []
