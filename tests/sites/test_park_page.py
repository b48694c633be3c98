from decimal import Decimal

import pytest
from django.urls import reverse

from sites.models import BusinessPark, Contact, Organisation, ParkPhoto, Plot
from tests.factories import BusinessParkFactory, PlotFactory
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
def park(demo):
    return BusinessPark.objects.get(name="Plate-forme multimodale Delta 3")


def test_shows_surfaces_vocations_networks_and_access(client, park):
    response = client.get(park.get_absolute_url())
    html = text(response)
    for fact in [
        "Dourges (62)",
        "Surface brute",
        "acres",
        "Logistique",
        "Industrie",
        "oui, 12 MVA disponibles",
        "Embranchement ferroviaire (ITE)",
        "A1, <span",
        "Delta 3 (canal de la Deûle)",
        "Distances par la route",
    ]:
        assert fact in html, fact
    assert headings_in_order(response)


def test_available_surface_counts_published_available_plots(client, park):
    response = client.get(park.get_absolute_url())
    # 32 + 21.5 ha available; 15 ha under option.
    assert response.context["park"].available_ha == Decimal("53.5")
    assert "53,50 ha (535 000 m²)" in text(response)


def test_lists_its_published_plots_with_surface_and_stage(client, park):
    hidden = park.plots.get(surface_ha=15)
    Plot.objects.filter(pk=hidden.pk).update(is_published=False)
    response = client.get(park.get_absolute_url())
    html = text(response)
    shown = park.plots.published()
    assert {p.pk for p in response.context["plots"]} == {p.pk for p in shown}
    for plot in shown:
        assert plot.get_absolute_url() in html
        assert str(plot.get_marketing_stage_display()) in html
    assert "32 ha (320 000 m²)" in html
    assert hidden.get_absolute_url() not in html


def test_map_shows_the_perimeter_and_the_plots(client, park):
    response = client.get(park.get_absolute_url())
    assert (
        'id="park-map" class="map" data-map="park-map-options" '
        'role="region" aria-label="'
    ) in (response.content.decode())
    perimeter, *plots = map_data(response, "park-map")["features"]
    assert perimeter["properties"]["kind"] == "perimeter"
    assert perimeter["properties"]["focus"] is True
    assert {f["properties"]["url"] for f in plots} == {
        p.get_absolute_url() for p in park.plots.published()
    }
    lon, lat = perimeter["geometry"]["coordinates"][0][0][0]
    assert 2.8 < lon < 3.2 and 50.3 < lat < 50.6


def test_links_to_its_organisation_and_its_contacts(client, park):
    Contact.objects.create(
        organisation=park.organisation,
        name="Hidden",
        email="h@example.org",
        receives_leads=False,
    )
    html = client.get(park.get_absolute_url()).content.decode()
    assert reverse("sites:organisation", args=["cahc"]) in html
    assert 'id="contact"' in html
    assert "eco.cahc@example.org" in html
    assert "Hidden" not in html


def test_hostile_text_stays_text(client, park):
    BusinessPark.objects.filter(pk=park.pk).update(name=HOSTILE, description=HOSTILE)
    park.plots.update(name=HOSTILE)
    Organisation.objects.filter(pk=park.organisation_id).update(name=HOSTILE)
    html = client.get(park.get_absolute_url()).content.decode()
    assert_hostile_text_escaped(html)
    assert "\\u003Cscript\\u003Ealert(1)" in html


@pytest.mark.parametrize("change", [{"is_published": False}, {"slug": "gone"}])
def test_unpublished_or_unknown_park_is_not_found(client, park, change):
    url = park.get_absolute_url()
    BusinessPark.objects.filter(pk=park.pk).update(**change)
    assert client.get(url).status_code == 404


def test_query_count_is_constant(client):
    park = BusinessParkFactory()
    url = park.get_absolute_url()
    PlotFactory(park=park)
    count_queries(client, url)  # warm the caches
    ParkPhoto.objects.create(park=park, image="photos/0.jpg")
    few = count_queries(client, url)
    PlotFactory.create_batch(7, park=park)
    for n in range(1, 6):
        ParkPhoto.objects.create(park=park, image=f"photos/{n}.jpg")
        Contact.objects.create(
            organisation=park.organisation, name=f"C{n}", email=f"c{n}@example.org"
        )
    assert count_queries(client, url) == few <= 5


def test_its_plots_prices_are_per_sq_ft_too_as_their_surfaces_are_in_acres(
    client, park
):
    """The table's surfaces read in acres for the visitor who asked for them:
    its prices must then read per sq ft, not € per m² beside acres."""
    plot = park.plots.published().exclude(price_per_m2=None).first()
    Plot.objects.filter(pk=plot.pk).update(price_per_m2=Decimal("18"))
    html = client.get(park.get_absolute_url()).content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert '<span class="u-metric">18\xa0€/m²</span>' in table
    assert "/sq ft</span>" in table
