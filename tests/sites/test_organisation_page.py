import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sites.models import BusinessPark, Contact, Organisation
from tests.factories import BusinessParkFactory, PlotFactory
from tests.sites.pages import (
    HOSTILE,
    assert_hostile_text_escaped,
    count_queries,
    headings_in_order,
    text,
)

pytestmark = pytest.mark.django_db

SLUGS = ["pma", "cabbalr", "call", "cahc", "siziaf"]


def url(slug):
    return reverse("sites:organisation", args=[slug])


def test_url():
    assert url("call") == "/fr/organisations/call/"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_organisation_has_a_page(client, demo, slug):
    organisation = Organisation.objects.get(slug=slug)
    response = client.get(url(slug))
    assert response.status_code == 200
    assert headings_in_order(response)
    html = response.content.decode()
    assert organisation.name.replace("'", "&#x27;") in html


@pytest.mark.parametrize("slug", SLUGS)
def test_links_out_to_its_website_in_the_same_tab(client, slug):
    website = Organisation.objects.get(slug=slug).website
    html = client.get(url(slug)).content.decode()
    link = re.search(rf'<a [^>]*href="{re.escape(website)}"[^>]*>', html).group(0)
    assert 'rel="noopener"' in link
    assert "target=" not in link


def test_lists_its_published_parks_with_available_hectares(client, demo):
    hidden = BusinessPark.objects.get(name="Zone industrielle de Ruitz")
    BusinessPark.objects.filter(pk=hidden.pk).update(is_published=False)
    response = client.get(url("cabbalr"))
    parks = {park.name: park.available_ha for park in response.context["parks"]}
    assert parks == {
        "Parc d'activités de Lillers": Decimal("31.5"),
        "Parc d'innovation de l'Artois, site de Béthune": Decimal("3.7"),
    }
    html = text(response)
    assert "31,50 ha (315 000 m²)" in html
    assert hidden.get_absolute_url() not in html


def test_the_metropolitan_pole_links_to_its_members(client, demo):
    html = client.get(url("pma")).content.decode()
    for slug in SLUGS[1:]:
        assert url(slug) in html


def test_the_metropolitan_pole_calls_siziaf_a_partner_not_a_member(client, demo):
    """The PMA is a syndicat mixte of the three agglomerations and the
    Département (2022 report); SIZIAF, whose park it presents, is a partner."""
    html = client.get(url("pma")).content.decode()
    assert "Les partenaires du territoire" in html
    assert "Membres" not in html and "membres" not in html
    assert url("siziaf") in html


def test_shows_its_contacts_who_receive_leads(client, demo):
    call = Organisation.objects.get(slug="call")
    Contact.objects.create(
        organisation=call,
        name="Paul Durand",
        role="Développeur économique",
        email="paul.durand@example.org",
        phone="03 21 11 22 33",
    )
    Contact.objects.create(
        organisation=call, name="Hidden", email="h@example.org", receives_leads=False
    )
    html = client.get(url("call")).content.decode()
    assert "Paul Durand" in html and "Développeur économique" in html
    assert 'href="mailto:paul.durand@example.org"' in html
    assert 'href="tel:0321112233"' in html
    assert "Hidden" not in html


@pytest.mark.parametrize("page", ["plot", "park"])
def test_plot_and_park_pages_link_to_it(client, page):
    plot = PlotFactory()
    listing = plot if page == "plot" else plot.park
    html = client.get(listing.get_absolute_url()).content.decode()
    assert url("call") in html


def test_hostile_text_stays_text(client, demo):
    Organisation.objects.filter(slug="call").update(
        name=HOSTILE, short_name=HOSTILE[:30], description=HOSTILE
    )
    BusinessPark.objects.filter(organisation__slug="call").update(name=HOSTILE)
    Contact.objects.filter(organisation__slug="call").update(name=HOSTILE, role=HOSTILE)
    assert_hostile_text_escaped(client.get(url("call")).content.decode())


@pytest.mark.parametrize(
    ("slug", "communes", "inhabitants"),
    [("pma", 150, "642 834"), ("call", 36, "242 013"), ("cahc", 14, "125 793")],
)
def test_population_covered_with_its_year(client, slug, communes, inhabitants):
    html = re.sub(r"\s+", " ", text(client.get(url(slug))))
    assert f"<dt>Communes</dt><dd>{communes}</dd>" in html
    assert f"<dd>{inhabitants} <small>(population légale 2023, Insee)</small>" in html


def test_a_syndicate_covers_no_commune_of_its_own(client):
    assert "Habitants" not in text(client.get(url("siziaf")))


def test_unknown_organisation_is_not_found(client):
    assert client.get(url("mordor")).status_code == 404


@pytest.mark.parametrize("slug", ["pma", "call"])
def test_query_count_is_constant(client, slug, settings):
    settings.LISTINGS_PAGE_CACHE = False  # what building the page costs
    organisation = Organisation.objects.get(slug=slug)
    BusinessParkFactory(organisation=organisation)  # a page of parks to read
    count_queries(client, url(slug))  # warm the caches
    few = count_queries(client, url(slug))
    for park in BusinessParkFactory.create_batch(4, organisation=organisation):
        PlotFactory.create_batch(2, park=park)
    for n in range(5):
        Contact.objects.create(
            organisation=organisation, name=f"C{n}", email=f"c{n}@example.org"
        )
    count_queries(client, url(slug))  # warm again: the saves changed the listings
    # 6: with the population of the communes covered and the count of the
    # parks' pages (the footer's partners are a shared fragment, warm)
    assert count_queries(client, url(slug)) == few <= 6


def test_parks_come_by_pages_and_the_page_is_cached(
    client, demo, monkeypatch, django_assert_num_queries
):
    from sites import selectors

    monkeypatch.setattr(selectors, "ORGANISATION_PARKS_PER_PAGE", 2)
    organisation = Organisation.objects.get(slug="call")
    names = list(
        organisation.parks.published()
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    assert len(names) > 2
    pages = (len(names) + 1) // 2
    seen = []
    for number in range(1, pages + 1):
        html = client.get(url("call"), {"page": number}).content.decode()
        listed = [n for n in names if f">{n.replace(chr(39), '&#x27;')}</a>" in html]
        assert len(listed) <= 2
        seen += listed
        assert f"Page {number} sur {pages}" in html
    assert seen == names
    # Cached like the other pages, junk parameters and page=1 included...
    with django_assert_num_queries(0):
        client.get(url("call"), {"page": 1, "utm_source": "x"})
    # ...until a listing changes.
    BusinessParkFactory(organisation=organisation, name="Zz nouveau parc")
    last = client.get(url("call"), {"page": 99}).content.decode()
    assert "Zz nouveau parc" in last
