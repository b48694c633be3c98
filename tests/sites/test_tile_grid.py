"""The precomputed clusters of unfiltered low-zoom tiles (sites.grid): the
same clusters as a tile counted live, never used once the listings changed,
rebuilt once per change; decoded with the mapbox-vector-tile package."""

import pytest
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from bench.tile_paths import tile_of as lonlat_tile
from core.caching import listings_version
from sites import codes, grid, tasks, tiles
from sites.models import ClusterCell, ClusterGrid, Plot
from sites.search import plot_search
from sites.synthetic import synthetic_generate
from tests.sites.test_tiles import assert_same_clusters, clusters, tile_of, url

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"
# SpatiaLite counts every tile live (sites.grid): the grid's own code still
# runs there, the tiles do not read it.
grid_read = pytest.mark.skipif(not POSTGRES, reason="tiles read the grid on PostGIS")


@pytest.fixture
def plots(demo):
    """The demo plots and 300 synthetic ones around the territory's communes."""
    synthetic_generate(plots=300, spread="territory", seed=7)
    return Plot.objects.on_offer()


@pytest.fixture
def built(plots, settings, monkeypatch):
    """A grid of the current listings; every tile built (no page cache) and
    every cluster tile counted by itself: the cells a tile counts for its
    block (sites.tiles) are not kept, so that two ways of counting one tile
    are both run."""
    settings.LISTINGS_PAGE_CACHE = False
    monkeypatch.setattr(tiles, "listings_cached", lambda name, compute, **kw: compute())
    grid.grid_build()
    return plots


@pytest.fixture
def asked(monkeypatch):
    """The rebuilds queued (countdowns), not run."""
    queued = []
    monkeypatch.setattr(
        tasks.tile_grid_build_task,
        "apply_async",
        lambda countdown=None, **kwargs: queued.append(countdown),
    )
    return queued


# A listings version no grid is ever built from: a tile asked with it counts
# its plots live.
NEVER = -1


def live_tile(z, x, y):
    """Counted from the plots, as a search without filters is when the grid
    is not current."""
    search = plot_search(params={})
    assert search.is_valid()
    return tiles.plot_tile(search, z, x, y, version=NEVER)


def tiles_around(geometry):
    """Tiles of every clustered zoom holding `geometry`, and at zooms 9 to 12
    their eight neighbours (clusters drawn in a tile's one-cell margin)."""
    for z in range(tiles.CLUSTER_MAX_ZOOM + 1):
        _, x, y = tile_of(geometry, z)
        yield z, x, y
        if z >= 9:
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    if dx or dy:
                        yield z, x + dx, y + dy


@grid_read
def test_the_grid_draws_the_live_clusters(built):
    version = listings_version()
    seen = 0
    for plot in (
        built.filter(is_demo=True).exclude(slug__startswith="synthetic-").first(),
        built.filter(slug__startswith="synthetic-").order_by("pk").last(),
    ):
        for z, x, y in tiles_around(plot.geom):
            from_grid = grid.grid_tile(z, x, y, version)
            assert from_grid is not None
            live = clusters(live_tile(z, x, y))
            assert_same_clusters(clusters(from_grid), live)
            # What the view sends for this tile is the grid's.
            assert tiles.plot_tile(None, z, x, y) == from_grid
            seen += len(live)
    assert seen > 50
    # A tile of France without a park: the grid knows it is empty.
    toulouse = lonlat_tile(1.44, 43.6, 10)
    assert grid.grid_tile(*toulouse, version) == b""
    assert live_tile(*toulouse) == b""


def test_the_grid_counts_every_plot_once_per_zoom(built):
    """Built on both databases (read on PostgreSQL only)."""
    for z in (0, 7, 12):
        per_zoom = ClusterCell.objects.filter(zoom=z)
        assert sum(per_zoom.values_list("plots", flat=True)) == built.count()
    alone = ClusterCell.objects.filter(zoom=12, parks=1)
    assert alone.exists() and not alone.filter(park_slug="").exists()
    assert not ClusterCell.objects.filter(parks__gt=1).exclude(park_name="").exists()


@grid_read
def test_a_grid_tile_is_one_small_query(client, built):
    plot = built.filter(slug__startswith="synthetic-").first()
    for zoom in (2, 5, 9, 12):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(*tile_of(plot.geom, zoom)))
        assert response.status_code == 200 and response.content
        # The stamp with the tile encoded when the grid was built (by the
        # unique index's columns).
        assert len(queries) == 1, [q["sql"] for q in queries]
        assert "sites_clustergrid" in queries[0]["sql"]
        assert "sites_clustertile" in queries[0]["sql"]
        assert "sites_plot" not in queries[0]["sql"]


