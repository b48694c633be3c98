"""Surfaces as measured on the ground: areas on the GRS80 ellipsoid.

Lambert-93 (EPSG:2154), the storage projection, is conformal, not equal-area:
around the Artois (50.5° N) its scale factor is about 1.0014, so an area in its
metres is about 0.3 % larger than the land it describes. Surfaces are measured
in the ETRS89 Lambert azimuthal equal-area projection (EPSG:3035), which keeps
areas of the GRS80 ellipsoid: for a plot it agrees with the geodesic area of
PostGIS (geography) and SpatiaLite (ST_Area's use_ellipsoid) to within 1e-8,
gives the same figure on both databases and costs no query
(tests/sites/test_surfaces.py checks it against all three and pyproj).
"""

from decimal import Decimal

from django.conf import settings

from core.geo import transformation
from core.units import SQUARE_METRES_PER_HECTARE

EQUAL_AREA_SRID = 3035  # ETRS89-extended / LAEA Europe


def ground_area_m2(geometry):
    """The area in m² on the ellipsoid of a (multi)polygon in any projection
    (the storage projection when it has no SRID)."""
    srid = geometry.srid or settings.STORAGE_SRID
    # Measured on GDAL's copy: GEOSGeometry.transform() would bring it back
    # to GEOS first, twice the cost for each row of an import.
    shape = geometry.ogr
    shape.transform(transformation(srid, EQUAL_AREA_SRID))
    return shape.area


def hectares(geometry):
    """The ground area in ha, as stored for plots and parks."""
    return Decimal(ground_area_m2(geometry) / SQUARE_METRES_PER_HECTARE)
