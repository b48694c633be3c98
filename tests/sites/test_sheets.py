"""The plot sheet as a PDF: one A4 page per plot, in the page's language,
read back with pypdf."""

import io
import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db.models.functions import Length
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.drawings import outlines_svg
from core.units import UNITS_COOKIE
from sites import sheets
from sites.models import Plot

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


def pdf_pages(content):
    reader = PdfReader(io.BytesIO(content))
    return [
        (page.extract_text(), tuple(round(v) for v in page.mediabox[2:]))
        for page in reader.pages
    ]


def words(content):
    """Text as pypdf reads it back: line breaks and spacing may differ."""
    for space in ("\xa0", "\u202f"):
        content = content.replace(space, " ")
    return " ".join(content.split())


def text(message, language):
    with translation.override(language):
        return translation.gettext(message)


def contact_plot():
    """A published plot whose organisation has a lead contact."""
    for plot in Plot.objects.published().select_related("park__organisation"):
        contacts = plot.park.organisation.contacts.filter(receives_leads=True)
        if contacts.exists():
            return plot, contacts.first()
    raise AssertionError("no demo plot with a lead contact")


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_pdf_sheet_has_one_a4_page_with_name_surface_and_contact(
    client, demo, site_url, language
):
    plot, contact = contact_plot()
    with translation.override(language):
        url = reverse("sites:plot-sheet", args=[plot.slug])
        page_url = plot.get_absolute_url()
        surface_label = text("Surface", language)
        contact_name = contact.name  # in this language, where it has one
        # As the page writes it: "42 ha", "8,5 ha", "8.5 ha"...
        surface = words(f"{floatformat(plot.surface_ha, '-2g')} ha")
        heading = text("Contact the economic development team", language)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{plot.slug}.pdf"'
    )
    assert response["X-Robots-Tag"] == "noindex"
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    page_text, size = pages[0]
    assert size == A4_POINTS
    page_text = words(page_text)
    assert words(plot.name) in page_text
    assert surface_label in page_text
    assert surface in page_text
    assert words(heading) in page_text
    assert contact_name in page_text
    assert contact.email in page_text
    # The QR code's address is printed beside it, on the portal's public host.
    assert f"https://investinartois.fr{page_url}" in page_text.replace(" ", "")


def test_pdf_sheets_differ_by_language(client, demo):
    plot = Plot.objects.published().first()
    texts = {}
    for language in ["fr", "en", "nl"]:
        with translation.override(language):
            response = client.get(reverse("sites:plot-sheet", args=[plot.slug]))
        texts[language] = words(pdf_pages(response.content)[0][0])
        assert text("The plot at a glance", language) in texts[language]
    assert len(set(texts.values())) == 3


def test_a_description_not_translated_says_so_on_the_sheet(client, demo):
    # As on the plot's page: a French text on an English sheet is announced.
    plot = Plot.objects.published().first()
    Plot.objects.filter(pk=plot.pk).update(
        description_fr="Terrain plat et viabilisé.",
        description_en="",
        description_nl="",
    )
    with translation.override("en"):
        url = reverse("sites:plot-sheet", args=[plot.slug])
    english = words(pdf_pages(client.get(url).content)[0][0])
    assert "Terrain plat et viabilisé." in english
    assert "Not translated yet: this text is in French." in english
    with translation.override("fr"):
        url = reverse("sites:plot-sheet", args=[plot.slug])
    assert "Not translated" not in words(pdf_pages(client.get(url).content)[0][0])


def test_a_sheet_per_plot_in_one_document(demo, django_assert_max_num_queries):
    """The service a shortlist would use: N plots, N pages, in the order
    asked, in a few queries however many; the demo's longest descriptions
    among them."""
    slugs = list(
        Plot.objects.published()
        .order_by(Length("description").desc(), "pk")
        .values_list("slug", flat=True)[:3]
    )
    unpublished = Plot.objects.published().exclude(slug__in=slugs).first()
    Plot.objects.filter(pk=unpublished.pk).update(is_published=False)
    asked = [slugs[2], "no-such-plot", slugs[0], unpublished.slug, slugs[1]]
    with django_assert_max_num_queries(4):
        plots = sheets.selectors.plot_sheets(asked)
        pdf = sheets.plot_sheets_pdf(plots)
    assert [plot.slug for plot in plots] == [slugs[2], slugs[0], slugs[1]]
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    for plot, (page_text, size) in zip(plots, pages, strict=True):
        assert size == A4_POINTS
        assert words(plot.name) in words(page_text)


def test_a_long_description_and_name_stay_on_one_page(client, demo):
    plot = Plot.objects.published().first()
    Plot.objects.filter(pk=plot.pk).update(
        name=("Terrain " + "très long " * 19)[:200],
        description="\n\n".join(["Un paragraphe assez long. " * 30] * 8),
    )
    response = client.get(reverse("sites:plot-sheet", args=[plot.slug]))
    assert len(pdf_pages(response.content)) == 1


def test_the_sheet_is_cached_until_the_listings_change(
    client, demo, django_assert_num_queries
):
    plot = Plot.objects.published().first()
    url = reverse("sites:plot-sheet", args=[plot.slug])
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    plot.name = "Un nouveau nom pour la fiche"
    plot.save()
    changed = client.get(url)
    assert "Un nouveau nom pour la fiche" in words(pdf_pages(changed.content)[0][0])