@grid_read
def test_a_stale_grid_is_not_used_and_the_tile_follows_at_once(client, built):
    plot = built.filter(slug__startswith="synthetic-").first()
    address = url(*tile_of(plot.geom, 10))

    def counted():
        return sum(c[0]["plots"] for c in clusters(client.get(address).content))

    before = counted()
    plot.is_published = False
    plot.save()
    assert not grid.grid_is_current()
    assert counted() == before - 1
    # Tasks run in-process here: that tile asked for the grid again, and the
    # grid now says the same.
    assert grid.grid_is_current()
    assert ClusterGrid.objects.get().version == listings_version()
    assert counted() == before - 1
    plot.is_published = True
    plot.save()
    assert counted() == before


def test_the_grid_s_stamp_is_the_version_read_before_counting(built, monkeypatch):
    # A listings change while the grid is being counted leaves it stale.
    real = grid._counted_parks

    def changed_meanwhile():
        counted = real()
        plot = built.first()
        plot.name = "Renamed during the build"
        plot.save()
        return counted

    monkeypatch.setattr(grid, "_counted_parks", changed_meanwhile)
    grid.grid_build()
    assert not grid.grid_is_current()


@grid_read
def test_the_rebuild_is_asked_once_per_version(client, built, asked):
    plot = built.filter(slug__startswith="synthetic-").first()
    plot.name = "Renamed"
    plot.save()  # the grid is stale
    for zoom in (5, 8, 9, 10, 11, 12):
        client.get(url(*tile_of(plot.geom, zoom)))
    client.get(url(*tile_of(plot.geom, 10)) + "?surface_min=1")  # filtered
    client.get(url(*tile_of(plot.geom, 15)))  # outlines
    assert asked == [0]
    plot.name = "Renamed again"
    plot.save()
    for zoom in (5, 9):
        client.get(url(*tile_of(plot.geom, zoom)))
    assert asked == [0, 0]


@grid_read
def test_a_listings_commit_asks_for_one_rebuild_after_a_delay(
    plots, asked, settings, django_capture_on_commit_callbacks
):
    plot = plots.first()
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker
    for name in ("One", "Two", "Three"):
        with django_capture_on_commit_callbacks(execute=True):
            plot.name = name
            plot.save()
    assert asked == [grid.REBUILD_DELAY]
    tasks.tile_grid_build_task()  # run here: a later commit asks again
    assert grid.grid_is_current()
    with django_capture_on_commit_callbacks(execute=True):
        plot.save()
    assert asked == [grid.REBUILD_DELAY] * 2
    # In-process tasks (tests, the embedded default): no rebuild per commit.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    tasks.tile_grid_build_task()
    with django_capture_on_commit_callbacks(execute=True):
        plot.save()
    assert asked == [grid.REBUILD_DELAY] * 2


@grid_read
def test_the_command_builds_the_grid(plots):
    ClusterCell.objects.all().delete()
    call_command("build_tile_grid", verbosity=0)
    assert grid.grid_is_current()
    assert ClusterCell.objects.filter(zoom=0).get().plots == plots.count()


@pytest.mark.skipif(POSTGRES, reason="SpatiaLite's own tiles")
def test_spatialite_counts_its_tiles_live(client, built, asked):
    plot = built.filter(slug__startswith="synthetic-").first()
    address = url(*tile_of(plot.geom, 10))
    with CaptureQueriesContext(connection) as queries:
        before = sum(c[0]["plots"] for c in clusters(client.get(address).content))
    assert not [q for q in queries if "sites_cluster" in q["sql"]]
    plot.is_published = False
    plot.save()
    after = sum(c[0]["plots"] for c in clusters(client.get(address).content))
    assert after == before - 1 and asked == []
    call_command("build_tile_grid", verbosity=0)  # says so, builds nothing
    assert not grid.grid_is_current()


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's statement timeout")
def test_the_build_is_not_cut_by_the_requests_statement_timeout(plots, monkeypatch):
    # Production bounds every statement (DATABASE_STATEMENT_TIMEOUT); at a
    # million plots on a busy server the counting outlasted it, and the grid
    # was never built. (A SET in the test's transaction ends with it.)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '20s'")
    seen = []
    counted = grid._counted_parks

    def counted_seeing_the_timeout():
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            seen.append(cursor.fetchone()[0])
        return counted()

    monkeypatch.setattr(grid, "_counted_parks", counted_seeing_the_timeout)
    grid.grid_build()
    assert seen == ["0"]
    assert grid.grid_is_current()


