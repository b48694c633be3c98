"""The home page's map of the territory: drawn from the data, light, linked to
the parks, said again in words, kept until a listing changes."""

import re

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.territory_map import (
    CITIES,
    LABEL_GAP,
    MAX_PARKS,
    TOWNS,
    Place,
    _labels_placed,
    _overlap,
    territory_map,
)
from sites.models import BusinessPark, Commune
from sites.selectors import parks_with_available_ha

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")


def svg(html):
    return re.search(r"<svg viewBox=.*?</svg>", html, re.S).group(0)


def test_the_home_draws_the_three_agglomerations_and_the_parks(client, demo):
    html = client.get(HOME).content.decode()

    picture = svg(html)
    areas = re.findall(
        r'<path class="area[^"]*" d="([^"]+)"><title>([^<]+)</title>', picture
    )
    assert sorted(name for _d, name in areas) == ["CABBALR", "CAHC", "CALL"]
    # Every commune with a boundary is drawn: one closed ring at least each.
    rings = sum(d.count("M") for d, _name in areas)
    assert rings >= Commune.objects.in_territory().count()
    # The parks with land, each a link to its page, in the picture and the list.
    parks = parks_with_available_ha().filter(available_ha__gt=0)
    assert parks.exists()
    for park in parks:
        assert picture.count(f'href="{park.get_absolute_url()}"') == 1
        assert html.count(f'href="{park.get_absolute_url()}"') >= 2
    # SIZIAF's park drawn as its zone; the neighbouring cities named.
    assert '<path class="zone"' in picture
    for city in ("Lille", "Arras", "Douai", "Lens", "Béthune"):
        assert f">{city}</text>" in picture
    # A picture for the eye: hidden from screen readers, its links out of the
    # tab order, the list below says the same.
    assert 'aria-hidden="true"' in picture.split(">", 1)[0]
    assert picture.count('tabindex="-1"') == picture.count("<a ")


def test_the_map_is_light(client, demo):
    html = client.get(HOME).content.decode()
    assert len(svg(html).encode()) < 40_000


def test_the_parks_surface_is_written_in_the_visitors_language(client, demo):
    park = parks_with_available_ha().order_by("-available_ha").first()
    html = client.get(reverse("portal:home")).content.decode()
    # As the other pages write a surface (31,50 ha, 11 ha): the list said
    # "31,5" and "11,0" where the park's organisation page said "31,50" and "11".
    with translation.override("fr"):
        french = floatformat(park.available_ha, "-2g")
    assert french == "123,50"
    assert f"{french} ha disponibles" in html or f"{french}\xa0ha disponibles" in html
    assert "11\xa0ha disponibles" in html and "11,0 ha" not in html


@pytest.mark.parametrize(
    "language, colon", [("fr", "\xa0: "), ("en", ": "), ("nl", ": ")]
)
def test_a_park_s_name_and_its_land_are_punctuated_as_the_language_writes(
    client, demo, language, colon
):
    # French puts a (non-breaking) space before a colon; the list and the
    # circles' titles wrote it in the template, as English does.
    park = parks_with_available_ha().order_by("-available_ha").first()
    with translation.override(language):
        html = client.get(reverse("portal:home")).content.decode()
    assert f"<title>{park.name}{colon}" in html
    assert f"({park.organisation}){colon}" in html


def test_the_map_is_kept_until_a_listing_changes(demo):
    with translation.override("fr"):
        territory_map()
        with CaptureQueriesContext(connection) as queries:
            first = territory_map()
        assert len(queries) == 0

        park = BusinessPark.objects.filter(name__icontains="Delta 3").get()
        park.name = "Delta 3 renamed"
        park.save()
        with CaptureQueriesContext(connection) as queries:
            second = territory_map()
        assert len(queries) > 0
    assert "Delta 3 renamed" in {mark.name for mark in second.parks}
    assert "Delta 3 renamed" not in {mark.name for mark in first.parks}


def test_park_names_are_escaped(client, demo):
    park = parks_with_available_ha().filter(available_ha__gt=0).first()
    BusinessPark.objects.filter(pk=park.pk).update(name='<script>alert("x")</script>')
    html = client.get(HOME).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_without_communes_there_is_no_map_and_no_error(client, db):
    Commune.objects.update(boundary=None)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "territory-map" not in response.content.decode()


def test_a_large_region_shows_its_largest_parks_and_says_how_many(client, demo):
    assert MAX_PARKS < 100  # the bound that keeps the picture light
    shown = territory_map().parks
    assert len(shown) <= MAX_PARKS
    sizes = [mark.available_ha for mark in shown]
    assert sizes == sorted(sizes, reverse=True)


def test_no_name_runs_into_another_or_off_the_picture(client, demo):
    """Liévin's name, written to the right of its dot, ran into Hénin-Beaumont's,
    written to the left of its own: each name now goes where it is clear."""
    picture = svg(client.get(HOME).content.decode())
    drawn = territory_map()
    assert len(drawn.places) == len(TOWNS + CITIES)
    boxes = {}
    for place in drawn.places:
        # The page writes each name where the map placed it.
        anchor = "" if place.anchor == "start" else f' text-anchor="{place.anchor}"'
        assert f'dx="{place.dx}" dy="{place.dy}"{anchor}>{place.name}</text>' in picture
        box = boxes[place.name] = place.label_box(place.dx, place.dy, place.anchor)
        assert box[0] >= 0 and box[1] >= 0
        assert box[2] <= drawn.width and box[3] <= drawn.height
    for name, box in boxes.items():
        for other, other_box in boxes.items():
            if other != name:
                assert not _overlap(box, other_box), (name, other)
    # Names are drawn over the parks' circles, and let clicks through to them.
    assert picture.index('class="park"') < picture.index('class="place')


def test_a_name_goes_elsewhere_when_its_side_is_taken():
    west = Place(100, 100, "Liévin", False)
    east = Place(100 + 2 * LABEL_GAP + 60, 100, "Hénin-Beaumont", False)
    placed = {p.name: p for p in _labels_placed([west, east], 600, 400)}
    assert placed["Liévin"].anchor == "start"
    # Clear to its right: written there, as before.
    assert placed["Hénin-Beaumont"].anchor == "start"
    near_edge = Place(590, 100, "Hénin-Beaumont", False)
    assert _labels_placed([near_edge], 600, 400)[0].anchor == "end"
    crowded = [Place(300, 200, "Lens", False), Place(330, 200, "Liévin", False)]
    spots = {p.name: p.anchor for p in _labels_placed(crowded, 600, 400)}
    assert spots["Lens"] != "start"  # Liévin's dot is there
