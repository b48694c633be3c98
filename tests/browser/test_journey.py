"""An investor's journey through the running portal, in a real browser."""

import json
import re
from urllib.parse import parse_qs, urlsplit

from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from sites.models import Plot

from .conftest import AXE, DESKTOP, PHONE

API = "/api/v1/plots.geojson"

# Markers drawn on the search map: a cluster counts its plots, a lone marker one.
DRAWN_PLOTS = """() => {
  let plots = 0;
  for (const icon of document.querySelectorAll("#search-map .leaflet-marker-icon")) {
    plots += icon.classList.contains("marker-cluster") ? Number(icon.textContent) : 1;
  }
  return plots;
}"""

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


def wait_for_search_map(page):
    """The map has drawn what the API sent once its status line says so, and
    has stopped moving once no zoom or cluster animation is running."""
    expect(page.locator("#map-status")).to_have_text(re.compile(r"\S"))
    expect(page.locator(".leaflet-zoom-anim, .leaflet-cluster-anim")).to_have_count(0)


def received(responses):
    """The body of the last response the page read in full (a newer search
    aborts the map's request in flight)."""
    for response in reversed(responses):
        try:
            return response.text()
        except PlaywrightError:
            continue
    raise AssertionError("no API response was read in full")


def test_investor_journey(browse):
    """Home, a search for 10 ha or more with a rail siding, a plot, in French,
    then English and Dutch; map and list agree; nothing fails in the console."""
    visit = browse()
    page = visit.page
    api_responses = []

    def record(response):
        if urlsplit(response.url).path == API:
            api_responses.append(response)

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
    expect(page.locator("#map-status")).to_have_text(re.compile(rf"^{count}\D"))

    listed = page.locator("#results [data-plot-id]").evaluate_all(
        "items => items.map((item) => Number(item.dataset.plotId))"
    )
    assert len(listed) == count
    assert set(listed) == expected

    searched = [
        response
        for response in api_responses
        if response.ok
        and parse_qs(urlsplit(response.url).query).get("rail") == ["on"]
        and parse_qs(urlsplit(response.url).query).get("surface_min") == ["10"]
    ]
    assert searched, [response.url for response in api_responses]
    collection = json.loads(received(searched))
    assert collection["truncated"] is False
    assert {feature["id"] for feature in collection["features"]} == expected

    # Every plot the API sent is on the map, alone or in a cluster.
    try:
        # A function, not an expression: the pages' CSP forbids eval().
        page.wait_for_function(f"(count) => ({DRAWN_PLOTS})() === count", arg=count)
    except PlaywrightTimeoutError:
        pass  # the assertion below says how many were drawn
    assert page.evaluate(DRAWN_PLOTS) == count

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


def test_no_wcag_21_a_or_aa_violation(browse):
    """axe-core on the home, search, plot and park pages, in French."""
    plot = Plot.objects.published().select_related("park").order_by("pk").first()
    pages = {
        "home": "/fr/",
        "search": "/fr/recherche/",
        "plot": plot.get_absolute_url(),
        "park": plot.park.get_absolute_url(),
    }
    visit = browse()
    visit.page.context.add_init_script(path=AXE)
    found = {}
    for name, path in pages.items():
        visit.goto(path)
        if name == "search":
            wait_for_search_map(visit.page)
        violations = axe_violations(visit.page)
        if violations:
            found[name] = report(violations)
    assert not found, "\n\n".join(
        f"== {name}: {path}\n{found[name]}"
        for name, path in pages.items()
        if name in found
    )
    assert visit.errors == []


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
