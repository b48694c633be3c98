"""WGS84 and GeoJSON, in one place: what the maps, the APIs and the open data send.

Geometries are stored in Lambert-93 (settings.STORAGE_SRID); web maps and
GeoJSON (RFC 7946) use WGS84 longitude and latitude. The database shapes each
geometry into GeoJSON text (`as_geojson`), and features and collections are
assembled from those texts: a geometry is never parsed and encoded again in
Python. Every text is safe inside a <script> element.

`bounds()` is GEOS's own bounding box, for code that tests thousands of them.
"""

import threading
from ctypes import POINTER, byref, c_double

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos.libgeos import GEOM_PTR
from django.contrib.gis.geos.prototypes.misc import DblFromGeom

from .script_json import script_json

WGS84 = 4326
# Decimal degrees. 7 is about 1 cm: open data imported back gives the outlines
# it was exported from. The search map's API sends up to 500 outlines at once:
# 5, about a metre, is plenty on a screen and keeps its responses small.
GEOJSON_DECIMALS = 7
MAP_API_DECIMALS = 5


# GEOS's bounding box in four C calls (GEOS >= 3.7). GEOSGeometry.extent
# builds the envelope polygon, then a Python object for its ring and for each
# of two points: 12 times slower, and an import calls it for every row.
_BOUNDS = [
    DblFromGeom(f"GEOSGeom_get{name}", argtypes=[GEOM_PTR, POINTER(c_double)])
    for name in ("XMin", "YMin", "XMax", "YMax")
]


def bounds(geometry):
    """`geometry.extent`, (xmin, ymin, xmax, ymax), at a fraction of its cost."""
    pointer = geometry.ptr
    box = tuple(bound(pointer, byref(c_double())) for bound in _BOUNDS)
    return geometry.extent if None in box else box  # None: GEOS said no (empty)


def as_geojson(field, *, decimals=GEOJSON_DECIMALS):
    """The geometry `field` (a name or an expression) as WGS84 GeoJSON text."""
    return AsGeoJSON(Transform(field, WGS84), precision=decimals)


def wgs84_point(geometry):
    """A point inside `geometry` (a centroid may fall outside), in WGS84."""
    return transformed(geometry.point_on_surface, WGS84)


def transformed(geometry, srid):
    """A copy of `geometry` in `srid`, through the thread's kept
    transformation (see `transformation`)."""
    copy = geometry.transform(transformation(geometry.srid, srid), clone=True)
    copy.srid = srid
    return copy


_transformations = threading.local()


def transformation(source, target):
    """A GDAL transformation between two SRIDs, kept for the thread:
    `transform(srid)` builds one from PROJ's database at each call (about
    10 ms, 30 times the cost of transforming a point), applying one takes
    microseconds. Per thread: GDAL's transformations are not safe to share."""
    kept = _transformations.__dict__.setdefault("kept", {})
    if (source, target) not in kept:
        kept[source, target] = CoordTransform(
            SpatialReference(source), SpatialReference(target)
        )
    return kept[source, target]


def feature(geometry, properties, **members):
    """A Feature's text: `geometry` is GeoJSON text (or None), `properties` a
    dict; `members` (an `id`) go before them."""
    head = script_json({"type": "Feature", **members})[:-1]
    return (
        f'{head},"geometry":{geometry or "null"},'
        f'"properties":{script_json(properties)}}}'
    )


def feature_collection(features, **members):
    """A FeatureCollection's text from its features' texts; `members` (a name,
    a licence...) go before them."""
    return "".join(feature_collection_chunks(features, **members))


def feature_collection_chunks(features, **members):
    """The same text in pieces, for files too large to hold in memory."""
    yield script_json({"type": "FeatureCollection", **members})[:-1]
    yield ',"features":['
    separator = ""
    for text in features:
        yield separator + text
        separator = ","
    yield "]}"