def park_searches(plots):
    """Searches on the parks' own attributes, each keeping some plots."""
    demo = plots.filter(is_demo=True).exclude(slug__startswith="synthetic-")
    plot = demo.select_related("park__organisation").first()
    return [
        {},
        {"vocation": "industry"},
        {"vocation": "logistics", "rail": "on"},
        {"rail": "on"},
        {"canal": "on"},
        {"motorway_max_km": "3"},
        {"power_min_mva": "20"},
        {"power_min_mva": "20", "exclude_on_request": "on"},
        {"organisation": plot.park.organisation.slug},
        {"park": plot.park.slug, "sort": "-surface"},
    ]


def drawn_from_the_grid_as_live(search, geometry, version):
    """How many clusters `search` draws around `geometry` (tiles_around),
    asserting that with the grid current its tiles read ParkCount and draw
    what the same tiles counted live draw."""
    drawn = 0
    for z, x, y in tiles_around(geometry):
        reset_queries()  # the log keeps 9,000 queries at most
        with CaptureQueriesContext(connection) as queries:
            kept = tiles.plot_tile(search, z, x, y, version=version)
        assert any("sites_parkcount" in q["sql"] for q in queries)
        with CaptureQueriesContext(connection) as queries:
            live = tiles.plot_tile(search, z, x, y, version=NEVER)
        assert not any("sites_parkcount" in q["sql"] for q in queries)
        assert_same_clusters(clusters(kept), clusters(live))
        drawn += len(clusters(live))
    return drawn


@grid_read
def test_a_search_on_the_parks_alone_counts_them_from_the_grid(built):
    """Sector, territory, park, rail, canal, motorway, power: a cluster tile
    counts the parks kept (ParkCount, written with the grid), and draws what
    counting their plots draws."""
    version = listings_version()
    plots = built.order_by("pk")
    for params in park_searches(built):
        search = plot_search(params=params)
        assert search.is_valid() and search.parks_only(), params
        drawn = sum(
            drawn_from_the_grid_as_live(search, plot.geom, version)
            for plot in (plots.first(), plots.last())
        )
        assert drawn, params  # each search keeps plots where we looked


PLOT_SEARCHES = [
    {"surface_min": "2"},
    {"price_max": "40"},
    {"rail": "on", "ready_to_build": "on"},
    {"vocation": "industry", "icpe": "on"},
    {"power_min_mva": "20", "price_max": "40", "exclude_on_request": "on"},
    {"commune": "62119"},
    {"surface_max": "0"},  # Decimal 0 equals False: still a filter
    {"price_max": "0", "exclude_on_request": "on"},
]


@grid_read
@pytest.mark.parametrize("params", PLOT_SEARCHES)
def test_a_search_on_the_plots_takes_their_parks_from_the_grid(built, params):
    """Surface, price, readiness, ICPE, commune: a cluster tile counts the
    plots per park and reads each park's centre and name from ParkCount,
    written with the grid; it draws what counting them live draws."""
    version = listings_version()
    search = plot_search(params=params)
    assert search.is_valid(), search.errors
    assert not search.parks_only()
    plots = built.order_by("pk")
    for plot in (plots.first(), plots.last()):
        drawn_from_the_grid_as_live(search, plot.geom, version)


@grid_read
@pytest.mark.parametrize(
    "params",
    [
        {"surface_min": "0.01"},
        {"surface_max": "10000"},
        {"surface_min": "0.01", "surface_max": "10000"},
        {"surface_min": "0.01", "rail": "on"},
        {"surface_max": "10000", "vocation": "industry"},
    ],
)
def test_a_surface_search_keeping_most_plots_counts_those_it_leaves_out(built, params):
    """A surface bound that keeps nearly every plot: the parks' kept counts
    less the plots it leaves out (none here), drawn as counted live."""
    version = listings_version()
    search = plot_search(params=params)
    assert search.is_valid(), search.errors
    plot = built.filter(slug__startswith="synthetic-").order_by("pk").first()
    drawn = 0
    for z, x, y in tiles_around(plot.geom):
        with CaptureQueriesContext(connection) as queries:
            kept = tiles.plot_tile(search, z, x, y, version=version)
        (count,) = [q["sql"] for q in queries if "sites_parkcount" in q["sql"]]
        assert "LEFT JOIN" in count  # the plots left out, per park
        live = tiles.plot_tile(search, z, x, y, version=NEVER)
        assert_same_clusters(clusters(kept), clusters(live))
        drawn += len(clusters(live))
    assert drawn


