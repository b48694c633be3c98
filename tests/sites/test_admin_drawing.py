"""Drawing a plot or a park in the admin: commune and park are found from the
outline; one outside its park, its commune or the territory, or over another
plot, is refused in words with the offending part for the map; bad input is a
form error, never a 500."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.urls import reverse

from sites import codes
from sites.models import SRID, BusinessPark, Commune, Organisation, Plot
from tests.factories import free_square, staff_user

pytestmark = pytest.mark.django_db
URL = reverse("admin:sites_plot_add")
LENS = "Parc d'innovation de l'Artois, site de Lens"
HARNES = "Zone d'activités Harnes-Courrières"


def wgs84(geometry):
    return geometry.transform(4326, clone=True).json


def new_plot(outline, **extra):
    """The add form as the admin posts it; `outline` a geometry or raw text."""
    return {
        "name": "Nouveau terrain",
        "slug": "nouveau-terrain",
        "geom": outline if isinstance(outline, str) else wgs84(outline),
        "commercial_stage": Plot.CommercialStage.FOR_SALE,
        "development_stage": Plot.DevelopmentStage.SERVICED,
        "land_owner": "structure intercommunale",
        "occupation": "inoccupé",
        "land_use": "inconnu",
        "identified_on": "2026-01-15",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        **extra,
    }


def square(x, y, side):
    polygon = Polygon.from_bbox((x, y, x + side, y + side))
    polygon.srid = SRID
    return polygon


def refused(response, field="geom"):
    """The form's messages for `field`, once sure nothing was saved."""
    assert response.status_code == 200
    assert not Plot.objects.filter(slug="nouveau-terrain").exists()
    return " ".join(response.context["adminform"].form.errors[field])


def problem_on_map(response, field="geom"):
    widget = response.context["adminform"].form.fields[field].widget
    return GEOSGeometry(widget.attrs["problem"]).transform(SRID, clone=True)


@pytest.fixture
def call_client(client):
    client.force_login(staff_user("call"))
    return client


