"""The portal's pages under their Content Security Policy (the one every
environment sends, tests included): no violation, no console error, maps that
draw; and axe-core's WCAG 2.1 A/AA rules on the content pages."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from ambassadors.models import Ambassador
from sites.models import Plot
from stories.models import Sector, SuccessStory

from .conftest import AXE, PHONE
from .search_map import wait_for_search_map
from .test_journey import axe_violations, report

# Registered before any page script: every violation the policy reports.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective}: ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""

# A map that works: Leaflet set up, its background drawn, something on it.
MAP_DRAWN = """() => {
  const map = document.querySelector(".leaflet-container");
  return Boolean(
    map &&
    map.querySelector(".leaflet-tile-loaded") &&
    map.querySelector(".leaflet-marker-icon, path.leaflet-interactive")
  );
}"""


def script_src(response):
    """The page's script-src directive: its policy is there, and strict."""
    policy = response.header_value("content-security-policy") or ""
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";")
    )
    assert "'self'" in directives["script-src"], policy
    return directives["script-src"]


@pytest.fixture
def content(site, demo_stories):
    with_story = SuccessStory.objects.published().order_by("pk").first()
    return {
        "plot": Plot.objects.published().order_by("pk").first(),
        "ambassador": Ambassador.objects.published().order_by("pk").first(),
        "sector": Sector.objects.published().order_by("pk").first(),
        "story": with_story,
    }


def test_pages_under_the_csp_without_violation_or_error(browse, content):
    pages = {
        "home": "/fr/",
        "search": reverse("sites:search"),
        "plot": content["plot"].get_absolute_url(),
        "ambassadors": reverse("ambassadors:list"),
        "ambassador": content["ambassador"].get_absolute_url(),
        "innovation park": reverse("stories:innovation"),
        "legal notice": reverse("legal:notice"),
        "accessibility": reverse("legal:accessibility"),
        "privacy": reverse("leads:privacy"),
    }
    visit = browse()
    page = visit.page
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    violations, maps = {}, []
    for name, path in pages.items():
        response = visit.goto(path)
        assert "'unsafe" not in script_src(response), name
        if name == "search":
            wait_for_search_map(page)
        if page.locator(".leaflet-container").count():
            maps.append(name)
            page.wait_for_function(MAP_DRAWN)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("() => window.cspViolations")
        if found:
            violations[name] = found
    assert violations == {}
    assert visit.errors == []
    assert {"search", "plot", "innovation park"} <= set(maps), maps
    expect(page.locator("footer")).to_be_visible()


def test_content_pages_have_no_wcag_21_a_or_aa_violation(browse, content):
    pages = {
        "ambassadors": reverse("ambassadors:list"),
        "ambassador": content["ambassador"].get_absolute_url(),
        "innovation park": reverse("stories:innovation"),
        "sectors": reverse("stories:sectors"),
        "sector": content["sector"].get_absolute_url(),
        "success stories": reverse("stories:stories"),
        "success story": content["story"].get_absolute_url(),
        "legal notice": reverse("legal:notice"),
        "accessibility": reverse("legal:accessibility"),
        "privacy": reverse("leads:privacy"),
    }
    visit = browse()
    visit.page.context.add_init_script(path=AXE)
    found = {}
    for name, path in pages.items():
        visit.goto(path)
        if visit.page.locator(".leaflet-container").count():
            visit.page.wait_for_function(MAP_DRAWN)
        violations = axe_violations(visit.page)
        if violations:
            found[name] = report(violations)
    assert not found, "\n\n".join(
        f"== {name}: {pages[name]}\n{found[name]}" for name in found
    )
    assert visit.errors == []


