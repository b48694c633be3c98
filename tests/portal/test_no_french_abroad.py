"""The English and Dutch pages carry no French sentence outside proper names.

Every public page is read in each language as a visitor reads it: the
visible text, and what assistive technology reads out (alt, title,
aria-label, placeholder). An element that says it is French (lang="fr": a
name in the language menu, a text staff have not translated yet, which the
page then announces) is left out. French is spotted by its accents and its
most common small words, once the proper names below are taken out.
"""

import functools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, linebreaks

from ambassadors.models import Ambassador
from sites.compare import comparison_url
from sites.models import BusinessPark, Commune, Organisation, Plot
from stories.models import Sector, SuccessStory

pytestmark = pytest.mark.django_db

# Proper names a page may show in French whatever its language: institutions,
# places, venues, labels. Communes, organisations, parks, plots and the
# stations, ports and airports near them come from the database.
ALLOWED_NAMES = [
    "Pôle Métropolitain de l'Artois",
    "Maison Syndicale des mineurs",
    "rue Casimir Beugnet",
    "Parc d'innovation de l'Artois",
    "Territoire d'industrie",
    "Territoires d'industrie",
    "Communauté d'Agglomération",
    "Bruay-la-Buissière",
    "Université d'Artois",
    "Parc d'innovation",
    "Le Métaphone",
    "Métaphone",
    "Entreprises & Cités",
    "Hauts-de-France",
    "Béthune-Bruay Artois-Lys Romane",
    "Lens-Liévin",
    "Hénin-Carvin",
    "Défenseur des droits",
    "Libre réponse",
    "Code officiel géographique",
    "Français",  # the language's own name, in the language menus
    "Louvre-Lens",
    "Pas-de-Calais",
    "Deûle",
]
FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "au", "aux", "et", "est", "sont", "une",
    "pour", "avec", "dans", "sur", "qui", "que", "ou", "où", "ce", "cette",
    "ces", "nous", "vous", "notre", "votre", "nos", "vos", "pas", "par",
    "terrain", "terrains", "parc", "ici", "entreprise",
}  # fmt: skip
# Accents French has and English and Dutch do not (Dutch has ë and ï).
FRENCH_LETTERS = re.compile(r"[éèêàâçùûôîœ]", re.IGNORECASE)
ELISION = re.compile(r"\b[dlj]['’][aeiouyhéèê]", re.IGNORECASE)
WORD = re.compile(r"[\w’']+")
SKIPPED = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}  # fmt: skip
READ_OUT = ("alt", "title", "aria-label", "placeholder")
ACCESS_NAMES = ("station_name", "freight_station_name", "airport_name", "port_name")
ADDRESS = re.compile(r"https?://\S+|[\w.-]+\.(?:csv|geojson|zip|pdf)\b")
# Dutch writes a few words with French accents ("één uur", "vóór").
DUTCH_ACCENTS = re.compile(r"\b(?:één|eén|vóór|óók|hé)\b", re.IGNORECASE)


class VisibleText(HTMLParser):
    """Text a visitor sees or hears, outside elements that declare French."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, hidden from this check)
        self.texts = []

    def _hidden(self):
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = (
            self._hidden()
            or tag in SKIPPED
            or (attrs.get("lang") or "").startswith("fr")
        )
        if not hidden:
            self.texts += [attrs[name] for name in READ_OUT if attrs.get(name)]
        if tag not in VOID:
            self.open.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.texts.append(" ".join(data.split()))


def french_in(text, names):
    text = ADDRESS.sub(" ", text)  # addresses and file names are in French
    text = text.replace("’", "'")  # names are listed with straight apostrophes
    text = names_pattern(names).sub(" ", text)
    text = DUTCH_ACCENTS.sub(" ", text)
    words = {word.lower() for word in WORD.findall(text)}
    return bool(
        FRENCH_LETTERS.search(text) or ELISION.search(text) or words & FRENCH_WORDS
    )


@functools.cache
def names_pattern(names):
    """Whole names only: a commune's name may be a piece of another word."""
    alternatives = "|".join(map(re.escape, names))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def proper_names():
    names = [
        *Commune.objects.values_list("name", flat=True),
        *Organisation.objects.values_list("name", flat=True),
        *Organisation.objects.values_list("short_name", flat=True),
        *Plot.objects.values_list("name", flat=True),
        *BusinessPark.objects.values_list("name", flat=True),
        *(
            name
            for field in ACCESS_NAMES
            for name in BusinessPark.objects.values_list(field, flat=True)
        ),
        *ALLOWED_NAMES,
    ]
    return tuple(sorted({name for name in names if name}, key=len, reverse=True))