def test_commune_and_park_are_found_from_the_outline(call_client, demo):
    park = BusinessPark.objects.get(name=LENS)
    response = call_client.post(URL, new_plot(free_square(park, 16)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    plot = Plot.objects.get(slug="nouveau-terrain")
    assert plot.park == park
    assert plot.commune.name == "Lens"
    assert float(plot.surface_ha) == pytest.approx(0.0256, abs=0.0002)


def test_an_outline_in_another_organisations_park_is_not_attached_to_it(
    call_client, demo
):
    foreign = BusinessPark.objects.get(name="Plate-forme multimodale Delta 3")
    message = refused(call_client.post(URL, new_plot(free_square(foreign))), "park")
    assert "un parc de CAHC" in message


def test_an_outline_outside_the_territory_is_refused(call_client, demo):
    park = BusinessPark.objects.get(name=LENS)
    x, y = park.perimeter.centroid.coords
    lille = square(x, y + 30_000, 80)  # 30 km north: Lille, not the territory
    response = call_client.post(URL, new_plot(lille, park=park.pk))
    message = refused(response)
    assert "hors du territoire" in message
    assert (
        "«\xa0Parc d'innovation de l'Artois, site de Lens\xa0»\xa0: il se trouve à"
        in message
    )
    assert problem_on_map(response).covers(lille.buffer(-1))


def test_an_outline_across_the_park_perimeter_shows_the_part_outside(call_client, demo):
    park = BusinessPark.objects.get(name=HARNES)
    xmin, ymin, xmax, ymax = park.perimeter.extent
    inner = free_square(park, 60)
    x, y = inner.extent[:2]
    across = square(xmax - 30, y, 60)  # half of it east of the perimeter
    response = call_client.post(URL, new_plot(across, park=park.pk))
    message = refused(response)
    assert f"Le contour dépasse du parc «\xa0{HARNES}\xa0» d’environ" in message
    assert "du côté est" in message
    outside = across.difference(park.perimeter)
    assert problem_on_map(response).equals_exact(outside, 0.5)
    assert "Self" not in message and str(int(xmax)) not in message


def test_a_chosen_commune_the_outline_is_not_in_is_refused(call_client, demo):
    park = BusinessPark.objects.get(name=LENS)
    lievin = Commune.objects.get(name="Liévin")
    response = call_client.post(
        URL, new_plot(free_square(park, 16), park=park.pk, commune=lievin.pk)
    )
    assert refused(response, "commune") == (
        "Le contour n’est pas à Liévin\xa0: il est à Lens."
    )


def test_an_overlap_with_another_plot_is_refused(call_client, demo):
    park = BusinessPark.objects.get(name=HARNES)
    lot = park.plots.order_by("name").first()
    xmin, ymin, xmax, ymax = lot.geom.extent
    overlapping = square(xmax - 20, ymin + 10, 40)  # 20 m x 40 m over the lot
    message = refused(call_client.post(URL, new_plot(overlapping, park=park.pk)))
    assert (
        f"Le contour chevauche le terrain «\xa0{lot.name}\xa0» d’environ 800\xa0m²"
        in (message)
    )


def home_hectares(client):
    html = client.get(reverse("portal:home")).content.decode()
    return int(html.split("&nbsp;ha</strong>")[0].rsplit("<strong>", 1)[1])


def test_the_home_page_hectares_cannot_be_moved_by_an_outline_outside(
    call_client, demo
):
    before = home_hectares(call_client)
    park = BusinessPark.objects.get(name=HARNES)
    x, y = park.perimeter.centroid.coords
    dunkirk = square(x - 20_000, y + 60_000, 400)  # 16 ha near Dunkirk
    published = {"park": park.pk, "is_published": "on"}
    refused(call_client.post(URL, new_plot(dunkirk, **published)))
    assert home_hectares(call_client) == before
    # The same form with an outline inside the park is accepted and counted.
    response = call_client.post(URL, new_plot(free_square(park, 100), **published))
    assert response.status_code == 302
    assert home_hectares(call_client) == before + 1


def lens_square(side=16):
    return free_square(BusinessPark.objects.get(name=LENS), side)


def bowtie():
    x, y = lens_square().extent[:2]
    ring = ((x, y), (x + 30, y + 30), (x + 30, y), (x, y + 30), (x, y))
    return wgs84(Polygon(ring, srid=SRID))


def with_heights():
    coordinates = json.loads(wgs84(lens_square()))["coordinates"]
    return json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[*point, 35.0] for point in ring] for ring in coordinates],
        }
    )


def two_pieces():
    one = lens_square(10)
    other = square(one.extent[0] + 12, one.extent[1], 10)
    return wgs84(MultiPolygon(one, other, srid=SRID))


def degrees_declared_lambert():
    return "SRID=2154;" + lens_square().transform(4326, clone=True).wkt


def metres_declared_wgs84():
    return json.dumps({"type": "Polygon", "coordinates": lens_square().coords})