def test_unknown_or_unpublished_plot_is_a_404(client, demo):
    plot = Plot.objects.published().first()
    Plot.objects.filter(pk=plot.pk).update(is_published=False)
    assert client.get(reverse("sites:plot-sheet", args=[plot.slug])).status_code == 404
    missing = reverse("sites:plot-sheet", args=["no-such-plot"])
    assert client.get(missing).status_code == 404


def test_a_plot_without_outline_or_contact_still_gets_its_sheet(demo):
    plot = sheets.selectors.plot_detail(Plot.objects.published().first().slug)
    plot.geom = None
    plot.park.perimeter = None
    plot.park.organisation.lead_contacts = []
    pages = pdf_pages(sheets.plot_sheets_pdf([plot]))
    assert len(pages) == 1
    assert words(plot.name) in words(pages[0][0])


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _classes(box):
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_nothing_is_cut_at_the_sheets_edge(demo, language):
    """A sheet hides what would run past its page (overflow: hidden): the
    map's frame, 100 % of its column wide plus its border, lost its right
    edge there. Every box of every sheet ends within the sheet (read from
    WeasyPrint's layout: its page boxes are not public API)."""
    with translation.override(language):
        plots = sheets.selectors.plot_sheets(
            Plot.objects.published().values_list("slug", flat=True)
        )
        document = sheets.plot_sheets_laid_out(plots)
    cut = []
    for page in document.pages:
        sheet = next(box for box in _boxes(page._page_box) if "sheet" in _classes(box))
        right = sheet.content_box_x() + sheet.width
        for box in _boxes(sheet):
            if hasattr(box, "border_width") and box.element is not None:
                end = box.position_x + box.margin_left + box.border_width()
                if end > right + 0.01:
                    cut.append((box.element_tag, _classes(box), round(end - right)))
    assert len(document.pages) == len(plots) > 3
    assert cut == []


def test_the_map_is_drawn_simplified_and_framed():
    """A 10,000-point outline is drawn with a few hundred points; the plot is
    framed within its park."""
    park = Polygon.from_bbox((650_000, 7_000_000, 652_000, 7_001_000))
    ring = [
        (651_000 + 300 * cos, 7_000_500 + 300 * sin) for cos, sin in _circle(10_000)
    ]
    plot = MultiPolygon(Polygon(ring + [ring[0]]))
    svg = outlines_svg([(park, "context"), (plot, "focus")], label="Carte <test>")
    assert 'aria-label="Carte &lt;test&gt;"' in svg
    assert "<test>" not in svg
    points = sum(len(d.split()) // 2 for d in re.findall(r' d="([^"]+)"', svg))
    assert 20 < points < 500
    view_box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg)[1].split()]
    left, top, width, height = view_box
    assert left < 650_000 and left + width > 652_000
    assert top < -7_001_000 and top + height > -7_000_000
    assert outlines_svg([(None, "context")], label="x") == ""


def _circle(count):
    import math

    return [
        (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


def test_the_sheet_is_in_the_visitors_units(client, demo):
    plot = Plot.objects.get(surface_ha=42)  # 103.8 acres, 18 €/m²
    with translation.override("en"):
        url = reverse("sites:plot-sheet", args=[plot.slug])
    metric = words(pdf_pages(client.get(url).content)[0][0])
    assert "42 ha (420,000 m²)" in metric
    assert "€18 excl. tax / m²" in metric
    assert "acres" not in metric and "sq ft" not in metric

    client.cookies[UNITS_COOKIE] = "imperial"
    # Kept apart from the metric sheet the cache holds.
    imperial = words(pdf_pages(client.get(url).content)[0][0])
    assert "103.8 acres (4,520,842 sq ft)" in imperial
    assert "€1.67 excl. tax / sq ft" in imperial
    assert " ha " not in imperial and "m²" not in imperial


def test_past_the_limit_a_new_sheet_is_refused_and_a_kept_one_served(
    client, demo, settings, monkeypatch
):
    # A sheet not kept yet takes seconds of layout: PLOT_SHEETS_PER_MINUTE
    # per client; the limit's clock is held in one minute for the test.
    from core import limits

    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_030.0)
    settings.PLOT_SHEETS_PER_MINUTE = 1
    first, second = Plot.objects.published().order_by("pk")[:2]
    assert client.get(reverse("sites:plot-sheet", args=[first.slug])).status_code == 200
    refused = client.get(reverse("sites:plot-sheet", args=[second.slug]))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30" and "no-store" in refused["Cache-Control"]
    assert "réessayez dans une minute" in refused.content.decode()
    # A kept sheet is anyone's without counting; an unknown plot stays a 404.
    assert client.get(reverse("sites:plot-sheet", args=[first.slug])).status_code == 200
    unknown = client.get(reverse("sites:plot-sheet", args=["no-such-plot"]))
    assert unknown.status_code == 404
    settings.PLOT_SHEETS_PER_MINUTE = 0
    assert (
        client.get(reverse("sites:plot-sheet", args=[second.slug])).status_code == 200
    )
