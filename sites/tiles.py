"""The search map's vector tiles: the plots the search finds, at every scale.

The search's own FilterSet chooses the plots (published, on offer, filtered);
this module only shapes them per tile. Up to CLUSTER_MAX_ZOOM, the database
counts them per park and groups the parks in cells of sites.grid's
CLUSTER_CELL_PX pixels (layer `clusters`: a point per cell with its plots,
hectares and parks, and the park's name when it is alone), a block of 8 x 8
tiles at a time, kept until the listings change; for every plot on offer (no
filter, PostgreSQL) a tile is read from the precomputed grid instead. Beyond,
the plots' outlines, simplified to half a pixel (layer `plots`): PostGIS
builds them (ST_AsMVT, through one statement prepared per connection for
every plot on offer); on SpatiaLite the database selects and transforms them
and the Python encoder of core.mvt writes the tile, as it writes the
clusters on both. Either way the rows are first found through the spatial
index, and no tile holds more than MAX_FEATURES features.
"""

import functools
import hashlib
import math
import re
import weakref
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connection, connections, router, transaction
from django.db.models import (
    BooleanField,
    Count,
    F,
    FloatField,
    Model,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from core.caching import listings_cached, listings_version
from core.limits import LimitReached
from core.mvt import (
    EXTENT,
    HALF_WORLD,
    WEB_MERCATOR,
    Layer,
    encode_tile,
    mercator_to_lonlat,
    tile_bounds,
)
from core.spatial import in_box, storage_area_cut, storage_extent

from .filters import filter_is_set
from .grid import (
    CLUSTER_BUFFER,
    CLUSTER_MAX_ZOOM,
    TILE_PX,
    cell_m,
    grid_in_use,
    grid_is_current,
    grid_rebuild_ask,
    grid_tile,
    quoted_table,
    rounded_ha,
)
from .models import SRID, BusinessPark, ParkCount, Plot
from .search import SimplifyPreserveTopology, planner_estimate

MAX_ZOOM = 18  # the search map's own maximum; Leaflet scales tiles beyond
# Beyond the tile's edge, in grid units: outlines overlap their neighbours'
# tiles a little (clusters by one cell, sites.grid), so that what crosses an
# edge is drawn whole on both sides.
OUTLINE_BUFFER = 64
MAX_FEATURES = 5_000
# A cluster tile counted live counts its block: its ancestor this many zooms
# up, 8 x 8 tiles. A map view asks for a dozen tiles at once, and at a low
# zoom each of them counted most of the plots (60 ms of PostgreSQL for a
# France-wide tile filtered on the surface, at a million plots): one count
# now serves the view, the views next to it and every visitor with the same
# search, until the listings change.
BLOCK_ZOOMS = 3
# Up to this zoom, the block is the whole map (at most 128 x 128 tiles, a
# few hundred cells over France): counted without a box, which at these
# zooms keeps most parks anyway and cost a third of the count.
WHOLE_MAP_ZOOM = 7


def plot_tile(search, z, x, y, *, version=None, count_allowed=None):
    """The tile's bytes (empty when no plot is there) for a valid search, or
    for every plot on offer when `search` is None (what an empty search
    finds, without building its form: a few milliseconds of each tile).
    Unfiltered clusters come from the precomputed grid (sites.grid) when it
    was built from the current listings `version` (read if not given), the
    others from their block's count (_block_tiles). A filtered block not
    kept yet is counted only if `count_allowed()` (when given) says so, or
    core.limits.LimitReached is raised."""
    lonlat = _lonlat_box(z, x, y)
    if storage_area_cut(*lonlat) is None:
        return b""  # nothing of it in Lambert-93's area: no plot there
    if search is None and z <= CLUSTER_MAX_ZOOM and grid_in_use():
        # Before the tile's box in Lambert-93 (its edges sampled and
        # transformed: a tenth of a grid tile's time), which the grid does
        # without.
        version = listings_version() if version is None else version
        tile = grid_tile(z, x, y, version)
        if tile is not None:
            return tile
        grid_rebuild_ask(version)
    if z <= CLUSTER_MAX_ZOOM:
        return _cluster_tile(search, z, x, y, version, count_allowed)
    if connection.vendor == "postgresql":
        return _postgis_outlines(search, z, x, y)
    # The tile's box in Lambert-93: its edges sampled (a longitude-latitude
    # box is curved there) and transformed.
    box = storage_extent(*lonlat)
    if box is None:
        return b""
    plots = search.qs if search is not None else Plot.objects.on_offer()
    return _outlines(plots.order_by(), z, x, y, box)


def _counted_rows(search, version):
    """(rows, kept): what a cluster tile counts, and whether the parks are
    the grid's (ParkCount, while it is current: every park with plots on
    offer, its centre in Web Mercator). For a search on the parks' own
    attributes alone (a sector, a territory, rail) the rows are the parks
    kept, counted when the grid was built: one row per park rather than one
    per plot, a France-wide tile at a million plots reading some 50,000 rows
    instead of 750,000. Otherwise they are the plots the search finds; with
    the grid current, their parks are joined to ParkCount, not to the parks'
    table (which a count of a few thousand plots read whole, twice) and
    their publication is that join's: ParkCount holds no other park. A
    surface bound that keeps most plots ("0.5 ha or more" keeps three in four
    of the synthetic million) is counted the other way round: the parks kept
    less the plots it leaves out (_LeftOut), when the planner expects fewer
    of those."""
    if search is None:
        return Plot.objects.on_offer().order_by(), False
    if grid_in_use():
        version = listings_version() if version is None else version
        if grid_is_current(version):
            if search.parks_only():
                return search.parks_filtered(ParkCount.objects.all()), True
            on_offer = Plot.objects.on_offer_in_any_park()
            plots = search.filter_queryset(on_offer).order_by()
            left_out = search.surface_left_out(on_offer)
            if left_out is not None and _fewer(left_out, plots):
                parks = search.parks_filtered(ParkCount.objects.all())
                return _LeftOut(parks, left_out.order_by()), True
            return plots, True
    return search.qs.order_by(), False


def _fewer(plots, others):
    """Whether the planner expects fewer `plots` than `others` (two EXPLAINs,
    a fraction of a millisecond against the tens or hundreds of a count)."""
    return planner_estimate(plots) < planner_estimate(others)


class _LeftOut(NamedTuple):
    """A surface search counted as the plots kept per park (ParkCount,
    narrowed by the search's park filters) less those it leaves out."""

    parks: QuerySet
    left_out: QuerySet

    @property
    def db(self):
        return self.parks.db

    def filter(self, *args):
        """Only the parks the condition keeps (the block's box, on their
        `park__` path), and their plots left out: counted in the block only,
        as the plots kept would be."""
        return _LeftOut(self.parks.filter(*args), self.left_out.filter(*args))


def _margin(z, units):
    return (2 * HALF_WORLD / 2**z) * units / EXTENT


def _lonlat_box(z, x, y, *, margin_units=CLUSTER_BUFFER):
    """The tile, with a margin, in longitude and latitude."""
    margin = _margin(z, margin_units)
    west, south, east, north = tile_bounds(z, x, y)
    west, south = mercator_to_lonlat(west - margin, south - margin)
    east, north = mercator_to_lonlat(east + margin, north + margin)
    return west, south, east, north


def _pixel_m(z):
    return 2 * HALF_WORLD / 2**z / TILE_PX


def _near(z, box):
    """The tile's box in storage units, widened by OUTLINE_BUFFER."""
    margin = _margin(z, OUTLINE_BUFFER)
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def _outline_rows(plots, near, geometry):
    """The outlines' rows: `plots` whose bounding box meets `near` (a Q, or a
    boolean expression), each with its popup and `geometry` as tile_geom."""
    return (
        plots.filter(near)
        .annotate(
            ha=Cast("surface_ha", FloatField()),
            stage=F("marketing_stage"),
            commune_name=F("commune__name"),
            park_name=F("park__name"),
            organisation=F("park__organisation__short_name"),
            tile_geom=geometry,
        )
        .values(
            "id",
            "name",
            "slug",
            "ha",
            "stage",
            "commune_name",
            "park_name",
            "organisation",
            "tile_geom",
        )
    )


def _outlines(plots, z, x, y, box):
    """SpatiaLite's outlines tile: rows in Web Mercator, clipped and encoded
    here."""
    simplified = SimplifyPreserveTopology("geom", _pixel_m(z) / 2)
    mercator = Transform(simplified, WEB_MERCATOR)
    near = in_box(Plot, "geom", _near(z, box), SRID)
    layer = Layer("plots", tile_bounds(z, x, y))
    clip = _buffered(z, x, y, OUTLINE_BUFFER)
    for row in _outline_rows(plots, near, mercator)[:MAX_FEATURES]:
        shape, pk = row.pop("tile_geom").intersection(clip), row.pop("id")
        if not shape.empty and shape.geom_type in ("Polygon", "MultiPolygon"):
            layer.add(shape, row, id=pk)
    return encode_tile(layer)


class _Slot(str):
    """The name of a parameter of the outlines query given for each tile
    (the query's text is the same for every tile: see _postgis_outlines)."""


# ST_Simplify (Douglas-Peucker in PostGIS itself, keeping what would
# collapse), not the topology-preserving one, which goes through GEOS: some
# 9 microseconds an outline, a third of the query's time. What it may leave
# crossed within half a pixel, ST_AsMVTGeom makes valid as it clips.
OUTLINE_GEOMETRY = (
    "ST_AsMVTGeom(ST_Transform(ST_Simplify({geom}, %s, true), {mercator}), "
    "ST_TileEnvelope(%s, %s, %s), {extent}, {buffer}, true)"
)
# The tile and its margin, its edges sampled (curved in Lambert-93) and
# transformed by PostGIS, which spares the tile its box worked out in Python
# (a tenth of a millisecond).
NEAR_TILE = (
    "{geom} && ST_Transform(ST_Segmentize("
    "ST_TileEnvelope(%s, %s, %s, margin => {margin}), %s), {srid})"
)


def _postgis_outline_query(plots, limit):
    """The outlines tile's SQL and parameters, the tile's own as _Slot."""
    geom = ".".join(map(connection.ops.quote_name, (Plot._meta.db_table, "geom")))
    names = {"geom": geom, "mercator": WEB_MERCATOR, "srid": SRID}
    near = RawSQL(
        NEAR_TILE.format(margin=OUTLINE_BUFFER / EXTENT, **names),
        [_Slot(name) for name in ("z", "x", "y", "edge_step")],
        output_field=BooleanField(),
    )
    geometry = RawSQL(
        OUTLINE_GEOMETRY.format(extent=EXTENT, buffer=OUTLINE_BUFFER, **names),
        [_Slot(name) for name in ("tolerance", "z", "x", "y")],
        output_field=GeometryField(srid=WEB_MERCATOR),
    )
    rows = _outline_rows(plots, near, geometry)[:limit]
    sql, params = rows.query.sql_with_params()
    query = (
        f"SELECT ST_AsMVT(t, 'plots', {EXTENT}, 'tile_geom', 'id') "
        f"FROM ({sql}) t WHERE t.tile_geom IS NOT NULL"
    )
    return query, tuple(params)


@functools.cache
def _unfiltered_outline_query(using, limit):
    """Every plot on offer's outlines query, compiled once per process and
    database (the queryset's building and compiling were a millisecond, most
    of a close-up tile's Python), with a name for its prepared statement."""
    plots = Plot.objects.using(using).on_offer().order_by()
    query, params = _postgis_outline_query(plots, limit)
    digest = hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()
    return query, params, f"tile_outlines_{digest[:16]}"


def _postgis_outlines(search, z, x, y):
    if search is None:
        using = router.db_for_read(Plot)
        query, params, prepared = _unfiltered_outline_query(using, MAX_FEATURES)
    else:
        plots, prepared = search.qs.order_by(), None
        if plots.query.is_empty():
            return b""  # a search that can find nothing: no SQL to draw with
        using = plots.db
        query, params = _postgis_outline_query(plots, MAX_FEATURES)
    tile = {
        "tolerance": _pixel_m(z) / 2,
        "z": z,
        "x": x,
        "y": y,
        "edge_step": _pixel_m(z) * TILE_PX / 8,
    }
    params = [tile[p] if isinstance(p, _Slot) else p for p in params]
    return _fetch_tile(query, params, using=using, prepared=prepared)


def _buffered(z, x, y, units):
    margin = _margin(z, units)
    west, south, east, north = tile_bounds(z, x, y)
    return Polygon.from_bbox(
        (west - margin, south - margin, east + margin, north + margin)
    )


def _park_rows(plots):
    """One row per park: its matching plots' number and hectares (grouped by
    the park's key only: its centre is read once per park, not once per
    plot)."""
    return plots.values("park").annotate(n=Count("*"), ha=Sum("surface_ha"))


def _cluster_tile(search, z, x, y, version, count_allowed=None):
    """A tile's clusters, from its block's (_block_tiles)."""
    return _block_tiles(search, z, x, y, version, count_allowed).get((x, y), b"")


def _block_tiles(search, z, x, y, version, count_allowed=None):
    """{(x, y): tile} of the block's tiles that hold a cluster, the block
    being the tile's ancestor BLOCK_ZOOMS zooms up (the whole map up to
    WHOLE_MAP_ZOOM): counted and encoded once for all its tiles (encoding
    them all is a few percent of counting them), and kept until the
    listings change."""
    shift = z if z <= WHOLE_MAP_ZOOM else BLOCK_ZOOMS
    block = (z - shift, x >> shift, y >> shift)
    text = f"{z}:{'/'.join(map(str, block))}?{search_canonical(search)}"
    name = "tile-block:" + hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

    def counted():
        # Only a search's own counts are limited: the unfiltered map's are
        # everyone's, and the grid's.
        if search is not None and count_allowed is not None and not count_allowed():
            raise LimitReached
        if search is not None and search.qs.query.is_empty():
            # A search that can find nothing (a map view outside Lambert-93's
            # area) has no SQL to count with: Django refuses to compile it.
            return {}
        return _block_encoded(*_counted_rows(search, version), z, block)

    return listings_cached(name, counted, per_language=False, once=True)


def _block_encoded(counted, kept, z, block):
    tiles = {}
    for (x, y), clusters in _block_clusters(counted, kept, z, block).items():
        layer = Layer("clusters", tile_bounds(z, x, y))
        for px, py, plots, ha, parks, name, slug in clusters:
            properties = {"plots": plots, "ha": ha, "parks": parks}
            properties |= {"park": name, "park_slug": slug} if parks == 1 else {}
            layer.add_point(px, py, properties)
        tiles[x, y] = encode_tile(layer)
    return tiles


def _block_clusters(counted, kept, z, block):
    """{(x, y): clusters} of the block's tiles at zoom z: each cell under the
    tiles that draw it, those whose edge is less than a cell away from its
    centre (clusters are drawn as circles, which may overlap the next
    tile). `kept`: the rows' parks are the grid's (_counted_rows)."""
    bz, bx, by = block
    shift = z - bz
    if bz > 0:
        # The block and a cell's width around it: the cells just beyond its
        # edge are drawn by its border tiles.
        lonlat = _lonlat_box(bz, bx, by, margin_units=CLUSTER_BUFFER / 2**shift)
        box = storage_extent(*lonlat)
        if box is None:
            return {}
        # The parks whose centre is there, and their plots, through the
        # parks' spatial index.
        counted = counted.filter(
            in_box(BusinessPark, "centroid", box, SRID, path="park__")
        )
    side, cell = 2 * HALF_WORLD / 2**z, cell_m(z)
    first = (bx << shift, by << shift)
    last = (first[0] + (1 << shift) - 1, first[1] + (1 << shift) - 1)
    cells = _kept_cells(counted, cell) if kept else _cells(_park_rows(counted), cell)
    tiles = defaultdict(list)
    for n, ha, parks, sum_x, sum_y, name, slug in cells.values():
        px, py = sum_x / parks, sum_y / parks
        cluster = (px, py, n, rounded_ha(ha), parks, name, slug)
        for tx in _spanned(px + HALF_WORLD, cell, side, first[0], last[0]):
            for ty in _spanned(HALF_WORLD - py, cell, side, first[1], last[1]):
                tiles[tx, ty].append(cluster)
    return tiles


def _spanned(offset, margin, side, first, last):
    """The tiles, between first and last, less than `margin` from `offset`."""
    low = max(math.floor((offset - margin) / side), first)
    high = min(math.floor((offset + margin) / side), last)
    return range(low, high + 1)


# A block's count groups the matching plots by park, then the parks by cell:
# up to 22 MB for a France-wide one at a million plots, which PostgreSQL's
# default work_mem (4 MB) spilled to disk, in five batches. For this query
# only: one at a time per block (listings_cached's `once`).
BLOCK_WORK_MEM = "32MB"
COUNTED_CELLS_SQL = """
SELECT floor((ST_X(p.point) + {half}) / {cell}) AS cx,
       floor((ST_Y(p.point) + {half}) / {cell}) AS cy,
       SUM(p.n)::integer, SUM(p.ha), COUNT(*)::integer,
       SUM(ST_X(p.point)), SUM(ST_Y(p.point)),
       CASE WHEN COUNT(*) = 1 THEN MIN(p.name) END,
       CASE WHEN COUNT(*) = 1 THEN MIN(p.slug) END
FROM (
  SELECT ST_Transform(park.centroid, {srid}) AS point, park.name, park.slug,
         counted.n, counted.ha
  FROM ({counted}) counted JOIN {parks} park ON park.id = counted.park
) p
GROUP BY 1, 2
"""


# The same cells from the parks kept with the grid (ParkCount): their
# centres read, not transformed, and no join to the parks' table.
KEPT_CELLS_SQL = """
SELECT floor((p.x + {half}) / {cell}) AS cx, floor((p.y + {half}) / {cell}) AS cy,
       SUM(p.n)::integer, SUM(p.ha), COUNT(*)::integer, SUM(p.x), SUM(p.y),
       CASE WHEN COUNT(*) = 1 THEN MIN(p.park_name) END,
       CASE WHEN COUNT(*) = 1 THEN MIN(p.park_slug) END
FROM ({parks}) p
GROUP BY 1, 2
"""
# The parks kept less their plots a surface search leaves out (_LeftOut):
# those left with none are not drawn.
LEFT_OUT_PER_KEPT_PARK_SQL = """
SELECT kept.x, kept.y, kept.park_name, kept.park_slug,
       kept.plots - COALESCE(out.n, 0) AS n, kept.hectares - COALESCE(out.ha, 0) AS ha
FROM ({parks}) kept LEFT JOIN ({left_out}) out ON out.park = kept.park_id
WHERE kept.plots > COALESCE(out.n, 0)
"""
# The matching plots per park, with their park's kept centre and name.
PLOTS_PER_KEPT_PARK_SQL = """
SELECT kept.x, kept.y, kept.park_name, kept.park_slug, counted.n, counted.ha
FROM ({counted}) counted JOIN {kept} kept ON kept.park_id = counted.park
"""


def _kept_cells(counted, cell):
    """_cells' answer from rows whose parks are the grid's (_counted_rows):
    ParkCount's own rows, or plots counted per park and joined to them, or
    ParkCount's rows less the plots a surface search leaves out."""
    if isinstance(counted, _LeftOut):
        parks, parks_params = counted.parks.values(
            "park_id", "x", "y", "park_name", "park_slug", "plots", "hectares"
        ).query.sql_with_params()
        left_out, left_out_params = _park_rows(counted.left_out).query.sql_with_params()
        parks = LEFT_OUT_PER_KEPT_PARK_SQL.format(parks=parks, left_out=left_out)
        params = (*parks_params, *left_out_params)
    elif counted.model is ParkCount:
        rows = counted.values(
            "x", "y", "park_name", "park_slug", n=F("plots"), ha=F("hectares")
        )
        parks, params = rows.query.sql_with_params()
    else:
        sql, params = _park_rows(counted).query.sql_with_params()
        parks = PLOTS_PER_KEPT_PARK_SQL.format(
            counted=sql, kept=quoted_table(ParkCount)
        )
    query = KEPT_CELLS_SQL.format(parks=parks, half=HALF_WORLD, cell=cell)
    with _tile_cursor(counted.db, work_mem=BLOCK_WORK_MEM) as cursor:
        cursor.execute(query, params)
        return {(int(cx), int(cy)): rest for cx, cy, *rest in cursor.fetchall()}


def _cells(counted, cell):
    """{(cx, cy): (plots, hectares, parks, sum of x, sum of y, the park's name
    and slug when it is alone)} of the counted parks, in cells of `cell`
    metres (Web Mercator)."""
    if connection.vendor == "postgresql":
        sql, params = counted.query.sql_with_params()
        query = COUNTED_CELLS_SQL.format(
            counted=sql,
            parks=connection.ops.quote_name(BusinessPark._meta.db_table),
            srid=WEB_MERCATOR,
            half=HALF_WORLD,
            cell=cell,
        )
        with _tile_cursor(counted.db, work_mem=BLOCK_WORK_MEM) as cursor:
            cursor.execute(query, params)
            return {(int(cx), int(cy)): rest for cx, cy, *rest in cursor.fetchall()}
    cells = {}
    for park in _with_centres(list(counted[: MAX_FEATURES * 10])):
        x, y = park["point"].x, park["point"].y
        key = (
            math.floor((x + HALF_WORLD) / cell),
            math.floor((y + HALF_WORLD) / cell),
        )
        n, ha, parks, sum_x, sum_y, *_ = cells.get(key, (0, 0, 0, 0.0, 0.0))
        cells[key] = (n + park["n"], ha + park["ha"], parks + 1, sum_x + x, sum_y + y)
        cells[key] += (park["name"], park["slug"]) if parks == 0 else (None, None)
    return cells


def _with_centres(counted, chunk=500):
    """The counted parks with their name, slug and centre in Web Mercator."""
    by_park = {row["park"]: row for row in counted}
    ids = list(by_park)
    for start in range(0, len(ids), chunk):
        parks = BusinessPark.objects.filter(pk__in=ids[start : start + chunk])
        for park in parks.annotate(point=Transform("centroid", WEB_MERCATOR)).values(
            "pk", "name", "slug", "point"
        ):
            yield by_park[park["pk"]] | park


@contextmanager
def _tile_cursor(using, *, work_mem=None):
    # PostgreSQL's JIT compiles the grouped low-zoom plans for seconds before
    # a run of tens of milliseconds (3 s against 41 ms for a zoom-5 tile at
    # 100,000 plots): off for this query, whatever the server's setting,
    # unless the connection was opened with it off (production's settings),
    # which spares the transaction's three round trips. On the database the
    # router reads the plots from: the replica, when there is one.
    connection = connections[using]
    if _jit_off(connection) and work_mem is None:
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if not _jit_off(connection):
            cursor.execute("SET LOCAL jit = off")
        if work_mem is not None:
            cursor.execute("SET LOCAL work_mem = %s", [work_mem])
        yield cursor


def _fetch_tile(query, params, *, using, prepared=None):
    with _tile_cursor(using) as cursor:
        return _tile_read(cursor, query, params, prepared)


def _tile_read(cursor, query, params, prepared):
    if prepared is None:
        cursor.execute(query, params)
    else:
        _execute_prepared(cursor, prepared, query, params)
    tile = cursor.fetchone()[0]
    return bytes(tile) if tile else b""


# The statements PREPAREd on each database connection (psycopg's, replaced
# when Django connects again), by name.
_prepared = weakref.WeakKeyDictionary()


def _execute_prepared(cursor, name, query, params):
    """`query` (its parameters as %s) run as the statement `name`, PREPAREd
    the first time on this connection and planned once for all its
    parameters: planning the close-up tile's query took 0.55 ms each time,
    more than running it (0.4 ms at a million plots). The plan is the same
    (the spatial index, then the park, commune and organisation by key), but
    PostgreSQL would keep planning each run (its estimate of a box it has not
    seen is too wide), hence plan_cache_mode for the session: it applies to
    prepared statements only, and the portal prepares no others."""
    prepared = _prepared.setdefault(cursor.db.connection, set())
    if name not in prepared:
        numbers = iter(range(1, len(params) + 1))
        text = re.sub(
            "%([s%])", lambda m: f"${next(numbers)}" if m[1] == "s" else "%", query
        )
        cursor.execute(f"PREPARE {name} AS {text}")
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        prepared.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)


def _jit_off(connection):
    options = connection.settings_dict.get("OPTIONS", {}).get("options", "")
    return "jit=off" in options.split()


def tile_name(search, z, x, y):
    """The tile and the search's filters in a canonical form: the same map
    tile under equivalent queries (order, spelling of numbers, parameters the
    search does not read) is one cache entry. `search` None: no filter,
    named without building the search's form (the same name as an empty
    search's)."""
    text = f"{z}/{x}/{y}?{search_canonical(search)}"
    digest = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    return f"tile:{digest}"


def search_canonical(search):
    """The filters a valid search was given, in one spelling (None: none)."""
    canonical = []
    filters = search.form.cleaned_data if search is not None else {}
    for name, value in sorted(filters.items()):
        if name == "sort" or not filter_is_set(value):
            continue
        canonical.append(f"{name}={_canonical(value)}")
    return "&".join(canonical)


def _canonical(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    return value
