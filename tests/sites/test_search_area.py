"""Search inside an area drawn on the map, or around a commune."""

import html
import json
import re
import time

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.polyline import encode
from sites.areas import MAX_VERTICES
from sites.filters import within
from sites.models import SRID, Commune, Plot

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")
API = reverse("api-plots")


def names(response):
    return {plot.name for plot in response.context["page"]}


def api_names(response):
    return {f["properties"]["name"] for f in json.loads(response.content)["features"]}


def polygon_param(ring):
    """`area` of a ring of (longitude, latitude), as the search map writes it."""
    return "p:" + encode([(lat, lng) for lng, lat in ring])


def box_around(geometry, margin_m=20):
    """A WGS84 ring around `geometry` (Lambert-93)."""
    west, south, east, north = geometry.buffer(margin_m).extent
    box = Polygon.from_bbox((west, south, east, north))
    box.srid = SRID
    return box.transform(4326, clone=True).exterior_ring.coords


def expected_within(area):
    """The plots on offer meeting `area`, without the database's spatial
    functions."""
    return {p.name for p in Plot.objects.on_offer() if p.geom.intersects(area)}


def as_area(ring):
    polygon = Polygon(ring, srid=4326)
    return polygon.transform(SRID, clone=True)


@pytest.fixture
def delta3(demo):
    return Plot.objects.get(surface_ha=32).park


def test_a_drawn_polygon_narrows_list_and_map_alike(client, delta3):
    ring = box_around(delta3.perimeter)
    params = {"area": polygon_param(ring)}
    response = client.get(URL, params)
    assert response.status_code == 200
    found = names(response)
    assert found == expected_within(as_area(ring))
    assert set(delta3.plots.on_offer().values_list("name", flat=True)) <= found
    assert len(found) < Plot.objects.on_offer().count()
    assert api_names(client.get(API, params)) == found


def test_a_drawn_circle(client, demo):
    plot = Plot.objects.on_offer().get(surface_ha=32)
    centre = plot.geom.point_on_surface.transform(4326, clone=True)
    area = f"c:{centre.y:.5f},{centre.x:.5f},1500"
    found = names(client.get(URL, {"area": area}))
    circle = Point(round(centre.x, 5), round(centre.y, 5), srid=4326)
    circle = circle.transform(SRID, clone=True).buffer(1500, quadsegs=16)
    assert plot.name in found
    assert found == expected_within(circle)
    assert len(found) < Plot.objects.on_offer().count()


def test_within_km_of_a_commune_without_a_mouse(client, demo):
    dourges = Commune.objects.get(insee="62274")
    params = {"near": "62274", "near_km": "3"}
    found = names(client.get(URL, params))
    assert found == expected_within(dourges.point.buffer(3000, quadsegs=16))
    assert found
    wider = names(client.get(URL, {"near": "62274", "near_km": "20"}))
    assert found < wider
    # The commune's name does as well as its code.
    assert names(client.get(URL, {"near": "Dourges", "near_km": "3"})) == found
    assert api_names(client.get(API, params)) == found


@pytest.mark.parametrize(
    "language, keyboard, mouse",
    [
        ("fr", "clavier", ["souris", "toucher", "doigt"]),
        ("en", "keyboard", ["mouse", "touch", "finger"]),
        ("nl", "toetsenbord", ["muis", "aanraak", "vinger"]),
    ],
)
def test_the_note_beside_the_drawing_tools_speaks_of_the_keyboard_only(
    client, language, keyboard, mouse
):
    """The note said "Without a mouse", as if a phone or tablet could not draw
    an area, though a finger draws as a mouse does. It is for keyboard users,
    and names the filter they can use instead, as the form labels it."""
    with translation.override(language):
        page = client.get(reverse("sites:search")).content.decode()
        label = translation.gettext("Around the commune")
    tools = re.search(r'<div class="area-tools".*?</div>', page, re.S)[0]
    note = re.search(r'<span class="map-note">(.*?)</span>', tools)[1]
    note = html.unescape(note)
    assert keyboard in note.lower()
    assert not [word for word in mouse if word in note.lower()]
    assert label in note


def test_the_area_survives_as_the_pages_link(client, delta3):
    area = polygon_param(box_around(delta3.perimeter))
    html = client.get(URL, {"area": area}).content.decode()
    assert f'name="area" value="{area}"' in html.replace("&quot;", '"')


