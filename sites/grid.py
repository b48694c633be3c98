"""The search map's clusters of every plot on offer, precomputed per zoom.

An unfiltered low-zoom tile (the map as it opens) used to count every plot it
covers: a second at a million plots for a tile of France. The cells of every
clustered zoom are counted once instead (`grid_build`: one pass over the
parks, a few seconds at a million plots) into ClusterCell, and on PostgreSQL
each tile showing a cluster is encoded from them into ClusterTile, all stamped
with the listings version read before counting; a tile reads its cells (its
encoded bytes on PostgreSQL) only while that stamp is the current version
(`grid_tile`), so an edit is never hidden:
until the grid is built again, tiles are counted live, as filtered ones are,
and the first of them asks for the rebuild (once per version). The plots on
offer are also kept counted per park (ParkCount, with the park's centre),
under the same stamp: a tile filtered on the parks' own attributes alone
counts the parks it keeps, and one filtered on the plots takes the centres
of their parks from there (sites.tiles). A commit
that changes the listings asks for it too, after REBUILD_DELAY seconds (edits
in a row make one rebuild).

On PostgreSQL only (`grid_in_use`): SpatiaLite, the embedded database of
small territories, counts its tiles live, as cheap there as reading the grid,
and a rebuild asked by a tile would write in a GET while the map's other
tiles read (one writer locks the file). Its build runs on both (its cells and
counts per park are tested there); its tiles are encoded and read on
PostgreSQL only.

A cell at zoom z holds the parks whose centre (Web Mercator) falls in the
same CLUSTER_CELL_PX-pixel square: index floor((x + HALF_WORLD) / cell(z)),
the arithmetic of the live tile (sites.tiles), so both draw the same clusters.
"""

import logging
import math
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.gis.db.models.functions import Transform
from django.core.cache import cache
from django.db import connection, connections, router
from django.db.models import Count, FloatField, Func, Sum
from django.utils import timezone

from core.caching import listings_version
from core.mvt import EXTENT, HALF_WORLD, WEB_MERCATOR
from core.transactions import unbounded_atomic

from .models import (
    BusinessPark,
    ClusterCell,
    ClusterGrid,
    ClusterTile,
    ParkCount,
    Plot,
)

logger = logging.getLogger(__name__)
CLUSTER_MAX_ZOOM = 12  # a 32-pixel cell is then about a park
CLUSTER_CELL_PX = 32  # of a 256-pixel tile: cells never straddle two tiles
TILE_PX = 256
CELLS_PER_TILE = TILE_PX // CLUSTER_CELL_PX
# Clusters are drawn as circles: a tile carries its neighbours' next to its
# edge, one cell's width (in grid units) beyond it.
CLUSTER_BUFFER = EXTENT * CLUSTER_CELL_PX // TILE_PX
GRID = 1  # ClusterGrid's only row
BUILD_LOCK = 0x7469_6C65  # PostgreSQL advisory lock key held by a build
REBUILD_DELAY = 10  # seconds after a listings commit
ASKED_SECONDS = 600  # a rebuild asked and not done (no worker) is asked again
BATCH = 5_000
HUNDREDTH = Decimal("0.01")


def grid_in_use():
    return connection.vendor == "postgresql"


def cell_m(z):
    """A cluster cell's side at zoom z, in Web Mercator metres."""
    return 2 * HALF_WORLD / 2**z / TILE_PX * CLUSTER_CELL_PX


def cell_index(coordinate, z):
    return math.floor((coordinate + HALF_WORLD) / cell_m(z))


