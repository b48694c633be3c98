"""The home and the legal notice say of the territory what the PMA's 2022
activity report says, in each language."""

import html as entities
import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# The report's land offer: "des sites de premier plan ... sur le parc
# d'innovation, les parcs d'industrie, le hub logistique et les espaces
# tertiaires du territoire"; nothing of a rail or canal link to the hub.
LAND_OFFER = {
    "fr": ("Du foncier prêt pour vos projets", "un hub logistique", "tertiaires"),
    "en": ("Land ready for projects", "a logistics hub,", "office space"),
    "nl": ("Grond klaar voor uw project", "een logistiek knooppunt,", "kantoorruimte"),
}


@pytest.mark.parametrize("language", LAND_OFFER)
def test_the_home_offers_the_land_the_report_offers(client, demo, language):
    page = entities.unescape(client.get(f"/{language}/").content.decode())
    heading, hub, offices = LAND_OFFER[language]
    (reason,) = re.findall(rf"<li><strong>{heading}</strong>([^<]*)</li>", page)
    assert hub in reason and offices in reason
    assert not re.search(r"rail|canal|spoor|kanaal", reason), reason


@pytest.mark.parametrize(
    "language, publishers",
    [
        ("fr", "Pôle Métropolitain de l’Artois, ses trois agglomérations et le SIZIAF"),
        ("en", "Pôle Métropolitain de l'Artois, its three agglomerations and SIZIAF"),
        ("nl", "Pôle Métropolitain de l'Artois, zijn drie agglomeraties en SIZIAF"),
    ],
)
def test_the_legal_notice_does_not_count_siziaf_among_the_pmas_members(
    client, language, publishers
):
    """SIZIAF publishes its park's plots but is not a member of the PMA (the
    three agglomerations and the Département du Pas-de-Calais)."""
    with translation.override(language):
        url = reverse("legal:notice")
    page = entities.unescape(client.get(url).content.decode())
    assert publishers in page
    assert not re.search(r"et ses membres|and its members|en zijn leden", page)
