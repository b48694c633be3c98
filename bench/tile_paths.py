"""The vector tiles bench/run measures: what a visitor's search map asks for
on the densest part of the data, at four scales.

The densest commune is the one with the most plots on offer (ties broken by
INSEE code), its plot the first by id, and each tile the one holding that
plot's point at the zoom: the same tiles from run to run on the same data,
and tiles that exist with the demo data alone. Run inside Django
(`manage.py shell -c "from bench.tile_paths import main; main()"`): prints
one `name|path` line per tile, `name|path|wrk script` for those measured
with a script of their own.
"""

import math
import sys

from django.db.models import Count

# bench/report.py holds every row whose name starts with "tile" to the tiles'
# targets. Zoom 12 is still clusters (sites.tiles.CLUSTER_MAX_ZOOM), 15 the
# plots' outlines.
TILES = (
    (5, "tile z5, France (counts)"),
    (9, "tile z9, département (counts)"),
    (12, "tile z12, city (counts)"),
    (15, "tile z15, close-up (outlines)"),
)
# The same map with a filter, as a site selector asks for it: low zooms are
# then counted from the plots, not read from the precomputed grid.
FILTER = "surface_min=5"
FILTERED = (
    (5, "tile z5 filtered, France (counts, 5 ha or more)"),
    (9, "tile z9 filtered, département (counts, 5 ha or more)"),
)


# The same tiles for a search no one asked before, as its first visitor gets
# them: each request gets another bound (bench/new_search.lua appends it to
# the path), so that its block is counted every time (sites.tiles keeps a
# block's count for the tiles asked next, and other visitors).
NEW_SEARCH = (
    (5, "tile z5 filtered, France, a new search each time (counts)"),
    (9, "tile z9 filtered, département, a new search each time (counts)"),
)
NEW_SEARCH_SCRIPT = "bench/new_search.lua"


def tile_of(lon, lat, z):
    """The (z, x, y) of the Web Mercator tile holding a longitude-latitude."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def densest_point():
    """(longitude, latitude) inside a plot of the commune holding the most
    plots on offer, or None when there is none."""
    from sites.models import Plot

    offer = Plot.objects.on_offer()
    densest = (
        offer.values("commune__insee")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__insee")
        .first()
    )
    if densest is None:
        return None
    plot = offer.filter(commune__insee=densest["commune__insee"]).order_by("pk")
    point = plot.only("geom").first().geom.point_on_surface
    point.transform(4326)
    return point.x, point.y


def tile_paths():
    """[(name, URL path)] of the tiles to measure."""
    point = densest_point()
    if point is None:
        return []
    paths = []
    for zoom, name in TILES:
        z, x, y = tile_of(*point, zoom)
        paths.append((name, f"/api/v1/tiles/{z}/{x}/{y}.pbf"))
    for zoom, name in FILTERED:
        z, x, y = tile_of(*point, zoom)
        paths.append((name, f"/api/v1/tiles/{z}/{x}/{y}.pbf?{FILTER}"))
    return paths


def new_search_paths():
    """[(name, URL path)] of the tiles measured with a new search each time,
    their path ending with the parameter NEW_SEARCH_SCRIPT gives a value."""
    point = densest_point()
    if point is None:
        return []
    return [
        (name, "/api/v1/tiles/{}/{}/{}.pbf?surface_min=".format(*tile_of(*point, zoom)))
        for zoom, name in NEW_SEARCH
    ]


def main():
    for name, path in tile_paths():
        sys.stdout.write(f"{name}|{path}\n")
    for name, path in new_search_paths():
        sys.stdout.write(f"{name}|{path}|{NEW_SEARCH_SCRIPT}\n")
