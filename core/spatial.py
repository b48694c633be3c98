"""Box searches that read the spatial index on both databases.

PostGIS reads its GiST index for the `&&` operator (Django's `bboverlaps`).
SpatiaLite never consults its R*Tree by itself: a box is looked up in its
`SpatialIndex` virtual table, which answers the row ids whose bounding box
meets it (the index's own documented path).
"""

from django.conf import settings
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .geo import WGS84, transformation, transformed

# Where Lambert-93 (the storage projection) is defined, EPSG:2154's area of
# use, in degrees: nothing is stored outside, and PROJ fails there (a box
# touching a pole made PostGIS answer "Point outside of projection domain").
LAMBERT93_AREA = (-9.86, 41.15, 10.38, 51.56)

SPATIALITE_INDEX = (
    "SELECT ROWID FROM SpatialIndex WHERE f_table_name = %s "
    "AND f_geometry_column = %s AND search_frame = BuildMbr(%s, %s, %s, %s, %s)"
)


def in_box(model, field, box, srid, *, path=""):
    """A Q keeping the rows of `model` (reached by `path`, e.g. "park__") whose
    `field` has a bounding box meeting `box` (xmin, ymin, xmax, ymax in
    `srid`, the field's own). Candidates only: clip or test exactly after."""
    if connection.vendor == "sqlite":
        column = model._meta.get_field(field).column
        params = (model._meta.db_table, column, *box, srid)
        return Q(**{f"{path}pk__in": RawSQL(SPATIALITE_INDEX, params)})
    polygon = Polygon.from_bbox(box)
    polygon.srid = srid
    return Q(**{f"{path}{field}__bboverlaps": polygon})


def storage_area_cut(west, south, east, north):
    """A longitude-latitude box cut to Lambert-93's area, or None when nothing
    of it is in the area (arithmetic only)."""
    a_west, a_south, a_east, a_north = LAMBERT93_AREA
    west, south = max(west, a_west), max(south, a_south)
    east, north = min(east, a_east), min(north, a_north)
    if west >= east or south >= north:
        return None
    return west, south, east, north


def _edges(west, south, east, north):
    """The box's edges sampled, as a closed ring: a longitude-latitude box is
    curved in the storage projection."""
    steps = [i / 8 for i in range(9)]
    ring = (
        [(west + (east - west) * t, south) for t in steps]
        + [(east, south + (north - south) * t) for t in steps]
        + [(east - (east - west) * t, north) for t in steps]
        + [(west, north - (north - south) * t) for t in steps]
    )
    return ring + ring[:1]


def storage_outline(west, south, east, north):
    """A longitude-latitude box cut to Lambert-93's area, as a polygon in the
    storage projection (its edges sampled), or None when nothing of it is in
    the area."""
    clipped = storage_area_cut(west, south, east, north)
    if clipped is None:
        return None
    outline = Polygon(_edges(*clipped), srid=WGS84)
    return transformed(outline, settings.STORAGE_SRID)


def storage_extent(west, south, east, north):
    """`storage_outline(...).extent` without GEOS: the sampled edges read by
    GDAL from their text and transformed there. A tile asks for its box at
    each build; making the polygon point by point (some 160 calls into GEOS)
    cost more than the tile's query."""
    clipped = storage_area_cut(west, south, east, north)
    if clipped is None:
        return None
    wkt = "LINESTRING(" + ",".join(f"{x!r} {y!r}" for x, y in _edges(*clipped)) + ")"
    edges = OGRGeometry(wkt)
    edges.transform(transformation(WGS84, settings.STORAGE_SRID))
    return edges.extent


# Closer than this, an outline is unchanged: what a WGS84 round trip (an
# export, the admin's map) moves its corners by, not what anyone draws.
SAME_OUTLINE_M = 0.05


def same_outline(current, new):
    """Equal within SAME_OUTLINE_M, whichever way the rings turn and wherever
    they start (exports turn them as RFC 7946 says)."""
    if current.equals_exact(new, SAME_OUTLINE_M):
        return True
    if current.num_coords != new.num_coords:
        return False
    return current.sym_difference(new).area <= current.length * SAME_OUTLINE_M