def ring_of(count):
    """A valid ring of `count` corners around Lens."""
    import math

    return [
        (2.83 + 0.01 * math.cos(2 * math.pi * i / count),
         50.43 + 0.01 * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]  # fmt: skip


BOWTIE = [(2.80, 50.40), (2.90, 50.45), (2.90, 50.40), (2.80, 50.45)]
PLANET = [(-179, -89), (179, -89), (179, 89), (-179, 89)]
FRANCE = [(-4.0, 42.0), (8.0, 42.0), (8.0, 51.0), (-4.0, 51.0)]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"area": polygon_param(BOWTIE)}, "se croisent"),
        ({"area": polygon_param(ring_of(10_000))}, "trop de sommets"),
        ({"area": polygon_param(ring_of(MAX_VERTICES + 1))}, "trop de sommets"),
        ({"area": polygon_param(PLANET)}, "en dehors"),
        ({"area": polygon_param(FRANCE)}, "trop grande"),
        ({"area": polygon_param([(2.8, 50.4), (2.9, 50.4)])}, "trois sommets"),
        ({"area": "p:" + "\x00" * 10}, "ne peut pas être lue"),
        ({"area": "p:_p~iF~ps|U_"}, "ne peut pas être lue"),
        ({"area": "p:" + "~" * 50}, "ne peut pas être lue"),
        ({"area": "POLYGON((0 0,1 0,1 1,0 0))"}, "ne peut pas être lue"),
        ({"area": '{"type": "Point", "coordinates": [2.8, 50.4]}'}, "ne peut pas"),
        ({"area": "c:50.4,2.8"}, "ne peut pas être lue"),
        ({"area": "c:50.4,2.8,nan"}, "ne peut pas être lue"),
        ({"area": "c:50.4,2.8,1e9"}, "rayon"),
        ({"area": "c:50.4,2.8,0"}, "rayon"),
        ({"area": "c:-33.9,151.2,1000"}, "en dehors"),
        ({"area": "c:50.4,2.8,1000&area=c:50.4,2.8,900"}, "plusieurs fois"),
        ({"near": "62274", "near_km": "500"}, "75"),
        ({"near": "Atlantis", "near_km": "5"}, "choix valide"),
    ],
)
def test_bad_areas_are_refused_in_words_never_slowly(client, demo, params, words):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    if "area" in params and "&area=" not in query:
        query = None
    start = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = (
            client.get(URL, params) if query is None else client.get(f"{URL}?{query}")
        )
    assert time.monotonic() - start < 2
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html, html[html.find("form-errors") :][:600]
    # Refused before any plot is read.
    assert not any("sites_plot" in q["sql"] for q in queries.captured_queries)
    api = client.get(API, params) if query is None else client.get(f"{API}?{query}")
    assert api.status_code == 400
    assert set(json.loads(api.content)["errors"]) & {"area", "near", "near_km"}


def query_plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The demo is small enough for a sequential scan to be cheaper:
            # forbid it, and see whether the query can use an index at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_the_area_query_uses_the_spatial_index(demo):
    ring = ring_of(12)
    area = as_area([*ring, ring[0]])
    plan = query_plan(within(Plot.objects.on_offer(), area))
    if connection.vendor == "postgresql":
        # An index scan, or a bitmap one (the planner may combine it with the
        # surface index for a few rows): the area is found through it.
        assert re.search(r"Index Scan (using|on) sites_plot_geom\w*", plan), plan
        assert re.search(r"(Index|Recheck) Cond: \(+geom && ", plan), plan
    else:
        assert "SpatialIndex" in plan, plan
        assert "SCAN sites_plot" not in plan.replace('"', ""), plan
    # And the index gives the same plots as the exact test alone.
    exact = Plot.objects.on_offer().filter(geom__intersects=area)
    assert set(within(Plot.objects.on_offer(), area)) == set(exact)


def test_the_commune_box_suggests_any_commune(client, demo):
    url = reverse("sites:search-suggestions", args=["near"])
    found = client.get(url, {"q": "Arras"}).json()["suggestions"]
    assert {"value": "62041", "label": "Arras"} in found
    # Lille is outside the territory, yet a supplier there is a fair centre.
    assert any(
        s["label"] == "Lille"
        for s in client.get(url, {"q": "Lille"}).json()["suggestions"]
    )


def one_plot_area(plot):
    """`area` of a small square around a point of `plot`: that plot only."""
    square = plot.geom.point_on_surface.buffer(5).transform(4326, clone=True)
    return polygon_param(square.exterior_ring.coords[:-1])


def test_the_map_tiles_follow_the_area(client, delta3):
    from tests.sites.test_tiles import features, tile_of

    plot = delta3.plots.on_offer().first()
    tile = tile_of(plot.geom, 14)
    drawn = features(client, "plots", *tile, {"area": one_plot_area(plot)})
    every = {f["id"] for f in features(client, "plots", *tile)}
    assert [f["id"] for f in drawn] == [plot.pk]
    assert len(every) > 1
    bad = reverse("api-tiles", kwargs=dict(zip("zxy", tile, strict=True)))
    assert client.get(bad, {"area": polygon_param(BOWTIE)}).status_code == 400


def test_an_area_costs_no_more_queries_than_any_filter(client, delta3):
    # The park's own filter finds the same few plots (and so offers as many
    # wider searches): the drawn area adds no query of its own.
    area = {"area": polygon_param(box_around(delta3.perimeter))}
    park = {"park": delta3.slug}
    assert names(client.get(URL, area)) == names(client.get(URL, park))
    delta3.save()  # a listing changed: neither page is served from the cache
    with CaptureQueriesContext(connection) as by_park:
        client.get(URL, park)
    with CaptureQueriesContext(connection) as drawn:
        client.get(URL, area)
    assert len(drawn) <= len(by_park), [q["sql"][:80] for q in drawn]


def test_a_tiny_result_offers_the_search_without_the_area(client, delta3):
    # One plot's outline, shrunk: only that plot is found.
    plot = delta3.plots.on_offer().first()
    response = client.get(URL, {"area": one_plot_area(plot)})
    assert names(response) == {plot.name}
    widenings = {w.name: w for w in response.context["widenings"]}
    assert widenings["area"].count == Plot.objects.on_offer().count()


def test_the_map_is_given_the_communes_circle(client, demo):
    html = client.get(URL, {"near": "62274", "near_km": "3"}).content.decode()
    point = Commune.objects.get(insee="62274").point.transform(4326, clone=True)
    assert f'data-near="{point.y:.5f},{point.x:.5f},3000"' in html
    assert 'data-near=""' in client.get(URL).content.decode()
    assert (
        'data-near=""'
        in client.get(URL, {"near": "62274", "near_km": "500"}).content.decode()
    )
