"""The main pages in French, English and Dutch: axe-core's WCAG 2.1 A/AA rules
find nothing, and the browser's console stays empty (a missing favicon, a
refused script or a failed request would each write an error there)."""

import re

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from ambassadors.models import Ambassador
from sites.models import Plot

from .conftest import AXE, PHONE
from .search_map import wait_for_search_map
from .test_journey import axe_violations, fr, report

LANGUAGES = ["fr", "en", "nl"]

# Rules whose "needs review" answers count as failures too: Leaflet's
# attribution link, blue on grey without underline, was only ever "incomplete"
# (axe cannot see the colour behind the Leaflet logo), never a violation.
AXE_UNDECIDED = """async () => {
  const results = await axe.run(document, {
    runOnly: { type: "rule", values: ["link-in-text-block"] }
  });
  return results.incomplete.flatMap(
    (rule) => rule.nodes.map((node) => `${rule.id}: ${node.target.join(" ")}`)
  );
}"""

# Each icon the page names, and /favicon.ico, which browsers ask for anyway
# (headless Chromium does not, so the test asks for them).
ICON_LINKS = """() => Array.from(
  document.querySelectorAll(
    "link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]"
  ),
  (link) => link.href
)"""


def page_paths(plot):
    """Each page in each language, by the URL its own language gives it."""
    paths = {}
    for language in LANGUAGES:
        with translation.override(language):
            paths.update(
                {
                    f"home {language}": reverse("portal:home"),
                    f"search {language}": reverse("sites:search"),
                    f"plot {language}": plot.get_absolute_url(),
                    f"park {language}": plot.park.get_absolute_url(),
                    f"ambassadors {language}": reverse("ambassadors:list"),
                    f"contact {language}": reverse("leads:contact"),
                }
            )
    return paths


def test_main_pages_in_three_languages_are_axe_clean_without_console_error(
    browse,
):
    plot = Plot.objects.published().select_related("park").order_by("pk").first()
    pages = page_paths(plot)
    # One context for all 18 pages: the browser asks for /favicon.ico once,
    # as a first-time visitor's does.
    visit = browse()
    page = visit.page
    page.context.add_init_script(path=AXE)
    failed_requests = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and failed_requests.append(f"{response.status} {response.url}")
        ),
    )
    found = {}
    for name, path in pages.items():
        visit.goto(path)
        if name.startswith("search"):
            wait_for_search_map(page)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[name] = report(violations)
        undecided = page.evaluate(AXE_UNDECIDED)
        if undecided:
            found[name] = found.get(name, "") + "\n".join(undecided)
    assert not found, "\n\n".join(
        f"== {name}: {pages[name]}\n{found[name]}" for name in found
    )
    assert visit.errors == []
    icons = [visit.base_url + "/favicon.ico", *page.evaluate(ICON_LINKS)]
    assert len(icons) == 5
    statuses = {url: page.request.get(url).status for url in icons}
    assert set(statuses.values()) == {200}, statuses
    assert failed_requests == []
    assert visit.foreign == []


# The focused element's ring and the colour it is drawn on (the first
# ancestor's own background: the ring sits outside the element, 2px off),
# with their contrast ratio (WCAG's relative luminance).
FOCUS_RING = """() => {
  const rgb = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = rgb(colour).slice(0, 3).map((value) => {
      const c = value / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const focused = document.activeElement;
  const style = getComputedStyle(focused);
  let around = focused.parentElement, background = "rgb(255, 255, 255)";
  while (around) {
    const colour = getComputedStyle(around).backgroundColor;
    if (rgb(colour)[3] !== 0) { background = colour; break; }
    around = around.parentElement;
  }
  const [light, dark] = [luminance(style.outlineColor), luminance(background)]
    .sort((a, b) => b - a);
  return {
    name: focused.tagName + " " +
      (focused.textContent || focused.name || "").trim().slice(0, 30),
    ring: style.outlineStyle === "none" ? null : style.outlineColor,
    contrast: (light + 0.05) / (dark + 0.05),
  };
}"""


def test_the_keyboard_focus_ring_stands_out_from_the_page(browse):
    """Each control reached with Tab on a plot page (header, links, buttons,
    map, form fields, footer) shows a ring of at least 3:1 against the colour
    around it (WCAG 1.4.11, non-text contrast): an amber ring on white was
    2.2:1, hard to follow for a person with low vision."""
    plot = Plot.objects.published().order_by("pk").first()
    visit = browse()
    visit.goto(plot.get_absolute_url())
    page = visit.page
    faint, seen = [], set()
    for _ in range(40):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        seen.add(ring["name"].split()[0])
        if ring["ring"] is None or ring["contrast"] < 3:
            faint.append(ring)
    assert {"A", "INPUT", "SELECT", "TEXTAREA", "DIV"} <= seen, seen
    assert faint == []


