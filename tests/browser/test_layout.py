"""What the eye reads, in a real browser: the layout of forms, headings and
buttons that the markup's tests cannot see."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from ambassadors.models import Ambassador
from sites.models import Plot

from .conftest import PHONE

LAPTOP = {"width": 1280, "height": 800}

CHECKBOXES = """() => [...document.querySelectorAll("input[type=checkbox]")]
  .filter(box => box.offsetParent !== null && box.labels.length)
  // A box inside its label (the map's layer switch) is laid out with it.
  .filter(box => !box.labels[0].contains(box))
  .map(box => {
    const own = box.getBoundingClientRect();
    const name = box.labels[0].getBoundingClientRect();
    const middle = (own.top + own.bottom) / 2;
    return {
      id: box.id,
      // Right of the box, its first line level with it (a long name wraps).
      beside: name.left >= own.right - 1 &&
        middle > name.top - 4 && middle < name.top + 28,
      label: box.labels[0].textContent.trim(),
    };
  })"""


def test_each_checkbox_sits_beside_its_name(browse):
    """On the search form the filters' boxes sat alone on a line, their
    names centred under them with a colon (a rule for the other fields'
    stacked label and input won over the checkboxes' own): the box now
    comes first, its name right after it on the same line, without a colon.
    The contact form on a plot page and the alert form likewise."""
    plot = Plot.objects.published().order_by("pk").first()
    visit = browse()
    seen = []
    for path in (
        reverse("sites:search"),
        plot.get_absolute_url(),
        reverse("alerts:subscribe") + "?surface_min=2",
    ):
        visit.goto(path)
        boxes = visit.page.evaluate(CHECKBOXES)
        seen += boxes
        assert [box for box in boxes if not box["beside"]] == [], path
        assert [box for box in boxes if box["label"].endswith(":")] == [], path
    assert {"id_rail", "id_canal", "id_icpe"} <= {box["id"] for box in seen}
    assert visit.errors == []


OVERFLOWING = """() => [...document.querySelectorAll(".card")]
  .filter(card => card.scrollWidth > card.clientWidth + 1)
  .map(card => card.querySelector("h2, h3, a").textContent.trim())"""


def test_no_word_breaks_out_of_its_card(browse, demo_stories):
    """'The electromobility valley' ran out of its card on the sectors page,
    as a long Dutch or French word can: the card titles are a size smaller
    and a word longer than its card wraps."""
    for viewport in (LAPTOP, PHONE):
        visit = browse(viewport=viewport)
        for language in ("fr", "en", "nl"):
            with translation.override(language):
                paths = [
                    reverse("portal:home"),
                    reverse("stories:sectors"),
                    reverse("stories:stories"),
                    reverse("ambassadors:list"),
                ]
            for path in paths:
                visit.goto(path)
                assert visit.page.locator(".card").count() >= 3, path
                assert visit.page.evaluate(OVERFLOWING) == [], path
        assert visit.errors == []


CONTROLS = """() => [...document.querySelectorAll(
    "main input:not([type=hidden], [type=checkbox], [type=radio]), " +
    "main select, main textarea, main button"
  )]
  .filter(control => control.offsetParent !== null)
  .filter(control => !control.closest(".honeypot, .leaflet-container"))
  .map(control => ({
    control: control.name || control.id || control.textContent.trim(),
    font: parseFloat(getComputedStyle(control).fontSize),
    height: control.getBoundingClientRect().height,
  }))"""


def test_form_controls_are_big_enough_to_read_and_tap_on_a_phone(browse):
    """The alert's email field and button, the ambassadors' sector filter and
    the alert links' buttons were the browser's own 13px controls, about 20px
    high: hard to tap, and a phone zooms in on a field whose text is under
    16px. Every control of the public forms is in the page's own type and at
    least 24px high (WCAG 2.5.8)."""
    plot = Plot.objects.published().order_by("pk").first()
    visit = browse(viewport=PHONE)
    paths = [
        reverse("portal:home"),
        reverse("sites:search"),
        plot.get_absolute_url(),
        reverse("leads:contact"),
        reverse("alerts:subscribe") + "?surface_min=2",
        reverse("alerts:confirm", args=["token"]),
        reverse("alerts:unsubscribe", args=["token"]),
        reverse("ambassadors:list"),
    ]
    small, seen = {}, 0
    for path in paths:
        visit.goto(path)
        # The search's filters fold away on a phone: opened, as a visitor does.
        visit.page.evaluate(
            "document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        controls = visit.page.evaluate(CONTROLS)
        seen += len(controls)
        found = [c for c in controls if c["font"] < 16 or c["height"] < 24]
        if found:
            small[path] = found
    assert small == {}
    assert seen > 40
    assert visit.errors == []


CONTENT_LEFT = """() => {
  const main = document.querySelector("main");
  const padding = parseFloat(getComputedStyle(main).paddingLeft);
  return main.getBoundingClientRect().left + padding;
}"""


def test_the_filters_fold_under_a_heading_drawn_within_the_page(browse):
    """On a phone the search's filters fold under their heading: its
    disclosure triangle hung in the page's left margin, cut by the screen's
    edge. Nothing of it is drawn left of the page's text any more."""
    visit = browse(viewport=PHONE)
    visit.goto(reverse("sites:search"))
    summary = visit.page.locator("#filters > summary")
    assert visit.page.locator("#filters").evaluate("details => details.open") is False
    box = summary.bounding_box()
    margin = visit.page.screenshot(
        clip={
            "x": 0,
            "y": box["y"],
            "width": visit.page.evaluate(CONTENT_LEFT),
            "height": box["height"],
        }
    )
    image = Image.open(io.BytesIO(margin)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    assert {colour for _, colour in colours} == {(255, 255, 255)}
    assert visit.errors == []


# Where each item's text is (a flex item's own box may be stretched).
MIDDLES = """(row) => [...row.children].map(item => {
  const text = document.createRange();
  text.selectNodeContents(item);
  const box = text.getBoundingClientRect();
  return Math.round(box.top + box.height / 2);
})"""


def test_a_plots_actions_stand_on_one_line(browse):
    """On a laptop a plot's 'Add to comparison' link stood above the middle of
    the two buttons beside it, at their top edge: the three are level."""
    plot = Plot.objects.published().order_by("pk").first()
    visit = browse(viewport=LAPTOP)
    visit.goto(plot.get_absolute_url())
    middles = visit.page.locator(".listing-header .actions").evaluate(MIDDLES)
    assert len(middles) == 3
    assert max(middles) - min(middles) <= 1, middles
    assert visit.errors == []


QUOTE_STYLE = """(quote) => {
  const style = getComputedStyle(quote);
  return [style.borderLeft, style.fontStyle, style.marginLeft, style.paddingLeft];
}"""


def test_an_ambassadors_quote_looks_the_same_on_their_page(browse):
    """An ambassador's quote on their own page was the browser's plain
    blockquote, indented 40px on both sides without a mark; it is drawn as on
    the cards of the list: a blue rule, in italics."""
    ambassador = Ambassador.objects.published().order_by("pk").first()
    visit = browse(viewport=PHONE)
    visit.goto(reverse("ambassadors:list"))
    on_card = visit.page.locator(".card blockquote").first.evaluate(QUOTE_STYLE)
    visit.goto(ambassador.get_absolute_url())
    on_page = visit.page.locator("main blockquote").evaluate(QUOTE_STYLE)
    assert on_page == on_card
    assert on_card[0].startswith("3px solid")
    assert visit.errors == []


def shadowed_rows(box):
    """The share of the pixel rows of a scrolling box whose last-but-one
    column is grey: the edge shadow, not the page's white, a highlighted
    row's yellow or a cell's text, which leave the right edge mostly alone."""
    image = Image.open(io.BytesIO(box.screenshot())).convert("RGB")
    x = image.width - 2
    grey = [y for y in range(image.height) if image.getpixel((x, y))[0] < 240]
    return len(grey) / image.height


def test_a_wide_table_scrolls_in_its_box_with_a_shadow_where_columns_hide(browse):
    """On a phone the comparison of four plots, a park's plots and the open
    data files are wider than the screen: each scrolls sideways in its own
    box, the page never does. Nothing told that more columns hid past the
    right edge (the comparison cut its second plot between two columns): a
    shadow at that edge says so, and goes once the table is scrolled to
    its end."""
    plots = Plot.objects.published().order_by("pk")[:4]
    park = max({plot.park for plot in plots}, key=lambda park: park.plots.count())
    with translation.override("fr"):
        paths = {
            reverse("sites:compare") + "?p=" + ",".join(p.slug for p in plots): (
                ".compare-scroll"
            ),
            park.get_absolute_url(): ".table-scroll",
            reverse("exchange:opendata"): ".table-scroll",
        }
    visit = browse(viewport=PHONE)
    for path, selector in paths.items():
        visit.goto(path)
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
        box = visit.page.locator(selector)
        hidden = box.evaluate("(box) => box.scrollWidth - box.clientWidth")
        assert hidden > 100, path
        assert shadowed_rows(box) > 0.8, path
        box.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
        assert shadowed_rows(box) < 0.2, path
    assert visit.errors == []


def a_jpeg(name, size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


PHOTO_BOXES = """() => [...document.querySelectorAll(".photos img, .portrait img")]
  .map((img) => {
    const box = img.getBoundingClientRect();
    return {
      src: img.getAttribute("src"),
      box: [Math.round(box.width), Math.round(box.height)],
      right: box.right,
      natural: [img.naturalWidth, img.naturalHeight],
      fit: getComputedStyle(img).objectFit,
    };
  })"""


def test_photos_of_any_shape_keep_theirs_and_their_place_on_a_phone(
    browse, settings, tmp_path
):
    """A wide ambassador portrait was drawn at its file's width, 2,400 px: the
    page scrolled sideways on a phone (a tall one too); a tall plot photo
    filled four screens. Each photo is within the page, a very tall or wide
    one shown whole and unstretched within bounds, and its box is the same
    before and after its file comes (no layout shift)."""
    settings.MEDIA_ROOT = tmp_path
    plot = Plot.objects.published().order_by("pk").first()
    plot.photos.create(image=a_jpeg("tall.jpg", (600, 2400)))
    plot.photos.create(image=a_jpeg("wide.jpg", (2400, 400)))
    plot.park.photos.create(image=a_jpeg("tall.jpg", (600, 2400)))
    wide, tall = Ambassador.objects.published().order_by("pk")[:2]
    for ambassador, size in ((wide, (2400, 600)), (tall, (600, 2400))):
        ambassador.photo = a_jpeg("portrait.jpg", size)
        ambassador.save()
    paths = [
        plot.get_absolute_url(),
        plot.park.get_absolute_url(),
        wide.get_absolute_url(),
        tall.get_absolute_url(),
    ]
    visit = browse(viewport=PHONE)
    page = visit.page
    held = []

    def hold(route):
        held.append(route)

    page.route("**/media/**", hold)
    for path in paths:
        # The photos' files held back: the boxes as laid out before they come.
        page.goto(visit.base_url + path, wait_until="domcontentloaded")
        page.wait_for_function(
            "() => [...document.querySelectorAll('link[rel=stylesheet]')]"
            ".every((link) => link.sheet)"
        )
        before = page.evaluate(PHOTO_BOXES)
        assert before, path
        while held:
            held.pop().continue_()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.photos img, .portrait img')]"
            ".filter((img) => img.loading !== 'lazy').every((img) => img.complete)"
        )
        after = page.evaluate(PHOTO_BOXES)
        assert [p["box"] for p in after] == [p["box"] for p in before], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        for photo in after:
            assert photo["right"] <= 390 and photo["box"][1] <= 32 * 16, photo
            if photo["natural"][0]:
                natural = photo["natural"][0] / photo["natural"][1]
                shown = photo["box"][0] / photo["box"][1]
                assert abs(shown / natural - 1) < 0.02 or photo["fit"] == "contain"
    page.unroute("**/media/**")
    assert visit.errors == []