BAD_INPUT = {
    "self-intersecting": (bowtie, "se recoupe"),
    "empty": (lambda: '{"type": "MultiPolygon", "coordinates": []}', "vide"),
    "tiny": (lambda: wgs84(lens_square(2)), "trop petit (4\xa0m²)"),
    "huge": (lambda: wgs84(square(650_000, 7_000_000, 30_000)), "trop grand"),
    "3D": (with_heights, "altitudes"),
    "curved": (
        lambda: "CURVEPOLYGON(CIRCULARSTRING(2.83 50.43, 2.84 50.44, 2.83 50.43))",
        "courbe",
    ),
    "multi-part": (two_pieces, "2 morceaux"),
    "WGS84 declared as Lambert-93": (degrees_declared_lambert, "longitudes"),
    "Lambert-93 declared as WGS84": (metres_declared_wgs84, "mètres Lambert-93"),
    "a point": (lambda: '{"type": "Point", "coordinates": [2.8, 50.4]}', "un point"),
    "garbage": (lambda: "le terrain derrière la gare", "ne peut pas être lu"),
    # JSON that GDAL, not GEOS, refuses: a Feature pasted from a web editor,
    # a polygon without rings (the form's page was a server error).
    "a GeoJSON Feature": (
        lambda: json.dumps({"type": "Feature", "geometry": json.loads(bowtie())}),
        "ne peut pas être lu",
    ),
    "no rings": (lambda: '{"type": "Polygon", "coordinates": []}', "ne peut pas"),
    "an empty object": (lambda: "{}", "ne peut pas être lu"),
    "a huge number": (
        lambda: (
            '{"type": "Polygon", "coordinates": [[[1e308, 50], [2, 1e308], '
            "[2, 50], [1e308, 50]]]}"
        ),
        "ne sont pas des longitudes",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_a_form_error_in_words(call_client, demo, case):
    make, expected = BAD_INPUT[case]
    park = BusinessPark.objects.get(name=LENS)
    message = refused(call_client.post(URL, new_plot(make(), park=park.pk)))
    assert expected in message
    assert "Self-intersection" not in message and "GEOS" not in message


def test_a_refused_outline_with_the_park_left_empty_is_a_form_error(call_client, demo):
    """Editing a plot, the park left empty (it is found from the outline) and
    an outline the form refuses: the page says why, as on the add form (the
    park found from no outline emptied the plot's park, and checking the staff
    member's rights on that plot was a 500)."""
    plot = Plot.objects.filter(park__name=LENS).first()
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    data = {
        key: value
        for key, value in call_client.get(url).context["adminform"].form.initial.items()
        if value is not None
    }
    data |= {"park": "", "geom": bowtie(), "photos-TOTAL_FORMS": 0}
    data |= {"photos-INITIAL_FORMS": 0}
    response = call_client.post(url, data)
    assert response.status_code == 200
    assert "se recoupe" in " ".join(response.context["adminform"].form.errors["geom"])
    plot.refresh_from_db()
    assert plot.park.name == LENS


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "The outline crosses itself"),
        ("nl", "De omtrek snijdt zichzelf"),
    ],
)
def test_messages_speak_the_staff_members_language(
    call_client, demo, language, expected
):
    response = call_client.post(URL, new_plot(bowtie()), HTTP_ACCEPT_LANGUAGE=language)
    assert expected in refused(response)


# Parks.

PARK_URL = reverse("admin:sites_businesspark_add")


def new_park(perimeter, **extra):
    return {
        "name": "Nouveau parc",
        "slug": "nouveau-parc",
        "organisation": "",
        "perimeter": wgs84(perimeter),
        "park_type": codes.ParkType.BUSINESS_ZONE,
        "state": codes.ParkState.ACTIVE,
        "dominant_vocation": codes.DominantVocation.INDUSTRY,
        "owner_type": codes.OwnerType.EPCI,
        "identified_on": "2026-01-15",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "plots-TOTAL_FORMS": 0,
        "plots-INITIAL_FORMS": 0,
        **extra,
    }


def test_a_park_gets_its_main_commune_from_its_perimeter(call_client, demo):
    call = Organisation.objects.get(slug="call")
    lens = Commune.objects.get(name="Lens")
    perimeter = square(*lens.point.coords, 300)
    response = call_client.post(PARK_URL, new_park(perimeter, organisation=call.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert BusinessPark.objects.get(slug="nouveau-parc").commune == lens


def test_a_park_outside_its_organisations_communes_is_refused(call_client, demo):
    call = Organisation.objects.get(slug="call")
    bethune = Commune.objects.get(name="Béthune")  # CABBALR's
    perimeter = square(*bethune.point.coords, 300)
    response = call_client.post(PARK_URL, new_park(perimeter, organisation=call.pk))
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["perimeter"]
    assert message == "Le périmètre est hors des communes de CALL."
    assert not BusinessPark.objects.filter(slug="nouveau-parc").exists()
