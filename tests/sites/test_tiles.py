"""The search map's vector tiles (/api/v1/tiles/z/x/y.pbf): the search's plots,
counted per park and cell at low zoom, outlined close up; decoded here with
the independent mapbox-vector-tile package."""

import gzip
import math
import re

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.mvt import tile_bounds
from core.spatial import storage_extent, storage_outline
from sites import api, grid, tiles
from sites.models import Plot
from sites.search import plot_search
from sites.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def plots(demo):
    """The demo plots and 300 synthetic ones around the territory's communes."""
    synthetic_generate(plots=300, spread="territory", seed=7)
    return Plot.objects.on_offer()


@pytest.fixture
def cells_uncached(monkeypatch):
    """Every cluster tile counted by itself: the cells counted for a block of
    tiles (sites.tiles._block_tiles) are not kept for the next."""
    monkeypatch.setattr(tiles, "listings_cached", lambda name, compute, **kw: compute())


def url(z, x, y):
    return reverse("api-tiles", kwargs={"z": z, "x": x, "y": y})


def tile_of(geometry, z):
    """The z/x/y of the tile holding a point of `geometry`."""
    point = geometry.point_on_surface.transform(4326, clone=True)
    n = 2**z
    x = int((point.x + 180) / 360 * n)
    lat = math.radians(point.y)
    y = int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * n)
    return z, x, y


