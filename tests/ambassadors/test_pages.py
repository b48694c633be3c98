import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ambassadors.models import Ambassador
from sites.models import Commune
from tests.conftest import cache_clear
from tests.sites.pages import HOSTILE, assert_hostile_text_escaped, count_queries

pytestmark = pytest.mark.django_db
LIST = "ambassadors:list"
API = "/api/v1/ambassadors.geojson"
CLOSING = "</script><script>alert(3)</script>"


def names(response):
    return {ambassador.name for ambassador in response.context["ambassadors"]}


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_list_and_detail_answer_in_each_language(client, demo, language):
    with translation.override(language):
        response = client.get(reverse(LIST))
        assert response.status_code == 200
        assert len(names(response)) == 6
        detail = client.get(reverse("ambassadors:detail", args=["demo-startuper"]))
        assert detail.status_code == 200
        assert f'<html lang="{language}">' in detail.text


def test_the_list_filters_by_sector(client, demo):
    response = client.get(reverse(LIST), {"sector": "agriculture"})
    assert names(response) == {"Sophie L."}
    assert names(client.get(reverse(LIST), {"sector": ""})) == set(
        Ambassador.objects.values_list("name", flat=True)
    )


@pytest.mark.parametrize(
    "query", ["sector=mining", "sector=industry&sector=digital", "sector=%3Cscript%3E"]
)
def test_a_bad_filter_is_a_form_error(client, demo, query):
    response = client.get(f"{reverse(LIST)}?{query}")
    assert response.status_code == 400
    assert "sector" in response.context["form"].errors
    assert "<script>" not in response.content.decode()


def test_unpublished_ambassadors_are_hidden(client, demo):
    Ambassador.objects.filter(slug="demo-startuper").update(is_published=False)
    assert "Karim B." not in names(client.get(reverse(LIST)))
    url = reverse("ambassadors:detail", args=["demo-startuper"])
    assert client.get(url).status_code == 404


def test_list_costs_a_constant_number_of_queries(client, demo):
    url = reverse(LIST)
    few = count_queries(client, url)
    lens = Commune.objects.get(name="Lens")
    for n in range(10):
        Ambassador.objects.create(
            name=f"A{n}",
            slug=f"a-{n}",
            role="R",
            company="C",
            sector="industry",
            commune=lens,
            quote="Q",
            story="S",
            is_published=True,
        )
    assert count_queries(client, url) == few <= 2


def test_detail_shows_photo_quote_story_and_video_link(client, demo):
    Ambassador.objects.filter(slug="demo-startuper").update(
        photo="photos/portrait.jpg",
        photo_width=800,
        photo_height=600,
        video_url="https://video.example.org/watch?v=1&t=2",
    )
    html = client.get(reverse("ambassadors:detail", args=["demo-startuper"])).text
    assert 'alt="Portrait de Karim B., ' in html
    assert 'width="800" height="600"' in html
    assert "Le Parc d’innovation m’a ouvert" in html
    assert 'href="https://video.example.org/watch?v=1&amp;t=2" rel="noopener' in html
    assert "<iframe" not in html and "<video" not in html
    assert "Lens" in html


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://a.b/"],
)
def test_the_video_link_must_be_http(demo, url):
    ambassador = Ambassador.objects.get(slug="demo-startuper")
    ambassador.video_url = url
    with pytest.raises(ValidationError) as error:
        ambassador.full_clean()
    assert "video_url" in error.value.message_dict


def test_the_admin_form_refuses_a_javascript_video_link(client, demo, admin_user):
    client.force_login(admin_user)
    ambassador = Ambassador.objects.get(slug="demo-startuper")
    url = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"video_url": "javascript:alert(1)", "commune": ambassador.commune_id}
    data = {k: v for k, v in data.items() if k not in ("photo",)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "video_url" in response.context["adminform"].form.errors
    ambassador.refresh_from_db()
    assert ambassador.video_url == ""


def test_hostile_text_is_inert_on_the_pages(client, demo):
    text = HOSTILE + CLOSING
    Ambassador.objects.update(
        name=text,
        company=text,
        role_fr=text,
        quote_fr=text,
        story_fr=text,
        video_url="javascript:alert(1)",  # past the validator, as an import could
    )
    slug = Ambassador.objects.first().slug
    for url in (
        reverse("portal:home"),
        reverse(LIST),
        reverse("ambassadors:detail", args=[slug]),
    ):
        html = client.get(url).content.decode()
        assert_hostile_text_escaped(html)
        assert "<script>alert(3)" not in html
        assert "javascript:" not in html


def test_geojson_has_the_published_ambassadors_at_their_commune(
    client, demo, django_assert_num_queries
):
    Ambassador.objects.filter(slug="demo-recherche").update(commune=None)
    Ambassador.objects.filter(slug="demo-agricultrice").update(is_published=False)
    with django_assert_num_queries(1):
        response = client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert len(by_name) == 4
    karim = by_name["Karim B."]
    assert karim["properties"] == {
        "name": "Karim B.",
        "company": "Start-up incubée au Parc d’innovation de l’Artois",
        "url": "/fr/ambassadeurs/demo-startuper/",
    }
    lens = Commune.objects.get(name="Lens").point.transform(4326, clone=True)
    lon, lat = karim["geometry"]["coordinates"]
    assert abs(lon - lens.x) < 1e-5 and abs(lat - lens.y) < 1e-5


def test_geojson_query_count_is_constant(client, demo, django_assert_num_queries):
    lens = Commune.objects.get(name="Lens")
    with django_assert_num_queries(1):
        client.get(API)
    Ambassador.objects.bulk_create(
        Ambassador(
            name=f"A{n}",
            slug=f"a-{n}",
            role="R",
            company="C",
            sector="industry",
            commune=lens,
            quote="Q",
            story="S",
            is_published=True,
        )
        for n in range(20)
    )
    cache_clear()  # bulk_create sends no signal; a query string no longer busts it
    with django_assert_num_queries(1):
        assert len(client.get(API).json()["features"]) == 26


def test_geojson_keeps_hostile_text_inert(client, demo):
    text = HOSTILE + CLOSING
    Ambassador.objects.update(name=text, company=text)
    response = client.get(API)
    raw = response.content.decode()
    assert "<" not in raw and ">" not in raw
    feature = json.loads(raw)["features"][0]
    assert feature["properties"]["name"] == text


def test_geojson_only_answers_get(client, db):
    assert client.post(API).status_code == 405


def test_geojson_answers_in_the_language_the_page_asks_for(client, demo):
    response = client.get(API, {"lang": "nl"}, headers={"accept-language": "de"})

    by_name = {f["properties"]["name"]: f for f in response.json()["features"]}
    assert by_name["Karim B."]["properties"] == {
        "name": "Karim B.",
        "company": "Start-up in de incubator van het Parc d'innovation de l'Artois",
        "url": "/nl/ambassadeurs/demo-startuper/",
    }
    assert client.get(API, {"lang": "de"}).status_code == 400
