import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sites import search
from sites.models import Plot
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db
URL = reverse("api-plots")


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def test_api_returns_the_same_plots_as_the_page(client, demo):
    params = {"surface_min": 10, "rail": "on"}
    api = {f["properties"]["name"] for f in features(client.get(URL, params))}
    page = client.get(reverse("sites:search"), params)
    assert api == {plot.name for plot in page.context["page"]}
    assert api


def test_features_are_wgs84_polygons_with_popup_properties(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    feature = next(f for f in features(client.get(URL)) if f["id"] == plot.pk)
    geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    assert geometry.geom_type == "MultiPolygon"
    assert 2.5 < geometry.centroid.x < 3.2 and 50.3 < geometry.centroid.y < 50.7
    # Simplified to the metre, written to 5 decimals (each vertex moves by up
    # to about 0.6 m) and turned as RFC 7946 says: the same shape.
    served = geometry.transform(plot.geom.srid, clone=True)
    assert served.sym_difference(plot.geom).area < plot.geom.length * 0.6
    assert geometry[0].exterior_ring.is_counterclockwise
    assert feature["properties"] == {
        "name": plot.name,
        "slug": plot.slug,  # for the popup's "add to comparison" link
        "url": plot.get_absolute_url(),
        "surface_ha": 42.0,
        "stage": str(plot.get_marketing_stage_display()),
        "commune": plot.commune.name,
        "park": plot.park.name,
        "organisation": "SIZIAF",
    }
    # Coordinates are rounded to 5 decimals (about a metre).
    ring = feature["geometry"]["coordinates"][0][0]
    assert all(len(str(value).split(".")[-1]) <= 5 for point in ring for value in point)


def test_the_map_gets_simplified_outlines(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    centre = plot.geom.point_on_surface
    plot.geom = MultiPolygon(centre.buffer(100, quadsegs=2_500), srid=centre.srid)
    plot.save()
    assert plot.geom.num_coords == 10_001
    feature = next(f for f in features(client.get(URL)) if f["id"] == plot.pk)
    served = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    assert served.num_coords < 200  # a 1 m tolerance on a 100 m circle
    assert served.transform(plot.geom.srid, clone=True).area == pytest.approx(
        plot.geom.area, rel=0.01
    )


def test_response_is_capped_and_says_so(client):
    park = BusinessParkFactory()
    PlotFactory.create_batch(4, park=park, commune=park.commune)
    everything = search.plot_search(params={})
    assert everything.is_valid()
    body = json.loads(search.plots_geojson(everything, limit=3))
    assert body["truncated"] is True and body["limit"] == 3
    assert len(body["features"]) == 3
    assert json.loads(search.plots_geojson(everything, limit=4))["truncated"] is False
    assert json.loads(client.get(URL).content)["limit"] == search.MAP_LIMIT


def test_hostile_names_stay_data(client):
    PlotFactory(name='</script><img src=x onerror="alert(1)">')
    body = client.get(URL).content.decode()
    assert json.loads(body)["features"][0]["properties"]["name"].startswith("</script>")


@pytest.mark.parametrize(
    "query",
    [
        "surface_min=nan",
        "surface_max=-1",
        "bbox=1,2,3",
        "bbox=3,50,2,51",
        "bbox=0,-100,1,100",
        "organisation=unknown",
        "commune=%27%3B%20DROP%20TABLE%20sites_plot%3B--",
        "surface_min=1&surface_min=2",
        "rail=perhaps",
        "surface_min=inf",
        "price_max=1e400",
        "power_min_mva=99999999999999999999",
        "park=" + "x" * 10_000,
        "organisation=" + "%27%20OR%201%3D1--" * 50,
    ],
)
def test_bad_parameters_get_a_400_naming_each_field(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert query.split("=")[0] in errors


def test_a_sort_of_empty_names_is_the_default_order(client, demo):
    ids = [f["id"] for f in features(client.get(URL, {"sort": ",", "rail": "on"}))]
    assert ids == [f["id"] for f in features(client.get(URL, {"rail": "on"}))]
    assert ids


def test_several_bad_fields_are_all_named(client):
    response = client.get(URL, {"surface_min": "x", "price_max": "-5", "sort": "z"})
    assert set(response.json()["errors"]) == {"surface_min", "price_max", "sort"}


def test_the_page_language_not_the_browser_one_makes_the_popups(client, demo):
    """A German browser on the English search page: the page asks for English."""
    plot = Plot.objects.get(surface_ha=42)

    english = client.get(URL, {"lang": "en"}, headers={"accept-language": "de"})

    popup = next(f for f in features(english) if f["id"] == plot.pk)["properties"]
    assert english["Content-Language"] == "en"
    assert popup["url"] == f"/en/terrains/{plot.slug}/"
    assert popup["stage"] == "Available"
    dutch = client.get(URL, {"lang": "nl"}, headers={"accept-language": "en"})
    popup = next(f for f in features(dutch) if f["id"] == plot.pk)["properties"]
    assert popup["url"] == f"/nl/terrains/{plot.slug}/"
    assert popup["stage"] == "Beschikbaar"


def test_without_a_language_the_api_answers_in_french_whatever_the_browser(
    client, demo
):
    response = client.get(URL, headers={"accept-language": "en"})

    assert response["Content-Language"] == "fr"
    assert all(f["properties"]["url"].startswith("/fr/") for f in features(response))


@pytest.mark.parametrize("language", ["de", "", "EN", "en-us"])
def test_a_language_we_do_not_have_is_a_400(client, language):
    response = client.get(URL, {"lang": language})

    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_post_is_refused(client):
    assert client.post(URL).status_code == 405


def test_query_count_is_constant(client, django_assert_num_queries):
    park = BusinessParkFactory()
    PlotFactory(park=park, commune=park.commune)
    with django_assert_num_queries(1):
        assert len(features(client.get(URL))) == 1
    PlotFactory.create_batch(49, park=park, commune=park.commune)
    with django_assert_num_queries(1):
        assert len(features(client.get(URL))) == 50


PARAMETERS = [
    "surface_min", "surface_max", "organisation", "park", "commune", "vocation",
    "ready_to_build", "rail", "canal", "icpe", "motorway_max_km", "power_min_mva",
    "price_max", "bbox", "sort", "page", "lang",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=50),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.floats(-300, 300), min_size=3, max_size=5).map(
        lambda xs: ",".join(map(str, xs))
    ),
    st.sampled_from(["on", "true", "false", "siziaf", "62498", "-surface", ""]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), max_size=6))
def test_no_parameters_ever_give_a_server_error(client, pairs):
    response = client.get(URL, pairs)
    assert response.status_code in (200, 400)
    body = json.loads(response.content)
    assert ("errors" in body) == (response.status_code == 400)