def test_a_wide_table_s_box_is_reached_with_tab_and_scrolled_with_the_arrows(
    browse,
):
    """On a phone a park's plots, the open data files and the comparison of
    four plots scroll sideways in their own box. With a mouse or a finger
    only: Tab went past the open data files' box (nothing in it to focus),
    and past the others to their links, whose arrow keys move no table.
    Each box is a region named by its table's caption, reached with Tab,
    ringed as any control, and scrolled by the arrow keys (WCAG 2.1.1; axe's
    scrollable-region-focusable)."""
    plots = Plot.objects.published().order_by("pk")[:4]
    park = max({plot.park for plot in plots}, key=lambda park: park.plots.count())
    with translation.override("fr"):
        pages = {
            park.get_absolute_url(): fr("Published plots in %(name)s")
            % {"name": park.name},
            reverse("exchange:opendata"): fr("The files, by data set and format"),
            reverse("sites:compare") + "?p=" + ",".join(p.slug for p in plots): fr(
                "The plots compared, one per column"
            ),
        }
    visit = browse(PHONE)
    page = visit.page
    page.context.add_init_script(path=AXE)
    for path, name in pages.items():
        visit.goto(path)
        box = page.locator(".table-scroll")
        expect(box).to_have_role("region")
        expect(box).to_have_accessible_name(name)
        assert box.evaluate("(box) => box.scrollWidth - box.clientWidth") > 100, path
        violations = axe_violations(page)
        assert not violations, f"{path}\n{report(violations)}"
        for _ in range(80):
            page.keyboard.press("Tab")
            if box.evaluate("(box) => box === document.activeElement"):
                break
        expect(box).to_be_focused()
        ring = page.evaluate(FOCUS_RING)
        assert ring["ring"] and ring["contrast"] >= 3, (path, ring)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.table-scroll').scrollLeft > 0"
        )
    assert visit.errors == []


def test_the_ambassadors_on_the_search_map_are_reached_and_opened_with_the_keyboard(
    browse,
):
    """With the ambassadors' layer turned on from the keyboard, Tab from the
    map reaches their markers, each a button named after its ambassador;
    Enter or Space opens its popup with the focus on the ambassador's link,
    Escape closes it and gives the focus back, and the link leads to the
    ambassador's page (WCAG 2.1.1, 4.1.2). As circles drawn in SVG they could
    be clicked, never reached."""
    on_map = Ambassador.objects.published().filter(commune__isnull=False)
    visit = browse()
    page = visit.page
    page.context.add_init_script(path=AXE)
    visit.goto(reverse("sites:search"))
    wait_for_search_map(page)
    layer = page.get_by_role(
        "checkbox", name=fr("Our ambassadors: who is already here")
    )
    layer.focus()
    page.keyboard.press("Space")
    expect(layer).to_be_checked()
    page.wait_for_load_state("networkidle")  # the ambassadors are in
    assert axe_violations(page) == []

    page.locator("#search-map").focus()
    page.keyboard.press("Tab")
    marker = page.locator("#search-map :focus")
    expect(marker).to_have_role("button")
    name = marker.get_attribute("aria-label") or ""
    ambassador = next((a for a in on_map if a.name in name), None)
    assert ambassador, (
        f"not an ambassador's marker: {marker.evaluate('e => e.outerHTML')}"
    )
    expect(marker).to_have_accessible_name(
        fr("Ambassador: %(name)s, %(company)s")
        % {"name": ambassador.name, "company": ambassador.company}
    )
    first = page.locator("#search-map .ambassador-marker").first
    expect(first).to_be_focused()
    expect(page.locator("#search-map .ambassador-marker")).to_have_count(on_map.count())
    # WCAG 2.2's minimum target size (2.5.8): 24 by 24 CSS pixels.
    box = first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box

    popup = page.locator("#search-map .leaflet-popup")
    link = popup.get_by_role("link", name=ambassador.name)
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(first).to_be_focused()
    page.keyboard.press("Space")  # a button answers both keys
    expect(link).to_be_focused()
    # Leaflet names its close button in English whatever the page's language.
    page.keyboard.press("Tab")
    expect(popup.get_by_role("button", name=fr("Close popup"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(popup).to_have_count(0)
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(ambassador.get_absolute_url()) + "$"))
    assert visit.errors == []