def rounded_ha(ha):
    """Hectares as a tile carries them: to the hundredth, halves up (as
    PostgreSQL rounds numerics)."""
    # Through its text: SQLite gives a float, whose binary value is not the
    # decimal it stands for.
    return float(Decimal(str(ha)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


def _counted_parks():
    """{park id: (plots on offer, their hectares)}"""
    rows = (
        Plot.objects.on_offer()
        .order_by()
        .values("park")
        .annotate(n=Count("pk"), ha=Sum("surface_ha"))
    )
    return {row["park"]: (row["n"], row["ha"]) for row in rows.iterator(BATCH)}


def _parks(counted):
    """[(park id, name, slug, x, y)] of the counted parks, their centre in Web
    Mercator."""
    parks = (
        BusinessPark.objects.filter(pk__in=Plot.objects.on_offer().values("park"))
        .annotate(
            x=_X(Transform("centroid", WEB_MERCATOR)),
            y=_Y(Transform("centroid", WEB_MERCATOR)),
        )
        .order_by()
        .values_list("pk", "name", "slug", "x", "y")
    )
    return [
        park
        for park in parks.iterator(BATCH)
        if park[0] in counted and park[3] is not None
    ]


def _cells(counted, parks):
    """{(zoom, cx, cy): [plots, ha, parks, sum x, sum y, name, slug]}"""
    sides = [cell_m(z) for z in range(CLUSTER_MAX_ZOOM + 1)]
    cells = {}
    for pk, name, slug, x, y in parks:
        n, ha = counted[pk]
        for z, side in enumerate(sides):
            key = (
                z,
                math.floor((x + HALF_WORLD) / side),
                math.floor((y + HALF_WORLD) / side),
            )
            cell = cells.get(key)
            if cell is None:
                cells[key] = [n, ha, 1, x, y, name, slug]
            else:
                cell[0] += n
                cell[1] += ha
                cell[2] += 1
                cell[3] += x
                cell[4] += y
    return cells


CELL_COLUMNS = (
    "zoom",
    "cx",
    "cy",
    "plots",
    "ha",
    "parks",
    "sum_x",
    "sum_y",
    "park_name",
    "park_slug",
)


def _cells_write(cells):
    rows = (
        (z, cx, cy, plots, ha, parks, sum_x, sum_y)
        + ((name, slug) if parks == 1 else ("", ""))
        for (z, cx, cy), (plots, ha, parks, sum_x, sum_y, name, slug) in cells.items()
    )
    _rows_write(ClusterCell, CELL_COLUMNS, rows)


def _park_counts_write(counted, parks):
    rows = ((pk, *counted[pk], x, y, name, slug) for pk, name, slug, x, y in parks)
    columns = ("park_id", "plots", "hectares", "x", "y", "park_name", "park_slug")
    _rows_write(ParkCount, columns, rows)


def quoted_table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _rows_write(model, columns, rows):
    """Plain rows, by COPY on PostgreSQL: model instances and multi-row
    INSERTs were most of a build (8 of 11 s for 105,000 cells)."""
    table = quoted_table(model)
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            cursor.executemany(sql, list(rows))


def grid_build():
    """Count the cells again from the database, in one transaction; returns
    how many. Stamped with the version read before counting: a listings
    change committed meanwhile leaves the grid stale, never wrong."""
    version = listings_version()
    # Beyond a request's statement timeout at a million plots on a busy
    # server: the grid would never be built, and the map's low zooms would
    # stay counted live.
    with unbounded_atomic():
        # Two builds at once would insert the same cells: the second waits
        # (SQLite has one writer anyway). A lock of its own, not the stamp's
        # row: there is none before the first build.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUILD_LOCK])
        counted = _counted_parks()
        parks = _parks(counted)
        cells = _cells(counted, parks)
        ClusterCell.objects.all().delete()
        _cells_write(cells)
        ParkCount.objects.all().delete()
        _park_counts_write(counted, parks)
        if connection.vendor == "postgresql":
            ClusterTile.objects.all().delete()
            _tiles_write()
            # Statistics of what was just written, which autovacuum would
            # take a while to gather: a filtered tile's plan joins ParkCount
            # by its estimated size (taken for 230,000 rows rather than
            # 49,000 at a million plots).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {quoted_table(ParkCount)}")
        ClusterGrid.objects.update_or_create(
            pk=GRID, defaults={"version": version, "built_at": timezone.now()}
        )
    return len(cells)


def grid_is_current(version=None):
    version = listings_version() if version is None else version
    return ClusterGrid.objects.filter(pk=GRID, version=version).exists()


def _grid_query(sql, params):
    """`sql` (its tables as {grid}, {cells} and {tiles}) on the database the
    router reads the grid from."""
    using = connections[router.db_for_read(ClusterCell)]
    quote = using.ops.quote_name
    query = sql.format(
        grid=quote(ClusterGrid._meta.db_table),
        cells=quote(ClusterCell._meta.db_table),
        tiles=quote(ClusterTile._meta.db_table),
    )
    with using.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


# Every tile of the grid encoded with what a tile counted live carries
# (sites.tiles._block_encoded; None properties left out), in C: once per
# build rather than at each request, where encoding was most of a grid
# tile's time (0.3 of 0.5 ms for a département's 72 cells at a million
# plots). Each cell is drawn in its tile and in those whose one-cell margin
# it is in; a tile holds at most (CELLS_PER_TILE + 2)² cells, far fewer than
# a tile's limit of features. In one pass over the cells, not a query per
# tile: 0.9 s against 1.6 s for 12,000 tiles.
TILES_BUILD_SQL = """
INSERT INTO {tiles} (zoom, x, y, tile)
SELECT k.zoom, k.x, k.y,
       ST_AsMVT(f, 'clusters', {extent}, 'geom' ORDER BY cell.cx, cell.cy)
FROM {cells} cell
CROSS JOIN LATERAL (
  SELECT DISTINCT cell.zoom, floor((cell.cx + dx)::float8 / {side})::integer AS x,
         (1 << cell.zoom) - 1 - floor((cell.cy + dy)::float8 / {side})::integer AS y
  FROM generate_series(-1, 1) dx, generate_series(-1, 1) dy
) k
CROSS JOIN LATERAL (
  SELECT ST_AsMVTGeom(
           ST_SetSRID(ST_MakePoint(cell.sum_x / cell.parks, cell.sum_y / cell.parks),
                      {srid}),
           ST_TileEnvelope(k.zoom, k.x, k.y), {extent}, {buffer}, true) AS geom,
         cell.plots, ROUND(cell.ha, 2)::float8 AS ha, cell.parks,
         NULLIF(cell.park_name, '') AS park, NULLIF(cell.park_slug, '') AS park_slug
) f
WHERE k.x BETWEEN 0 AND (1 << k.zoom) - 1 AND k.y BETWEEN 0 AND (1 << k.zoom) - 1
  AND f.geom IS NOT NULL
GROUP BY k.zoom, k.x, k.y
"""

TILE_SQL = """
SELECT grid.version, tile.tile
FROM {grid} grid LEFT JOIN {tiles} tile
  ON tile.zoom = %s AND tile.x = %s AND tile.y = %s
WHERE grid.id = %s
"""


def _tiles_write():
    """Every tile encoded from the cells just written (PostgreSQL)."""
    sql = TILES_BUILD_SQL.format(
        tiles=quoted_table(ClusterTile),
        cells=quoted_table(ClusterCell),
        extent=EXTENT,
        srid=WEB_MERCATOR,
        buffer=CLUSTER_BUFFER,
        side=CELLS_PER_TILE,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def grid_tile(z, x, y, version):
    """The `clusters` tile from the grid (PostgreSQL: `grid_in_use`), or None
    when the grid was not built from `version` (the tile is then counted
    live)."""
    rows = _grid_query(TILE_SQL, [z, x, y, GRID])
    if not rows or rows[0][0] != version:
        return None
    return bytes(rows[0][1]) if rows[0][1] else b""


def grid_rebuild_ask(version):
    """Have a worker build the grid again, once per listings version however
    many tiles find it stale (a rebuild asked and never done, with no worker
    running, is asked again after ASKED_SECONDS)."""
    if cache.add(f"tiles:grid:asked:{version}", True, timeout=ASKED_SECONDS):
        _enqueue(countdown=0)


def grid_rebuild():
    """What the task does: build, unless the grid is already current (or not
    used: SpatiaLite counts its tiles live)."""
    if grid_in_use() and not grid_is_current():
        grid_build()


def _enqueue(*, countdown):
    from .tasks import tile_grid_build_task

    try:
        tile_grid_build_task.apply_async(countdown=countdown)
    except Exception:  # the broker is down (or the in-process build failed):
        # tiles are counted live meanwhile.
        logger.warning("could not queue the tile grid's rebuild", exc_info=True)
