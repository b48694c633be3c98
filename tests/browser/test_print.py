"""A plot page printed by Chromium: one A4 page, with the facts, the map drawn
whole, the contact person and the QR code, without the contact form."""

import io

from django.utils import translation
from pypdf import PdfReader

from sites.models import Contact, Plot


def gettext(message, language):
    with translation.override(language):
        return translation.gettext(message)


def printed(page):
    """The page as Chromium prints it (print media, A4), read back."""
    pdf = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(sheet.extract_text().split()) for sheet in reader.pages]


def sheets(page):
    """How many sheets the page prints on (the text is not read: it is the
    slow part of reading a PDF back)."""
    return len(
        PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages
    )


def test_every_plot_page_prints_on_one_page(browse):
    plots = list(Plot.objects.published().order_by("pk"))
    visit = browse()
    too_long = {}
    for plot in plots:
        visit.goto(plot.get_absolute_url())
        count = sheets(visit.page)
        if count != 1:
            too_long[plot.slug] = count
    assert too_long == {}
    assert visit.errors == []


def test_printed_sheet_has_map_contact_and_qr_code_but_no_form(browse):
    contact = (
        Contact.objects.filter(
            receives_leads=True, organisation__parks__plots__is_published=True
        )
        .order_by("pk")
        .first()
    )
    plot = (
        Plot.objects.published()
        .filter(park__organisation=contact.organisation)
        .order_by("-surface_ha")
        .first()
    )
    visit = browse()
    page = visit.page
    for language in ["fr", "en", "nl"]:
        with translation.override(language):
            url = plot.get_absolute_url()
            contact_name = contact.name  # in this language, where it has one
        visit.goto(url)
        pages = printed(page)
        assert len(pages) == 1, (url, len(pages))
        text = pages[0]
        assert " ".join(plot.name.split()) in text
        assert contact_name in text
        assert gettext("The plot at a glance", language) in text
        # Nothing of the form: neither its fields nor its button.
        assert gettext("Send my request", language) not in text
        page.emulate_media(media="print")
        # The drawn map shows instead of the tiled one, which paper would cut.
        assert page.locator(".print-map svg").is_visible()
        assert not page.locator("#plot-map").is_visible()
        assert page.locator(".print-qr .qr-code svg").is_visible()
        assert not page.locator("form.lead-form").is_visible()
        page.emulate_media(media="null")  # back to no emulation
    assert visit.errors == []


def test_a_long_plot_page_still_prints_on_one_page(browse):
    """A long name and description and four contact people: the text is cut
    on paper (the page has it all), the sheet stays one page."""
    plot = Plot.objects.published().order_by("pk").first()
    Plot.objects.filter(pk=plot.pk).update(
        name=("Terrain au nom " + "vraiment très long " * 10)[:200],
        description="\n\n".join(["Un paragraphe assez long. " * 25] * 6),
    )
    for number in range(4):
        Contact.objects.create(
            organisation=plot.park.organisation,
            name=f"Personne {number}",
            role="Chargée d'implantation des entreprises industrielles",
            email=f"personne{number}@example.org",
            phone="03 21 00 00 00",
            receives_leads=True,
        )
    visit = browse()
    visit.goto(plot.get_absolute_url())
    pages = printed(visit.page)
    assert len(pages) == 1
    assert "Personne 3" in pages[0]
    assert visit.errors == []