def public_pages(content):
    """Every kind of public page, by its address in the active language."""
    plot = content["plot"]
    compared = Plot.objects.published().order_by("pk")[:4]
    return {
        "home": reverse("portal:home"),
        "search": reverse("sites:search"),
        "plot": plot.get_absolute_url(),
        "park": plot.park.get_absolute_url(),
        "organisation": reverse(
            "sites:organisation", args=[plot.park.organisation.slug]
        ),
        "compare": reverse("sites:compare")
        + "?p="
        + ",".join(sorted(p.slug for p in compared)),
        "alert": reverse("alerts:subscribe") + "?surface_min=2",
        "ambassadors": reverse("ambassadors:list"),
        "ambassador": content["ambassador"].get_absolute_url(),
        "sectors": reverse("stories:sectors"),
        "sector": content["sector"].get_absolute_url(),
        "success stories": reverse("stories:stories"),
        "success story": content["story"].get_absolute_url(),
        "innovation park": reverse("stories:innovation"),
        "open data": reverse("exchange:opendata"),
        "legal notice": reverse("legal:notice"),
        "privacy": reverse("leads:privacy"),
        "accessibility": reverse("legal:accessibility"),
        "contact": reverse("leads:contact"),
    }


def test_no_page_scrolls_sideways_on_a_phone(browse, content):
    """A wide table (the open data's files, a park's plots) scrolls in its own
    box on a phone; the page itself never scrolls sideways (WCAG 1.4.10,
    reflow), in any language: a Dutch word longer than the screen is wide
    ('Toegankelijkheidsverklaring', the accessibility statement's title)
    breaks rather than widening the page."""
    visit = browse(PHONE)
    too_wide = {}
    for language in ["fr", "en", "nl"]:
        with translation.override(language):
            pages = public_pages(content)
        for name, path in pages.items():
            visit.goto(path)
            width = visit.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{name} {language}"] = width
    assert visit.errors == []
    for language in ["fr", "en", "nl"]:
        visit.page.goto(f"{visit.base_url}/{language}/nulle-part/")
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[f"not found {language}"] = width
    assert too_wide == {}


def test_call_to_action_links_look_like_buttons(browse, content):
    """A page's main link ("See the matching plots", "Find land" on the page
    not found) is drawn as the portal's blue button, as on the plot pages;
    without the listings' stylesheet it was a plain underlined link, next to
    another one on the page not found."""
    pages = {
        "sector": content["sector"].get_absolute_url(),
        "success story": content["story"].get_absolute_url(),
        "not found": "/fr/nulle-part/",
    }
    visit = browse()
    plain = {}
    for name, path in pages.items():
        visit.page.goto(visit.base_url + path)
        buttons = visit.page.locator("main a.button")
        expect(buttons.first).to_be_visible()
        backgrounds = buttons.evaluate_all(
            "links => links.map((link) => getComputedStyle(link).backgroundColor)"
        )
        if set(backgrounds) != {"rgb(11, 90, 138)"}:
            plain[name] = backgrounds
    assert plain == {}


def test_form_buttons_are_the_portals_blue_buttons(browse, content):
    """A form's button is the portal's blue button wherever it is: "Send my
    request" under the search's wider-search form was the browser's grey one
    (the button's style came with the listings' stylesheet, which the search
    page does not load) and on a plot page kept the browser's bevelled border;
    the alert's and the ambassadors' filter's were grey too."""
    with translation.override("en"):
        pages = {
            "search without results": reverse("sites:search") + "?surface_min=5000",
            "plot": content["plot"].get_absolute_url(),
            "contact": reverse("leads:contact"),
            "alert": reverse("alerts:subscribe") + "?surface_min=2",
            "ambassadors": reverse("ambassadors:list"),
        }
    visit = browse()
    looks = {}
    for name, path in pages.items():
        visit.goto(path)
        buttons = visit.page.locator("main button[type=submit]:visible")
        expect(buttons.first).to_be_visible()
        styles = buttons.evaluate_all(
            """buttons => buttons.map((button) => {
              const style = getComputedStyle(button);
              return `${style.backgroundColor} border ${style.borderTopWidth}`;
            })"""
        )
        if set(styles) != {"rgb(11, 90, 138) border 0px"}:
            looks[name] = styles
    assert looks == {}
    assert visit.errors == []