def layers(client, z, x, y, params=None):
    response = client.get(url(z, x, y), params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def features(client, layer, z, x, y, params=None):
    return layers(client, z, x, y, params).get(layer, {"features": []})["features"]


def clusters(content):
    """The tile's clusters, in a stable order: (properties, (x, y))."""
    layer = mapbox_vector_tile.decode(content).get("clusters", {"features": []})
    found = [
        (f["properties"], tuple(f["geometry"]["coordinates"]))
        for f in layer["features"]
    ]
    return sorted(found, key=lambda c: (sorted(c[0].items()), c[1]))


def assert_same_clusters(from_grid, live):
    assert [c[0] for c in from_grid] == [c[0] for c in live]
    for (_, (gx, gy)), (_, (lx, ly)) in zip(from_grid, live, strict=True):
        assert abs(gx - lx) <= 1 and abs(gy - ly) <= 1  # within a grid unit


def on_offer_in_tile(z, x, y, queryset):
    """The ids of `queryset`'s plots meeting the tile or its margin (outlines
    overlap their neighbours' tiles by OUTLINE_BUFFER grid units), found
    without the tile code: every outline taken to Web Mercator and tested in
    Python."""
    west, south, east, north = tile_bounds(z, x, y)
    margin = (east - west) * tiles.OUTLINE_BUFFER / 4096
    box = Polygon.from_bbox(
        (west - margin, south - margin, east + margin, north + margin)
    )
    return {
        plot.pk
        for plot in queryset
        if plot.geom.transform(3857, clone=True).intersects(box)
    }


def test_close_up_every_matching_plot_is_outlined_with_its_popup(client, plots):
    plot = plots.filter(slug__startswith="synthetic-").first()
    z, x, y = tile_of(plot.geom, 14)
    found = features(client, "plots", z, x, y)
    assert {f["id"] for f in found} == on_offer_in_tile(z, x, y, plots)
    assert len(found) >= 4
    mine = next(f for f in found if f["id"] == plot.pk)
    assert mine["geometry"]["type"] == "Polygon"
    assert mine["properties"] == {
        "name": plot.name,
        "slug": plot.slug,
        "ha": float(plot.surface_ha),
        "stage": plot.marketing_stage,
        "commune_name": plot.commune.name,
        "park_name": plot.park.name,
        "organisation": plot.park.organisation.short_name,
    }


def test_filters_are_the_search_s_own(client, plots):
    plot = plots.filter(slug__startswith="synthetic-").first()
    z, x, y = tile_of(plot.geom, 14)
    params = {"surface_min": str(plot.surface_ha), "vocation": "industry"}
    search = plot_search(params=params)
    assert search.is_valid()
    found = {f["id"] for f in features(client, "plots", z, x, y, params)}
    assert found == on_offer_in_tile(z, x, y, search.qs)
    assert found < {f["id"] for f in features(client, "plots", z, x, y)}
    assert client.get(url(z, x, y), {"surface_min": "lots"}).status_code == 400


def test_a_sort_of_empty_names_changes_no_tile(client, demo):
    plot = Plot.objects.on_offer().first()
    z, x, y = tile_of(plot.geom, 14)
    # Asked for first: the tile without the sort, the same cache entry,
    # would be served for it.
    sorted_ = {"surface_min": 0, "sort": ","}
    found = {f["id"] for f in features(client, "plots", z, x, y, sorted_)}
    assert found == {f["id"] for f in features(client, "plots", z, x, y)}
    assert plot.pk in found


def test_only_published_plots_in_published_parks(client, plots):
    plot = plots.filter(slug__startswith="synthetic-").first()
    z, x, y = tile_of(plot.geom, 15)
    assert plot.pk in {f["id"] for f in features(client, "plots", z, x, y)}
    plot.is_published = False
    plot.save()  # the tile cache follows the listings version
    assert plot.pk not in {f["id"] for f in features(client, "plots", z, x, y)}
    Plot.objects.filter(pk=plot.pk).update(is_published=True)
    plot.park.is_published = False
    plot.park.save()
    assert plot.pk not in {f["id"] for f in features(client, "plots", z, x, y)}


def test_low_zooms_count_every_matching_plot_in_a_few_clusters(client, plots):
    clusters = features(client, "clusters", 0, 0, 0)
    assert sum(c["properties"]["plots"] for c in clusters) == plots.count()
    assert all(c["geometry"]["type"] == "Point" for c in clusters)
    # Filtered: the counts are the search's.
    params = {"surface_max": "2"}
    clusters = features(client, "clusters", 0, 0, 0, params)
    search = plot_search(params=params)
    assert search.is_valid()
    assert sum(c["properties"]["plots"] for c in clusters) == search.qs.count() > 0
    # A cell holds whole parks: at z10 the Artois is split in several.
    z, x, y = tile_of(plots.first().geom, 10)
    clusters = features(client, "clusters", z, x, y)
    assert 1 < len(clusters) <= (256 // grid.CLUSTER_CELL_PX + 2) ** 2
    alone = [c["properties"] for c in clusters if c["properties"]["parks"] == 1]
    assert alone and all(c["park"] and c["park_slug"] for c in alone)


def block_tiles(z, x, y):
    """The 8 x 8 tiles counted together with tile z/x/y (sites.tiles)."""
    up = tiles.BLOCK_ZOOMS
    bx, by = x >> up << up, y >> up << up
    side = 2**tiles.BLOCK_ZOOMS
    return [(z, bx + i, by + j) for i in range(side) for j in range(side)]


def plots_in_block(search, z, x, y):
    """How many plots the search finds whose park's centre is in the block of
    z/x/y, found without the tile code."""
    up = tiles.BLOCK_ZOOMS
    west, south, east, north = tile_bounds(z - up, x >> up, y >> up)
    found = 0
    for plot in search.qs.select_related("park"):
        centre = plot.park.centroid.transform(3857, clone=True)
        found += west <= centre.x < east and south <= centre.y < north
    return found


def counted_and_drawn(client, tile, params):
    """How many queries read the plots for the tile, and how many plots its
    clusters hold, each cluster once: those where it is, not those in its
    margin (drawn again by the tiles next to them)."""
    with CaptureQueriesContext(connection) as queries:
        found = features(client, "clusters", *tile, params)
    drawn = sum(
        c["properties"]["plots"]
        for c in found
        if 0 <= c["geometry"]["coordinates"][0] < 4096
        and 0 < c["geometry"]["coordinates"][1] <= 4096
    )
    return sum("sites_plot" in q["sql"] for q in queries), drawn


def test_a_view_s_cluster_tiles_share_one_count_until_a_listing_changes(
    client, plots, settings, django_capture_on_commit_callbacks
):
    """The tiles of a block of 8 x 8 are counted together, once: every plot
    the search finds there is in one of their clusters, and the count is
    made again when a listing changes."""
    settings.LISTINGS_PAGE_CACHE = False  # each tile built from the cells kept
    z, x, y = tile_of(plots.first().geom, 9)
    for params in ({"surface_min": "1"}, {"surface_min": "3"}):
        search = plot_search(params=params)
        assert search.is_valid()
        expected = plots_in_block(search, z, x, y)
        drawn, counts = 0, []
        for tile in block_tiles(z, x, y):
            count, plots_here = counted_and_drawn(client, tile, params)
            counts.append(count)
            drawn += plots_here
        # Counted by the first tile in Lambert-93's area (those beyond it,
        # at sea, are empty without a query), read by the others.
        assert sum(counts) == 1, counts
        assert drawn == expected > 0, params
    # A plot sold leaves its cluster at once.
    in_tile = [
        plot
        for plot in search.qs.select_related("park").order_by("pk")
        if tile_of(plot.park.centroid, z) == (z, x, y)
    ]
    assert in_tile
    before = sum(
        c["properties"]["plots"] for c in features(client, "clusters", z, x, y, params)
    )
    with django_capture_on_commit_callbacks(execute=True):
        plot = in_tile[0]
        plot.commercial_stage = Plot.CommercialStage.SOLD
        plot.save()
    with CaptureQueriesContext(connection) as queries:
        found = features(client, "clusters", z, x, y, params)
    assert sum(c["properties"]["plots"] for c in found) == before - 1
    assert sum("sites_plot" in q["sql"] for q in queries) == 1


def test_up_to_zoom_7_one_count_serves_the_whole_map(client, plots, settings):
    settings.LISTINGS_PAGE_CACHE = False
    params = {"surface_min": "1"}
    search = plot_search(params=params)
    assert search.is_valid()
    for z in (5, tiles.WHOLE_MAP_ZOOM):
        held = {
            tile_of(plot.park.centroid, z) for plot in search.qs.select_related("park")
        }
        counts, drawn = [], 0
        # The tiles holding the parks, and one far away (Brest's).
        for tile in [*sorted(held), tile_of(Point(-4.49, 48.39, srid=4326), z)]:
            count, plots_here = counted_and_drawn(client, tile, params)
            counts.append(count)
            drawn += plots_here
        assert counts[0] == 1 and sum(counts) == 1, (z, counts)
        assert drawn == search.qs.count() > 0


def test_a_tile_stays_small_and_bounded(client, plots, monkeypatch, settings):
    z, x, y = tile_of(plots.first().geom, 13)
    response = client.get(url(z, x, y))
    assert 0 < len(gzip.compress(response.content)) < 100 * 1024
    assert len(features(client, "plots", z, x, y)) > 3
    settings.LISTINGS_PAGE_CACHE = False
    monkeypatch.setattr(tiles, "MAX_FEATURES", 3)
    assert len(features(client, "plots", z, x, y)) == 3


@pytest.mark.parametrize(
    "z, x, y",
    [
        ("a", "0", "0"),
        ("1.5", "0", "0"),
        ("-1", "0", "0"),
        ("19", "0", "0"),  # above the maximum zoom
        ("99999999", "0", "0"),
        ("2", "4", "1"),  # x out of range
        ("2", "1", "4"),
        ("3", "0", "0x1"),
        ("3", "0", "١"),  # an Arabic-Indic one: a digit to Python, not here
    ],
)
def test_bad_coordinates_are_a_400(client, z, x, y):
    response = client.get(f"/api/v1/tiles/{z}/{x}/{y}.pbf")
    assert response.status_code == 400
    assert "tile" in response.json()["errors"]


def test_a_tile_far_from_lambert93_is_empty_without_a_query(client, plots):
    # The South Pacific at z5, and the whole south pole row at z2.
    for z, x, y in ((5, 1, 20), (2, 0, 3)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(z, x, y))
        assert response.status_code == 200
        assert response.content == b""
        assert len(queries) == 0


@pytest.mark.parametrize("zoom", [5, 9, 14])
def test_a_search_that_can_find_nothing_is_an_empty_tile(client, plots, zoom):
    # A map view off Lambert-93's area finds nothing (sites.filters.BboxFilter):
    # the tile over the territory is empty, not a 500.
    z, x, y = tile_of(plots.first().geom, zoom)
    response = client.get(url(z, x, y), {"bbox": "1,2,3,4", "surface_min": "1"})
    assert response.status_code == 200
    assert mapbox_vector_tile.decode(response.content) == {}
    assert layers(client, z, x, y, {"surface_min": "0"})


def test_etag_answers_304_until_a_listing_changes(client, plots):
    plot = plots.filter(slug__startswith="synthetic-").first()
    address = url(*tile_of(plot.geom, 14))
    first = client.get(address)
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(address, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    # As a browser asks after a gzipped answer (GZipMiddleware makes it weak),
    # among other tags.
    weak = f'"other", W/{first["ETag"]}'
    assert client.get(address, headers={"If-None-Match": weak}).status_code == 304
    plot.name = "Renamed"
    plot.save()
    changed = client.get(address, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_equivalent_searches_share_one_etag(client, plots):
    address = url(*tile_of(plots.first().geom, 12))
    etags = {
        client.get(address + query)["ETag"]
        for query in (
            "?surface_min=1&vocation=industry",
            "?vocation=industry&surface_min=1.00",
            "?surface_min=1&vocation=industry&utm_campaign=x&sort=surface",
        )
    }
    assert len(etags) == 1
    assert client.get(address + "?surface_min=2")["ETag"] not in etags


def explained(sql):
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET LOCAL enable_seqscan = off")  # few rows: any plan
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def gist_index(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s "
            "AND indexdef LIKE %s",
            [table, f"%USING gist ({column})%"],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def plots_over_france(demo):
    """300 synthetic plots spread over France: a tile holds a few of their
    parks, as at scale. Spread over the territory, a zoom-10 tile holds most
    of them, and the planner, which knows it (the synthetic dataset analyzes
    what it writes), rightly reads them without the spatial index."""
    synthetic_generate(plots=300, seed=7)
    return Plot.objects.on_offer()


@pytest.mark.parametrize("zoom", [10, 14])
def test_tiles_find_their_rows_through_the_spatial_index(
    client, plots_over_france, settings, zoom
):
    plots = plots_over_france
    settings.LISTINGS_PAGE_CACHE = False
    # Filtered: counted live (an unfiltered one may read the grid, sites.grid).
    address = url(*tile_of(plots.first().geom, zoom)) + "?surface_min=0.01"
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    tile_sql = [q["sql"] for q in queries if "sites_plot" in q["sql"]]
    assert tile_sql
    for sql in tile_sql:
        plan = explained(sql)
        if POSTGRES:
            table, column = (
                ("sites_plot", "geom")
                if zoom > 12
                else ("sites_businesspark", "centroid")
            )
            index = gist_index(table, column)
            assert re.search(rf"Index Scan (using|on) {index}\b", plan), plan
        else:
            assert "SpatialIndex VIRTUAL TABLE" in plan, plan
            assert "SCAN sites_plot" not in plan, plan  # found by rowid


@pytest.mark.skipif(not POSTGRES, reason="index-only scans are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # VACUUM, as autovacuum would have
def test_a_filtered_count_reads_the_counting_index_alone(
    client, plots, settings, cells_uncached
):
    """A cluster tile's count for a filter on the plots needs nothing of the
    table (sites.models, plot_surface_order): the surface bounds find their
    plots in it, the other filters' columns are in it (a commune's few plots
    are found through its own index)."""
    settings.LISTINGS_PAGE_CACHE = False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sites_plot")  # its visibility map
    for params in (
        {"surface_min": "2"},
        {"surface_min": "1", "surface_max": "20"},
        {"price_max": "40"},
        {"icpe": "on", "ready_to_build": "on"},
    ):
        with CaptureQueriesContext(connection) as queries:
            found = features(client, "clusters", 5, 16, 10, params)
        assert found, params
        (count,) = [q["sql"] for q in queries if "sites_plot" in q["sql"]]
        with transaction.atomic(), connection.cursor() as cursor:
            # Few rows here: the planner would rather read the table.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + count)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Index Only Scan using plot_surface_order on sites_plot" in plan, plan
        if "surface_min" in params:
            assert re.search(r"Index Cond: \(+surface_ha >=", plan), plan
        if "surface_max" in params:  # shown 20.00 ha or less: below 20.005
            assert re.search(r"Index Cond: .*surface_ha < 20\.005\b", plan), plan


def test_an_unfiltered_tile_is_named_and_drawn_without_the_search_form(
    client, plots, monkeypatch, settings
):
    # The fast path's name is an empty search's: the same cache entry and ETag
    # whether the query holds nothing, unread parameters or empty filters.
    address = url(*tile_of(plots.first().geom, 12))
    etags = {
        client.get(address + query)["ETag"]
        for query in ("", "?utm_campaign=x", "?vocation=&rail=&surface_min=")
    }
    assert len(etags) == 1
    # Such a tile builds no form at all, cached or not (most of a cached
    # tile's time), and draws what an empty search finds.
    settings.LISTINGS_PAGE_CACHE = False
    built = []
    real = api.plot_search
    monkeypatch.setattr(api, "plot_search", lambda **kw: built.append(1) or real(**kw))
    unfiltered = client.get(address).content
    assert unfiltered and not built
    # An empty search counts live what the grid holds (sites.grid).
    filtered = client.get(address + "?vocation=").content
    assert_same_clusters(clusters(unfiltered), clusters(filtered))
    assert built == [1]
    empty = plot_search(params={})
    assert empty.is_valid()
    assert str(empty.qs.order_by().query) == str(plots.order_by().query)


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's JIT")
def test_the_tile_query_runs_with_jit_off_either_way(
    client, plots, settings, cells_uncached
):
    settings.LISTINGS_PAGE_CACHE = False
    # Filtered: counted live (an unfiltered one may read the grid, sites.grid).
    address = url(*tile_of(plots.first().geom, 10)) + "?surface_min=0.01"
    with CaptureQueriesContext(connection) as queries:
        set_here = client.get(address).content
    assert "SET LOCAL jit = off" in [q["sql"] for q in queries]
    # A connection opened with it off (production's options) needs no SET.
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    options["options"] = "-c statement_timeout=20000 -c jit=off"
    try:
        with CaptureQueriesContext(connection) as queries:
            set_by_options = client.get(address).content
    finally:
        if before is None:
            del options["options"]
        else:
            options["options"] = before
    assert not [q for q in queries if "jit" in q["sql"]]
    assert set_by_options == set_here and set_here


def test_the_storage_outline_is_what_a_fresh_transformation_gives():
    # The transformation is kept per thread (building one cost 10 ms a tile):
    # the corners land where a new transformation puts them.
    west, south, east, north = 2.1, 50.2, 3.0, 50.7
    for _ in range(2):  # built, then kept
        outline = storage_outline(west, south, east, north)
        assert outline.srid == 2154
        ring = outline.exterior_ring
        corners = ((west, south), (east, south), (east, north), (west, north))
        for index, (lon, lat) in zip((0, 9, 18, 27), corners, strict=True):
            fresh = Point(lon, lat, srid=4326).transform(2154, clone=True)
            assert ring[index] == pytest.approx((fresh.x, fresh.y), abs=1e-6)


@pytest.mark.parametrize(
    "box",
    [
        (2.1, 50.2, 3.0, 50.7),  # the territory
        (-12.0, 38.0, 14.0, 60.0),  # beyond Lambert-93's area: cut to it
        (2.81, 50.41, 2.82, 50.42),  # a close-up
    ],
)
def test_a_tile_s_box_is_the_storage_outline_s_extent(box):
    """Read by GDAL from text (no GEOS), the same box as the outline's."""
    assert storage_extent(*box) == pytest.approx(storage_outline(*box).extent, abs=1e-6)
    assert storage_extent(20.0, 60.0, 21.0, 61.0) is None


@pytest.mark.skipif(not POSTGRES, reason="PostGIS builds its close-ups in SQL")
def test_unfiltered_close_ups_share_one_prepared_query(client, plots, monkeypatch):
    # Compiled once per process and prepared once per connection: each tile
    # gives only its own box and zoom.
    tiles._unfiltered_outline_query.cache_clear()
    compiled = []
    real = tiles._postgis_outline_query
    monkeypatch.setattr(
        tiles,
        "_postgis_outline_query",
        lambda *args: compiled.append(1) or real(*args),
    )
    synthetic = plots.filter(slug__startswith="synthetic-").order_by("pk")
    demo = plots.exclude(slug__startswith="synthetic-").first()
    drawn = set()
    with CaptureQueriesContext(connection) as queries:
        for plot in (synthetic.first(), synthetic.last(), demo):
            for zoom in (13, 16):
                z, x, y = tile_of(plot.geom, zoom)
                found = {f["id"] for f in features(client, "plots", z, x, y)}
                assert found == on_offer_in_tile(z, x, y, plots)
                drawn |= found
    assert len(drawn) > 10
    assert compiled == [1]
    tile_sql = [q["sql"] for q in queries if "tile_outlines_" in q["sql"]]
    assert len([sql for sql in tile_sql if sql.startswith("PREPARE")]) <= 1
    assert len([sql for sql in tile_sql if sql.startswith("EXECUTE")]) == 6
    # A filtered close-up is its own query, neither compiled once nor prepared.
    z, x, y = tile_of(demo.geom, 16)
    with CaptureQueriesContext(connection) as queries:
        features(client, "plots", z, x, y, {"surface_min": "0.01"})
    assert not [q for q in queries if "tile_outlines_" in q["sql"]]
    assert compiled == [1, 1]


def jagged(polygon, step=1.0, wobble=0.2):
    """`polygon`'s exterior, a vertex every `step` metres along its edges, each
    `wobble` metres to one side or the other: a detailed surveyed outline."""
    ring = polygon.exterior_ring.coords
    points = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        n = max(1, int(length / step))
        nx, ny = (y0 - y1) / length, (x1 - x0) / length  # the edge's normal
        for i in range(n):
            side = wobble if i % 2 else -wobble
            t = i / n
            points.append(
                (x0 + (x1 - x0) * t + nx * side, y0 + (y1 - y0) * t + ny * side)
            )
    return Polygon(points + points[:1], srid=polygon.srid)


@pytest.mark.parametrize("zoom", [14, 16])
def test_a_detailed_outline_is_drawn_simplified_and_valid(client, plots, zoom):
    plot = plots.filter(slug__startswith="synthetic-").first()
    detailed = jagged(plot.geom[0])
    assert detailed.valid and detailed.num_coords > 300
    Plot.objects.filter(pk=plot.pk).update(geom=MultiPolygon(detailed))
    z, x, y = tile_of(plot.geom, zoom)
    [mine] = [f for f in features(client, "plots", z, x, y) if f["id"] == plot.pk]
    assert mine["geometry"]["type"] == "Polygon"
    [ring] = mine["geometry"]["coordinates"]
    drawn = Polygon(ring)
    assert drawn.valid
    # Half a pixel's detail is gone (the wobble is below it at both zooms).
    assert len(ring) < 40