@grid_read
@pytest.mark.parametrize(
    "params",
    [
        {"surface_min": "2"},
        {"surface_max": "1"},
        {"surface_min": "1", "surface_max": "3", "rail": "on"},
        {"surface_min": "9999"},
    ],
)
def test_counting_the_plots_left_out_draws_what_counting_those_kept_draws(
    built, params, monkeypatch
):
    """Whichever way the planner's estimates choose: a park whose plots a
    bound all leaves out is not drawn, one it partly leaves out counts the
    rest."""
    monkeypatch.setattr(tiles, "_fewer", lambda plots, others: True)
    version = listings_version()
    search = plot_search(params=params)
    assert search.is_valid(), search.errors
    plots = built.order_by("pk")
    for plot in (plots.first(), plots.last()):
        for z, x, y in tiles_around(plot.geom):
            with CaptureQueriesContext(connection) as queries:
                kept = tiles.plot_tile(search, z, x, y, version=version)
            assert any("LEFT JOIN" in q["sql"] for q in queries)
            live = tiles.plot_tile(search, z, x, y, version=NEVER)
            assert_same_clusters(clusters(kept), clusters(live))


@grid_read
def test_a_whole_map_count_of_the_plots_reads_no_park(built):
    """Up to zoom 7 a count covers the map: the plots are counted per park
    from their own index and joined to ParkCount, without the parks' table
    (read whole, twice, for a few thousand plots at a million)."""
    search = plot_search(params={"surface_min": "2"})
    assert search.is_valid()
    z, x, y = tile_of(built.order_by("pk").first().geom, 5)
    with CaptureQueriesContext(connection) as queries:
        found = clusters(tiles.plot_tile(search, z, x, y, version=listings_version()))
    assert found
    (count,) = [
        q["sql"]
        for q in queries
        if "sites_plot" in q["sql"] and not q["sql"].startswith("EXPLAIN")
    ]
    assert "sites_parkcount" in count and "sites_businesspark" not in count


@grid_read
def test_an_unpublished_park_s_plots_leave_the_grid_s_counts(built):
    """The count of plots takes the parks' publication from ParkCount, which
    holds only parks with plots on offer."""
    search = plot_search(params={"surface_min": "0.01"})
    assert search.is_valid()
    plot = built.filter(slug__startswith="synthetic-").order_by("pk").first()
    z, x, y = tile_of(plot.park.centroid, 12)  # where its park's cluster is

    def counted():
        tile = tiles.plot_tile(search, z, x, y, version=listings_version())
        return sum(c[0]["plots"] for c in clusters(tile))

    before = counted()
    in_park = built.filter(park=plot.park, surface_ha__gte="0.01").count()
    assert in_park and before >= in_park
    plot.park.is_published = False
    plot.park.save()
    grid.grid_build()  # current again: its counts are read
    assert counted() == before - in_park


@grid_read
def test_an_edit_shows_at_once_on_a_park_filtered_tile(
    built, django_capture_on_commit_callbacks
):
    """Until the grid is built again, the counts per park are not read."""
    search = plot_search(params={"rail": "on"})
    assert search.is_valid()
    plot = built.filter(park__has_rail_siding=True).order_by("pk").first()
    _, x, y = tile_of(plot.park.centroid, 12)  # where its park's cluster is
    before = sum(c[0]["plots"] for c in clusters(tiles.plot_tile(search, 12, x, y)))
    plot.commercial_stage = codes.CommercialStage.SOLD
    with django_capture_on_commit_callbacks(execute=True):  # the version moves
        plot.save()
    after = sum(c[0]["plots"] for c in clusters(tiles.plot_tile(search, 12, x, y)))
    assert after == before - 1


def test_a_bound_of_zero_on_the_plots_draws_none_of_them(built):
    search = plot_search(params={"surface_max": "0"})
    assert search.is_valid()
    for plot in (built.order_by("pk").first(), built.order_by("pk").last()):
        for z, x, y in tiles_around(plot.geom):
            assert clusters(tiles.plot_tile(search, z, x, y)) == []
