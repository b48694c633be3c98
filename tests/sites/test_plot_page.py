import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sites import geography
from sites.models import Contact, Organisation, Plot, PlotPhoto
from tests.factories import PlotFactory
from tests.sites.pages import (
    HOSTILE,
    assert_hostile_text_escaped,
    count_queries,
    headings_in_order,
    map_data,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plot(demo):
    # Parc des Industries Artois-Flandres, lot 1: SIZIAF, divisible, SEVESO.
    return Plot.objects.get(surface_ha=42)


def test_shows_what_a_site_selector_asks(client, plot):
    html = text(client.get(plot.get_absolute_url()))
    for fact in [
        plot.reference,
        "Douvrin (62)",
        "42 ha (420 000 m²)",
        "103,8 acres (4 520 842 sq ft)",
        str(plot.get_marketing_stage_display()),
        str(plot.get_development_stage_display()),
        "Clé en main",
        "lot minimal",
        "5 ha (50 000 m²)",
        "Zonage (PLU)",
        "ICPE",
        "SEVESO",
        "18 € HT / m²",
    ]:
        assert fact in html, fact
    # "Prix hors taxes : 18 € HT / m²" said it twice.
    assert "<dt>Prix</dt>" in html and "Prix hors taxes" not in html


def test_price_on_request(client, plot):
    Plot.objects.filter(pk=plot.pk).update(price_per_m2=None)
    assert "sur demande" in text(client.get(plot.get_absolute_url()))


def test_facts_are_a_definition_list_under_ordered_headings(client, plot):
    response = client.get(plot.get_absolute_url())
    assert '<dl class="facts">' in response.content.decode()
    assert headings_in_order(response)


def test_shows_the_park_networks_and_access(client, plot):
    html = text(client.get(plot.get_absolute_url()))
    for fact in [
        "Eau potable",
        "Assainissement",
        "Gaz naturel",
        "oui, 40 MVA disponibles",
        "Fibre optique",
        "Embranchement ferroviaire (ITE)",
        "Quai fluvial",
        "A21, <span",
        "2,5 km",
        "1,6 mi",
        "La Bassée - Violaines",
        "Don-Sainghin",
        "Lille-Lesquin",
        "Port de Lille",
    ]:
        assert fact in html, fact


def test_straight_line_distances_say_so_in_km_and_miles(client, plot):
    response = client.get(plot.get_absolute_url())
    html = text(response)
    assert "Distances à vol d’oiseau" in html
    for distance in response.context["distances"]:
        assert str(distance.place.name) in html
        assert f"{distance.km:.0f} km" in html
        assert f"{distance.km * 0.621371:.0f} mi" in html
    lille = response.context["distances"][0]
    assert lille.place.slug == "lille"
    assert 15 < lille.km < 30


def test_labour_pool_is_shown(client, plot):
    response = client.get(plot.get_absolute_url())
    near, far = response.context["labour_pool"]
    assert (near, far) == tuple(geography.labour_pool(plot.geom))
    html = text(response)
    assert f"{near.inhabitants:,}".replace(",", " ") in html
    assert f"{far.inhabitants:,}".replace(",", " ") in html
    assert "(population légale 2023, Insee) des communes françaises" in html
    assert "les communes belges ne sont pas comptées" in html
    crossing = [c for c in (near, far) if c.reaches_belgium]
    assert far in crossing  # every plot of the territory has Belgium within 45 km
    note = "Communes françaises seulement : ce rayon s’étend jusqu’en Belgique."
    assert html.count(note) == len(crossing)


def test_map_gets_wgs84_geojson_and_an_accessible_name(client, plot):
    response = client.get(plot.get_absolute_url())
    html = response.content.decode()
    assert (
        'id="plot-map" class="map" data-map="plot-map-options" '
        'role="region" aria-label="'
    ) in html
    assert "js/plot-map.js" in html
    perimeter, outline = map_data(response, "plot-map")["features"]
    assert perimeter["properties"] == {"kind": "perimeter", "name": plot.park.name}
    assert outline["properties"]["focus"] is True
    lon, lat = outline["geometry"]["coordinates"][0][0][0]
    assert 2.5 < lon < 3.2 and 50.3 < lat < 50.7
    assert "Coordonnées GPS" in html


def test_photos_have_alt_texts(client, plot):
    PlotPhoto.objects.create(plot=plot, image="photos/a.jpg", caption="Vue du nord")
    PlotPhoto.objects.create(plot=plot, image="photos/b.jpg", credit="SIZIAF")
    html = client.get(plot.get_absolute_url()).content.decode()
    assert 'alt="Vue du nord"' in html
    assert f'alt="{plot.name}, photo 2"' in html
    assert "Crédit\xa0: SIZIAF" in html


def test_contacts_who_receive_leads_are_the_call_to_action(client, plot):
    siziaf = plot.park.organisation
    Contact.objects.create(
        organisation=siziaf,
        name="Claire Martin",
        role="Chargée d'implantation",
        email="claire.martin@example.org",
        phone="03 21 00 00 00",
    )
    Contact.objects.create(
        organisation=siziaf,
        name="Internal Person",
        email="internal@example.org",
        receives_leads=False,
    )
    html = client.get(plot.get_absolute_url()).content.decode()
    assert 'href="#contact"' in html
    assert 'id="contact"' in html
    assert "Claire Martin" in html and "Chargée d&#x27;implantation" in html
    assert 'href="mailto:claire.martin@example.org?subject=' in html
    assert 'href="tel:0321000000"' in html
    assert "Internal Person" not in html
    assert reverse("sites:organisation", args=[siziaf.slug]) in html
    assert plot.park.get_absolute_url() in html


def test_freshness_in_days(client, plot):
    Plot.objects.filter(pk=plot.pk).update(
        updated_at=timezone.now() - timedelta(days=3, hours=2)
    )
    assert "Mis à jour il y a 3 jours" in text(client.get(plot.get_absolute_url()))


def test_prints_as_a_site_sheet(client, plot, site_url):
    html = client.get(plot.get_absolute_url()).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    assert f"{site_url}{plot.get_absolute_url()}" in html


def test_the_units_switch_is_a_link_back_to_the_page(client, plot):
    html = client.get(plot.get_absolute_url()).content.decode()
    back = f"/unites/imperial/?next={plot.get_absolute_url().replace('/', '%2F')}"
    assert (
        f'<a class="units-toggle" href="{back}" rel="nofollow">'
        "Afficher en acres, sq ft et miles</a>"
    ) in html
    assert "<button" not in html.split('class="units-switch"')[1][:50]


def test_hostile_text_stays_text(client, plot):
    Plot.objects.filter(pk=plot.pk).update(name=HOSTILE, description=HOSTILE)
    type(plot.park).objects.filter(pk=plot.park_id).update(name=HOSTILE)
    Organisation.objects.filter(pk=plot.park.organisation_id).update(
        name=HOSTILE, short_name="x<b>y"
    )
    Contact.objects.filter(organisation=plot.park.organisation).update(name=HOSTILE)
    PlotPhoto.objects.create(plot=plot, image="photos/a.jpg", caption=HOSTILE)
    html = client.get(plot.get_absolute_url()).content.decode()
    assert_hostile_text_escaped(html)
    assert "x<b>y" not in html
    assert "\\u003Cscript\\u003Ealert(1)" in html  # in the map's JSON


@pytest.mark.parametrize("change", [{"is_published": False}, {"slug": "gone"}])
def test_unpublished_or_unknown_plot_is_not_found(client, plot, change):
    url = plot.get_absolute_url()
    Plot.objects.filter(pk=plot.pk).update(**change)
    assert client.get(url).status_code == 404


def test_query_count_is_constant(client):
    plot = PlotFactory(price_per_m2=Decimal(20))
    organisation = plot.park.organisation
    url = plot.get_absolute_url()
    count_queries(client, url)  # warm the spatial-reference cache
    PlotPhoto.objects.create(plot=plot, image="photos/0.jpg")
    Contact.objects.create(organisation=organisation, name="A", email="a@example.org")
    few = count_queries(client, url)
    for n in range(1, 8):
        PlotPhoto.objects.create(plot=plot, image=f"photos/{n}.jpg")
        Contact.objects.create(
            organisation=organisation, name=f"C{n}", email=f"c{n}@example.org"
        )
    assert count_queries(client, url) == few <= 5


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_the_map_s_note_names_the_heading_that_holds_the_coordinates(
    client, plot, language
):
    """The page and its printed sheet lay the map beside the facts or under
    them: the note names their heading rather than a place ("above")."""
    with translation.override(language):
        url = plot.get_absolute_url()
    html = client.get(url).content.decode()
    heading = re.search(r'<h2 id="facts-title">([^<]+)</h2>', html).group(1)
    note = re.search(r'<p class="note">([^<]*GPS[^<]*)</p>', html).group(1)
    assert heading in note
    assert "ci-dessus" not in note and "above" not in note and "hierboven" not in note
