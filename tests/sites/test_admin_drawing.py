"""Drawing a plot in the admin: commune and park are found from the outline."""

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.urls import reverse

from sites.models import BusinessPark, Plot
from tests.factories import staff_user

pytestmark = pytest.mark.django_db
URL = reverse("admin:sites_plot_add")


def new_plot(outline, **extra):
    return {
        "name": "Nouveau terrain",
        "slug": "nouveau-terrain",
        "geom": outline.transform(4326, clone=True).json,
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


def inside(park, side=80):
    centre = park.perimeter.point_on_surface
    square = centre.buffer(side / 2, quadsegs=1).envelope
    return MultiPolygon(square, srid=park.perimeter.srid)


def test_commune_and_park_are_found_from_the_outline(client, demo):
    client.force_login(staff_user("call"))
    park = BusinessPark.objects.get(name__endswith="site de Lens")
    response = client.post(URL, new_plot(inside(park)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    plot = Plot.objects.get(slug="nouveau-terrain")
    assert plot.park == park
    assert plot.commune.name == "Lens"
    assert float(plot.surface_ha) == pytest.approx(0.64, abs=0.01)


def test_an_outline_in_another_organisations_park_is_not_attached_to_it(client, demo):
    client.force_login(staff_user("call"))
    foreign = BusinessPark.objects.get(name="Plate-forme multimodale Delta 3")
    response = client.post(URL, new_plot(inside(foreign)))
    assert response.status_code == 200
    assert "park" in response.context["adminform"].form.errors
    assert not Plot.objects.filter(slug="nouveau-terrain").exists()


def test_an_outline_outside_the_territory_is_refused(client, demo):
    client.force_login(staff_user("call"))
    park = BusinessPark.objects.get(name__endswith="site de Lens")
    square = inside(park)[0]
    # The same square 30 km north, in Lille: outside the three agglomerations.
    moved = type(square)([(x, y + 30_000) for x, y in square.exterior_ring.coords])
    outline = MultiPolygon(moved, srid=park.perimeter.srid)
    response = client.post(URL, new_plot(outline, park=park.pk))
    assert response.status_code == 200
    assert "geom" in response.context["adminform"].form.errors
    assert not Plot.objects.filter(slug="nouveau-terrain").exists()
