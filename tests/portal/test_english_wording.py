"""The English pages read as a native speaker writes them: the English
catalogue gives its own wording where a msgid reads as translated from French,
and keeps each msgid's placeholders."""

import gettext
import html as entities
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sites import sheets
from sites.models import Plot
from tests.sites.test_sheets import pdf_pages, words

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def english(message):
    with translation.override("en"):
        return translation.gettext(message)


def test_every_english_translation_keeps_its_placeholders():
    mo = Path(settings.BASE_DIR, "locale", "en", "LC_MESSAGES", "django.mo")
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    changed = {}
    for key, text in catalogue.items():
        if isinstance(key, tuple) or not key:  # plurals: their forms differ
            continue
        msgid = key.rpartition("\x04")[2]
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid)):
            changed[msgid] = text
    assert changed == {}


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        (
            "Be told by email when a plot matching this search comes on the market",
            "Get an email when a plot matching this search comes on the market",
        ),
        (
            "Too many plot sheets asked for from your address: try again in a minute.",
            "Too many plot sheets requested from your address: try again in a minute.",
        ),
        ("Online listing: %(url)s", "View online: %(url)s"),
        ("No plot matches these filters.", "No plots match these filters."),
        ("Minimum surface (ha)", "Minimum area (ha)"),
        ("Tertiary", "Offices and services"),
        ("Commercial", "Retail"),
        (
            "Motorway (distance to the interchange)",
            "Motorway (distance to the junction)",
        ),
        (
            "held: not sent to the developers",
            "held: not sent to the economic developers",
        ),
    ],
)
def test_english_says_it_plainly(msgid, expected):
    assert english(msgid) == expected


def test_the_leads_digest_says_the_leads_need_attention():
    with translation.override("en"):
        body = translation.gettext("Hello,\n\nThese leads of %(name)s need a look.")
    assert body % {"name": "CALL"} == "Hello,\n\nThese leads for CALL need attention."


def test_the_home_page_ranks_the_artois_as_its_source_does(client, demo):
    html = entities.unescape(client.get("/en/").content.decode())
    assert "France's 7th largest urban area" in html
    assert "7th French agglomeration" not in html


def test_the_plot_page_explains_its_labour_pool_once(client, demo):
    with translation.override("en"):
        url = Plot.objects.published().first().get_absolute_url()
    html = client.get(url).content.decode()
    assert html.count("Municipal population (INSEE legal population") == 1
    assert "Somme departments" in html and "départements" not in html


def test_the_search_page_offers_an_email_alert(client, demo):
    with translation.override("en"):
        url = reverse("sites:search")
    html = client.get(url).content.decode()
    assert "Get an email when a plot matching this search comes on the market" in html
    assert "Be told" not in html


def test_the_english_plot_sheet_links_to_the_page_online(client, demo):
    with translation.override("en"):
        url = reverse("sites:plot-sheet", args=[Plot.objects.published()[0].slug])
        refused = str(sheets.SHEETS_REFUSED)
    page_text = words(pdf_pages(client.get(url).content)[0][0])
    assert "View online:" in page_text and "Online listing" not in page_text
    assert "requested from your address" in refused
