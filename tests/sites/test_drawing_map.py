"""The admin's drawing map: its settings on the form page (texts in the staff
member's language, where to read the surroundings, the refused part) and the
staff-only endpoint with the parks and plots around, scoped to the staff
member's organisation."""

import json

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Polygon
from django.urls import reverse

from sites.models import SRID, BusinessPark, Commune, Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user

pytestmark = pytest.mark.django_db
PLOT_MAP = reverse("admin:sites_plot_drawing_map")
PARK_MAP = reverse("admin:sites_businesspark_drawing_map")


def features(response, kind):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    return {
        f["id"]: f["properties"]
        for f in collection["features"]
        if f["properties"]["kind"] == kind
    }


@pytest.fixture
def cahc_plot_near_lens(demo):
    """A plot of CAHC's within the box around CALL's parks."""
    lens = Commune.objects.get(name="Lens")
    park = BusinessParkFactory(organisation=Organisation.objects.get(slug="cahc"))
    return PlotFactory(park=park, commune=lens, name="Terrain voisin de CAHC")


def test_staff_get_their_parks_and_the_plots_around_them(client, cahc_plot_near_lens):
    client.force_login(staff_user("call"))
    response = client.get(PLOT_MAP)
    parks = features(response, "park")
    call = BusinessPark.objects.filter(organisation__slug="call")
    assert set(parks) == set(call.values_list("pk", flat=True))
    assert all(p["own"] and p["name"] for p in parks.values())
    plots = features(response, "plot")
    own = {pk for pk, p in plots.items() if p["own"]}
    assert own == set(
        Plot.objects.filter(park__organisation__slug="call").values_list(
            "pk", flat=True
        )
    )
    assert plots[cahc_plot_near_lens.pk] == {
        "kind": "plot",
        "own": False,
        "organisation": "CAHC",
    }
    assert cahc_plot_near_lens.name not in response.content.decode()
    # Its park is not CALL's, hence not on CALL's map.
    assert cahc_plot_near_lens.park_id not in parks


def test_the_metropolitan_pole_gets_everything_as_its_own(client, demo):
    client.force_login(staff_user("pma"))
    response = client.get(PARK_MAP)
    assert set(features(response, "park")) == set(
        BusinessPark.objects.values_list("pk", flat=True)
    )
    plots = features(client.get(PARK_MAP), "plot")
    assert len(plots) == Plot.objects.count()
    assert all(p["own"] for p in plots.values())


def test_the_endpoint_asks_a_bounded_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    client.force_login(staff_user("pma"))
    with django_assert_max_num_queries(10):  # whatever the number of plots
        client.get(PLOT_MAP)


def test_the_endpoint_is_for_staff_with_the_right_to_see(client, demo):
    assert client.get(PLOT_MAP).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("visitor"))
    assert client.get(PLOT_MAP).status_code == 302
    client.force_login(User.objects.create_user("bare", is_staff=True))
    assert client.get(PLOT_MAP).status_code == 403


def settings_on(response, field="geom"):
    html = response.content.decode()
    marker = f'<script id="id_{field}-drawing" type="application/json">'
    assert marker in html
    return json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])


def test_the_form_page_carries_the_maps_settings_in_french(client, demo):
    client.force_login(staff_user("call"))
    drawing = settings_on(client.get(reverse("admin:sites_plot_add")))
    assert drawing["kind"] == "plot" and drawing["object"] is None
    assert drawing["data"] == PLOT_MAP
    assert drawing["language"] == "fr"
    assert drawing["texts"]["area"] == "Surface\xa0: %(area)s"
    buttons = drawing["draw"]["draw"]["toolbar"]["buttons"]
    assert buttons["polygon"] == "Dessiner le contour, coin par coin"


@pytest.mark.parametrize(
    "language, area, button, zoom_in",
    [
        ("en", "Area: %(area)s", "Draw the outline, corner by corner", "Zoom in"),
        ("nl", "Oppervlakte: %(area)s", "De omtrek tekenen, hoek per hoek", "Inzoomen"),
    ],
)
def test_the_tools_speak_the_staff_members_language(
    client, demo, language, area, button, zoom_in
):
    client.force_login(staff_user("call"))
    response = client.get(
        reverse("admin:sites_plot_add"), HTTP_ACCEPT_LANGUAGE=language
    )
    drawing = settings_on(response)
    assert drawing["language"] == language and drawing["texts"]["area"] == area
    assert drawing["draw"]["draw"]["toolbar"]["buttons"]["polygon"] == button
    assert drawing["leaflet"]["zoomIn"] == zoom_in  # Leaflet's own buttons


def test_a_park_form_names_the_park_being_edited(client, demo):
    client.force_login(staff_user("call"))
    park = BusinessPark.objects.filter(organisation__slug="call").first()
    url = reverse("admin:sites_businesspark_change", args=[park.pk])
    drawing = settings_on(client.get(url), "perimeter")
    assert drawing == drawing | {"kind": "park", "object": park.pk, "data": PARK_MAP}


def test_a_refused_outline_comes_back_with_the_part_to_show(client, demo):
    client.force_login(staff_user("call"))
    park = BusinessPark.objects.get(name="Zone d'activités Harnes-Courrières")
    xmin, ymin, xmax, ymax = park.perimeter.extent
    middle = (ymin + ymax) / 2
    across = Polygon.from_bbox((xmax - 20, middle - 20, xmax + 20, middle + 20))
    across.srid = SRID
    data = {
        "name": "À cheval",
        "slug": "a-cheval",
        "geom": across.transform(4326, clone=True).json,
        "park": park.pk,
        "commercial_stage": Plot.CommercialStage.FOR_SALE,
        "development_stage": Plot.DevelopmentStage.SERVICED,
        "land_owner": "structure intercommunale",
        "occupation": "inoccupé",
        "land_use": "inconnu",
        "identified_on": "2026-01-15",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    html = client.post(reverse("admin:sites_plot_add"), data).content.decode()
    marker = '<script id="id_geom-problem" type="application/json">'
    problem = json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])
    assert problem["type"] in ("Polygon", "MultiPolygon")
