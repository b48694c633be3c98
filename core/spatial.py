"""Box searches that read the spatial index on both databases.

PostGIS reads its GiST index for the `&&` operator (Django's `bboverlaps`).
SpatiaLite never consults its R*Tree by itself: a box is looked up in its
`SpatialIndex` virtual table, which answers the row ids whose bounding box
meets it (the index's own documented path).
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

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
    from django.contrib.gis.geos import Polygon

    polygon = Polygon.from_bbox(box)
    polygon.srid = srid
    return Q(**{f"{path}{field}__bboverlaps": polygon})
