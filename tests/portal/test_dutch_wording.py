"""The Dutch pages read as a Dutch or Flemish copy editor writes them: one word
per thing, the reader addressed as "u", no French calques, and each msgid's
placeholders kept."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ambassadors.demo import PORTRAITS
from sites.demo import CONTACTS, PARKS
from stories.demo import INNOVATION_PARK, INNOVATION_SITES, SECTORS, STORIES

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def catalogue():
    mo = Path(settings.BASE_DIR, "locale", "nl", "LC_MESSAGES", "django.mo")
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def singulars():
    """(msgid, Dutch) of each entry that has no plural forms."""
    for key, text in catalogue().items():
        if key and not isinstance(key, tuple):
            yield key.rpartition("\x04")[2], text


def dutch(message):
    with translation.override("nl"):
        return translation.gettext(message)


def test_every_dutch_translation_keeps_its_placeholders():
    changed = {
        msgid: text
        for msgid, text in singulars()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid))
    }
    assert changed == {}


def test_the_reader_is_always_addressed_as_u():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    texts = [text for _key, text in catalogue().items() if text]
    assert [text for text in texts if informal.search(text)] == []


@pytest.mark.parametrize(
    ("english_word", "dutch_word", "not_said"),
    [
        # 'Economische ontwikkelaar' calques 'développeur économique'; a Dutch
        # reader takes an 'ontwikkelaar' for a property developer.
        ("economic developer", "adviseur", "ontwikkelaar"),
        ("developers", "adviseurs economische ontwikkeling", "ontwikkelaar"),
        # The park's boundary, as the plot's is its 'omtrek'.
        ("perimeter", "begrenzing", "perimeter"),
        ("at most", "maximaal", "hoogstens"),
    ],
)
def test_one_dutch_word_per_thing(english_word, dutch_word, not_said):
    texts = {
        msgid: text
        for msgid, text in singulars()
        if re.search(rf"\b{english_word}\b", msgid, re.IGNORECASE)
    }
    assert texts
    assert {
        msgid: text
        for msgid, text in texts.items()
        if dutch_word not in text.lower() or not_said in text.lower()
    } == {}


def test_quotations_open_and_close_the_same_way():
    """“…” throughout, not „…” in some messages and "…" in others."""
    odd = [text for _key, text in catalogue().items() if "„" in text]
    assert odd == []


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Legal notice", "Colofon"),
        ("Under option", "Onder optie"),
        ("Labour pool", "Arbeidspotentieel"),
        ("Other", "Overig"),
        ("Tertiary", "Kantoren en dienstverlening"),
        (
            "Motorway (distance to the interchange)",
            "Snelweg (afstand tot de aansluiting)",
        ),
        ("economic pole", "cluster van bedrijventerreinen"),
        (
            "Invest in the Artois, the territory of the eco-transition",
            "Investeer in Artois, de regio van de ecologische transitie",
        ),
    ],
)
def test_dutch_says_it_plainly(msgid, expected):
    assert dutch(msgid) == expected


def test_the_legal_notice_is_a_colophon(client, db):
    with translation.override("nl"):
        url = reverse("legal:notice")
    html = client.get(url).content.decode()
    assert "<h1>Colofon</h1>" in html
    assert "Wettelijke vermeldingen" not in html and "ontwikkelaar" not in html


def demo_dutch_texts():
    """Every Dutch text the demo and the 2022 report's pages load."""
    records = [*PORTRAITS, *SECTORS, *STORIES, INNOVATION_PARK]
    records += [venue for _commune, _name, venue in INNOVATION_SITES]
    yield from (v for r in records for k, v in r.items() if k.endswith("_nl"))
    yield from (park.description_nl for park in PARKS)
    yield from (names[2] for names, _email in CONTACTS.values())


@pytest.mark.parametrize(
    "said",
    [
        "perce",  # a plot is a 'kavel', as on every page
        "ontwikkelaar",
        "ecotransitie",
        "het gebied",  # the territory is 'de regio' (or Artois)
        "kmo",  # Flemish only; NL says 'mkb'
        "O&O",  # Flemish only; both say R&D
        "tegen 20",  # 'd'ici 2030' is 'in 2030'
        "gezinnen",  # households, as energy use is counted in both countries
        "vallei van de",  # 'elektromobiliteitsvallei'
        " je ",
    ],
)
def test_the_dutch_demo_and_report_texts_avoid(said):
    assert [text for text in demo_dutch_texts() if said in text] == []