def public_pages():
    """Every public page: the fixed ones and each published item's."""
    names = [
        "portal:home",
        "sites:search",
        "ambassadors:list",
        "stories:sectors",
        "stories:stories",
        "stories:innovation",
        "leads:contact",
        "leads:privacy",
        "leads:thanks",
        "legal:notice",
        "legal:accessibility",
        "exchange:opendata",
    ]
    items = [
        *Plot.objects.published(),
        *BusinessPark.objects.published(),
        *Ambassador.objects.published(),
        *Sector.objects.published(),
        *SuccessStory.objects.published(),
    ]
    organisations = Organisation.objects.values_list("slug", flat=True)
    plot = Plot.objects.published().first()
    return [
        *(reverse(name) for name in names),
        reverse("sites:search") + "?surface_min=10",
        reverse("sites:search") + "?surface_min=100",  # the wider searches
        comparison_url([plot.slug for plot in Plot.objects.published()[:3]]),
        reverse("leads:project"),
        *(item.get_absolute_url() for item in items),
        *(reverse("sites:organisation", args=[slug]) for slug in organisations),
        reverse("leads:plot", args=[plot.slug]),
        reverse("leads:park", args=[plot.park.slug]),
    ]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_french_sentence_on_english_and_dutch_pages(client, content, language):
    names = proper_names()
    found = {}
    with translation.override("fr"):
        pages = public_pages()
    for page in pages:
        path = page.replace("/fr/", f"/{language}/", 1)
        response = client.get(path)
        assert response.status_code == 200, path
        parser = VisibleText()
        parser.feed(response.content.decode())
        french = [text for text in parser.texts if french_in(text, names)]
        if french:
            found[path] = french
    assert len(pages) > 40
    assert not found, "\n".join(f"{path}: {texts}" for path, texts in found.items())


def test_the_check_sees_french_and_lets_names_and_declared_french_pass():
    names = ("Parc d'innovation de l'Artois", "Béthune", "Eu")
    assert french_in("Zone industrielle au pied de l'A26.", names)
    assert french_in("Terrain de démonstration", names)
    assert french_in("Le parc est ici", names)
    assert not french_in("The Parc d'innovation de l'Artois at Béthune", names)
    assert not french_in("Een terrein in de buurt van Béthune", names)
    assert not french_in("Reuse the files zae-terrains.csv", names)
    assert not french_in("Eén kavel van één hectare", names)
    assert not french_in("Bij het Parc d’innovation de l’Artois", names)
    parser = VisibleText()
    parser.feed(
        '<p>English <span lang="fr">Texte en français</span> <img alt="Carte"></p>'
        "<script>var la = 1;</script><p>again</p>"
    )
    assert parser.texts == ["English", "Carte", "again"]


def test_a_text_left_untranslated_is_marked_french_and_says_so(client, demo):
    park = BusinessPark.objects.published().first()
    park.description_en = ""
    park.save()
    french = park.get_absolute_url()

    html = client.get(french.replace("/fr/", "/en/", 1)).content.decode()

    text = linebreaks(park.description_fr, autoescape=True)
    assert f'<div class="prose" lang="fr">{text}' in html
    assert "Not translated yet: this text is in French." in html
    dutch = client.get(french.replace("/fr/", "/nl/", 1)).content.decode()
    assert 'lang="fr"><p>' not in dutch
    assert "Nog niet vertaald" not in dutch


def test_an_untranslated_title_is_marked_french(client, content):
    sector = Sector.objects.published().first()
    sector.name_nl = ""
    sector.save()
    with translation.override("fr"):
        french = sector.get_absolute_url()

    html = client.get(french.replace("/fr/", "/nl/", 1)).content.decode()

    assert f'<h1 lang="fr">{escape(sector.name_fr)}</h1>' in html
    english = client.get(french.replace("/fr/", "/en/", 1)).content.decode()
    assert f"<h1>{escape(sector.name_en)}</h1>" in english
