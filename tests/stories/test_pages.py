import pytest
from django.urls import reverse
from django.utils import translation

from core.caching import listings_changed
from sites.filters import PlotFilter
from sites.models import VOCATIONS
from stories.models import InnovationPark, Sector, SuccessStory
from tests.sites.pages import count_queries, headings_in_order, map_data

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "en", "nl"]


def urls():
    return [
        reverse("stories:sectors"),
        reverse("stories:sector", args=["vallee-electromobilite"]),
        reverse("stories:stories"),
        reverse("stories:story", args=["acc-gigafactory"]),
        reverse("stories:innovation"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_answer_in_each_language(client, content, language):
    with translation.override(language):
        for url in urls():
            response = client.get(url)
            assert response.status_code == 200, url
            assert f'<html lang="{language}">' in response.text
            assert headings_in_order(response), url


def test_content_is_translated(client, content):
    with translation.override("en"):
        assert "France's first battery gigafactory" in client.get(
            reverse("stories:story", args=["acc-gigafactory"])
        ).content.decode().replace("&#x27;", "'")
    with translation.override("nl"):
        assert (
            "De elektromobiliteitsvallei" in client.get(reverse("stories:sectors")).text
        )


def test_report_figures_and_source_are_shown(client, content):
    html = client.get(reverse("stories:story", args=["parc-solaire-leforest"])).text
    for figure in ("32 hectares", "34\xa0300 panneaux", "19,1\xa0GWh/an"):
        assert figure in html
    assert "Rapport d&#x27;activité 2022 du Pôle Métropolitain de l&#x27;Artois" in html


def test_the_vocations_are_the_search_pages(db):
    from stories.models import Sector

    search = dict(PlotFilter.base_filters["vocation"].extra["choices"])
    assert dict(Sector._meta.get_field("vocation").choices) == dict(VOCATIONS)
    assert search == dict(VOCATIONS)


def test_a_sector_links_to_its_plots_and_the_search_answers(client, content):
    html = client.get(reverse("stories:sector", args=["logistique-verte"])).text
    search = reverse("sites:search") + "?vocation=logistics"
    assert f'href="{search}"' in html
    assert client.get(search).status_code == 200


def test_a_story_links_to_its_parks_plots(client, content):
    story = SuccessStory.objects.get(slug="acc-gigafactory")
    html = client.get(story.get_absolute_url()).text
    search = reverse("sites:search") + f"?park={story.park.slug}"
    assert f'href="{search}"' in html
    response = client.get(search)
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0


def test_a_story_of_an_unpublished_park_links_to_its_sector(client, content):
    story = SuccessStory.objects.get(slug="acc-gigafactory")
    story.park.is_published = False
    story.park.save()
    html = client.get(story.get_absolute_url()).text
    assert f'href="{reverse("sites:search")}?vocation=industry"' in html


def test_the_innovation_park_shows_its_three_sites_on_a_map(client, content):
    response = client.get(reverse("stories:innovation"))
    features = map_data(response, "innovation-map")["features"]
    assert [f["geometry"]["type"] for f in features] == ["Point"] * 3
    names = [f["properties"]["name"] for f in features]
    assert [name.rsplit(" ", 1)[-1] for name in names] == [
        "Béthune",
        "Lens",
        "d'Oignies",
    ]
    for feature in features:  # on the demo parks, in the Artois
        lon, lat = feature["geometry"]["coordinates"]
        assert 2.3 < lon < 3.2 and 50.3 < lat < 50.7
        assert feature["properties"]["url"].startswith("/fr/parcs/")
    html = response.content.decode()
    for text in ("EY et Entreprises &amp; Cités", "novembre 2022", "Métaphone"):
        assert text in html


def test_a_site_without_a_park_stands_on_its_commune(client, content):
    site = InnovationPark.objects.get().sites.get(commune__name="Lens")
    site.business_park = None
    site.save()
    features = map_data(client.get(reverse("stories:innovation")), "innovation-map")
    lens = next(f for f in features["features"] if f["properties"]["name"] == site.name)
    assert lens["properties"]["url"] == ""
    lon, lat = lens["geometry"]["coordinates"]
    point = site.commune.point.transform(4326, clone=True)
    assert (round(lon, 5), round(lat, 5)) == (round(point.x, 5), round(point.y, 5))


def test_unpublished_content_is_not_found(client, content):
    Sector.objects.update(is_published=False)
    SuccessStory.objects.update(is_published=False)
    InnovationPark.objects.update(is_published=False)
    for url in urls()[1::2] + [urls()[-1]]:
        assert client.get(url).status_code == 404, url
    assert "vallee-electromobilite" not in client.get(reverse("stories:sectors")).text


def test_list_pages_cost_a_constant_number_of_queries(client, content):
    for url in (reverse("stories:sectors"), reverse("stories:stories")):
        # Both counts from cold caches: the first page filled the footer's
        # shared fragment, the saves below empty it.
        listings_changed()
        few = count_queries(client, url)
        sector = Sector.objects.create(
            slug=f"s-{len(url)}", name="S", summary="S", is_published=True
        )
        for n in range(5):
            SuccessStory.objects.create(
                slug=f"story-{len(url)}-{n}",
                title="T",
                summary="S",
                year=2024,
                sector=sector,
                is_published=True,
            )
        assert count_queries(client, url) == few <= 3, url


def test_detail_pages_cost_a_constant_number_of_queries(client, content):
    url = reverse("stories:sector", args=["vallee-electromobilite"])
    few = count_queries(client, url)
    for n in range(5):
        SuccessStory.objects.create(
            slug=f"more-{n}",
            title="T",
            summary="S",
            year=2024,
            sector=Sector.objects.get(slug="vallee-electromobilite"),
            is_published=True,
        )
    assert count_queries(client, url) == few <= 4
    assert count_queries(client, reverse("stories:innovation")) <= 4


def test_an_edit_shows_at_once_on_cached_pages(client, content):
    url = reverse("stories:sectors")
    client.get(url)
    Sector.objects.filter(slug="logistique-verte").get()
    sector = Sector.objects.get(slug="logistique-verte")
    sector.name = "Logistique renommée"
    sector.save()
    assert "Logistique renommée" in client.get(url).text
    sector.delete()
    assert "Logistique renommée" not in client.get(url).text
