"""The report's content says what the PMA's 2022 activity report says, no more,
in each language, and names its source wherever it gives figures."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ambassadors.demo import PORTRAITS, ambassadors_demo_load
from ambassadors.demo import SUPERSEDED as PORTRAITS_SUPERSEDED
from ambassadors.models import Ambassador
from sites.demo import PARKS, demo_load
from sites.demo import SUPERSEDED as PARKS_SUPERSEDED
from sites.models import BusinessPark
from stories.demo import SECTORS, STORIES, SUPERSEDED, stories_demo_load
from stories.models import REPORT_2022, Sector, SuccessStory

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "en", "nl"]


def texts(items):
    for item in items:
        for name, value in item.items():
            if isinstance(value, str) and name.endswith(("_fr", "_en", "_nl")):
                yield name, value


@pytest.mark.parametrize("items", [SECTORS, STORIES, PORTRAITS], ids=str)
def test_no_text_gives_another_population_than_the_shown_one(items):
    """The home and organisation pages show the INSEE legal population (642,834
    in 2023); the report's rounded 650,000 of 2022 read as a second figure."""
    for name, value in texts(items):
        assert not re.search(r"650[\s.,\xa0]?000", value), (name, value)


def test_the_report_content_names_no_place_the_sources_do_not():
    """Delta 3 and digital creation at the 9-9 bis are in neither the report
    nor DOMAIN.md; short supply chains neither; Leforest is the one reconverted
    site the report names, not one of several "friches"."""
    for name, value in texts(SECTORS + STORIES):
        for unsourced in (
            "Delta 3",
            "numérique",
            "digital",
            "circuits courts",
            "friches",
        ):
            assert unsourced not in value, (name, value)


def test_the_demo_portraits_state_no_fact_about_a_real_place():
    """The portraits are invented; their quotes called the 9-9 bis a former
    pithead, which no source says."""
    for name, value in texts(PORTRAITS):
        assert "9-9 bis" not in value, (name, value)


def test_the_demo_parks_dutch_says_what_french_says_of_the_9_9_bis():
    """French and English place the Oignies site at the 9-9 bis; Dutch added
    "former mine site", which no source says."""
    (oignies,) = [p for p in PARKS if p.commune == "Oignies"]
    assert "site du 9-9 bis" in oignies.description
    assert "terrein van de 9-9 bis" in oignies.description_nl
    assert "mijn" not in oignies.description_nl


@pytest.mark.parametrize(
    "language, planned", [("fr", "prévu"), ("en", "planned|Due"), ("nl", "gepland")]
)
def test_what_the_report_announced_for_2023_is_said_to_be_planned(language, planned):
    """Read in 2026, 'Production from 2023' or 'In service at the end of 2023'
    claims what the 2022 report only announced."""
    for story in STORIES:
        for line in story[f"figures_{language}"].splitlines():
            if "2023" in line:
                assert re.search(planned, line), (story["slug"], line)


def test_no_story_is_dated_after_its_report():
    """Leforest and Vivalley were shown as '2023', the year the 2022 report
    only planned their opening for."""
    assert {story["year"] for story in STORIES} == {2022}


def test_the_317_ha_are_offered_to_every_investor_not_only_industry():
    """The report offers them for the innovation park, industrial parks,
    logistics hub and offices alike."""
    industry = next(s for s in SECTORS if s["slug"] == "industrie-du-futur")
    assert (
        "317 hectares de foncier sont disponibles pour les investisseurs"
        in (industry["body_fr"])
    )
    assert "industrial projects" not in industry["body_en"]
    assert "industriële projecten" not in industry["body_nl"]


def test_a_reload_corrects_the_old_wording_but_keeps_staffs(demo_stories):
    leforest = SuccessStory.objects.get(slug="parc-solaire-leforest")
    old = SUPERSEDED["parc-solaire-leforest"]
    SuccessStory.objects.filter(pk=leforest.pk).update(
        figures_fr=old["figures_fr"],
        body_en=old["body_en"],
        body_nl="Edited",
        year=old["year"],
    )
    Sector.objects.filter(slug="agriculture-durable").update(
        summary_fr=SUPERSEDED["agriculture-durable"]["summary_fr"]
    )
    assert stories_demo_load() == 0
    leforest.refresh_from_db()
    story = next(s for s in STORIES if s["slug"] == "parc-solaire-leforest")
    assert leforest.figures_fr == story["figures_fr"]
    assert "Mise en service prévue fin 2023" in leforest.figures_fr
    assert leforest.body_en == story["body_en"]
    assert leforest.body_nl == "Edited"
    assert leforest.year == 2022
    sector = Sector.objects.get(slug="agriculture-durable")
    assert "650" not in sector.summary_fr


def test_a_reload_corrects_the_demo_portraits_and_parks_old_wording(demo):
    old = PORTRAITS_SUPERSEDED["demo-agricultrice"]
    Ambassador.objects.filter(slug="demo-agricultrice").update(
        quote_fr=old["quote_fr"], quote_nl="Bewerkt"
    )
    name = "Plate-forme multimodale Delta 3"
    BusinessPark.objects.filter(name=name).update(
        description_en=PARKS_SUPERSEDED[name]["description_en"]
    )
    ambassadors_demo_load()
    demo_load()
    farmer = Ambassador.objects.get(slug="demo-agricultrice")
    portrait = next(p for p in PORTRAITS if p["slug"] == "demo-agricultrice")
    assert farmer.quote_fr == portrait["quote_fr"]
    assert farmer.quote_nl == "Bewerkt"
    park = next(p for p in PARKS if p.name == name)
    assert BusinessPark.objects.get(name=name).description_en == park.description_en


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["stories:sectors", "stories:stories"])
def test_the_lists_name_the_source_of_their_figures(client, content, language, page):
    """Each item's own page names the report; the lists showed its figures
    (2.5 billion euros, 5 million visitors...) without it."""
    with translation.override(language):
        html = client.get(reverse(page)).content.decode()
    source = REPORT_2022.replace("'", "&#x27;")
    assert html.count(f'<cite lang="fr">{source}</cite>') == 1
