"""Search areas: a polygon or a circle drawn on the search map, or a radius
around a commune, checked and bounded before any query.

In the URL (`?area=`), compactly:
- `p:` and an encoded polyline of the polygon's corners (core/polyline.py);
- `c:latitude,longitude,radius` for a circle, in degrees (5 decimals) and metres.

An area is checked for what makes a search slow or meaningless: at most
MAX_VERTICES corners, in and around metropolitan France, at most MAX_AREA_KM2,
a simple polygon (edges that never cross). It is returned in Lambert-93, where
a circle becomes a polygon of CIRCLE_SEGMENTS sides (within 0.2 % of its
radius), so the database only ever checks one kind of shape.
"""

import math

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.geos.error import GEOSException
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.geo import WGS84
from core.polyline import PolylineError, decode

from .models import SRID

MAX_VERTICES = 200  # a shape drawn by hand has a few dozen
MAX_TEXT = 2 + 12 * MAX_VERTICES  # a corner takes 12 characters at most
MAX_AREA_KM2 = 20_000  # the Artois is about 2,500 km²; the Nord-Pas-de-Calais 12,400
MIN_RADIUS_M = 50
MAX_RADIUS_KM = 75  # a circle of about MAX_AREA_KM2
CIRCLE_SEGMENTS = 64
# Longitudes and latitudes of metropolitan France and its neighbours: Lambert-93
# is defined there, and a search beyond finds nothing anyway.
REGION = (-6.0, 41.0, 10.0, 52.0)


def area_parse(text):
    """The Lambert-93 polygon of an `?area=` value; ValidationError otherwise."""
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("The area has too many corners: draw it with %(max)s at most."),
            code="too_many",
            params={"max": MAX_VERTICES},
        )
    kind, _colon, rest = text.partition(":")
    if kind == "p" and _colon:
        return _polygon(rest)
    if kind == "c" and _colon:
        return _circle(rest)
    raise ValidationError(_("The drawn area cannot be read."), code="invalid")


def _polygon(text):
    try:
        corners = decode(text, max_points=MAX_VERTICES + 1)
    except PolylineError as error:
        too_many = str(error) == "too many points"
        raise ValidationError(
            _("The area has too many corners: draw it with %(max)s at most.")
            if too_many
            else _("The drawn area cannot be read."),
            code="too_many" if too_many else "invalid",
            params={"max": MAX_VERTICES},
        ) from error
    if corners and corners[0] == corners[-1]:
        corners.pop()
    if len(corners) > MAX_VERTICES:
        raise ValidationError(
            _("The area has too many corners: draw it with %(max)s at most."),
            code="too_many",
            params={"max": MAX_VERTICES},
        )
    if len(set(corners)) < 3:
        raise ValidationError(
            _("An area needs at least three distinct corners."), code="invalid"
        )
    for lat, lng in corners:
        _in_region(lng, lat)
    ring = [(lng, lat) for lat, lng in corners]
    try:
        polygon = Polygon([*ring, ring[0]], srid=WGS84)
    except GEOSException as error:
        raise ValidationError(
            _("The drawn area cannot be read."), code="invalid"
        ) from error
    if not polygon.valid:
        raise ValidationError(
            _("The edges of the drawn area cross each other: draw it again."),
            code="self_intersecting",
        )
    return _bounded(_to_lambert93(polygon))


def _circle(text):
    try:
        lat, lng, radius = (float(part) for part in text.split(","))
    except ValueError as error:
        raise ValidationError(
            _("The drawn area cannot be read."), code="invalid"
        ) from error
    if not all(math.isfinite(n) for n in (lat, lng, radius)):
        raise ValidationError(_("The drawn area cannot be read."), code="invalid")
    _in_region(lng, lat)
    return circle_around(Point(lng, lat, srid=WGS84), radius)


def circle_around(point, radius_m):
    """The Lambert-93 polygon of a circle of `radius_m` around `point`."""
    if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_KM * 1000:
        raise ValidationError(
            _("The radius must be between %(min)s m and %(max)s km."),
            code="radius",
            params={"min": MIN_RADIUS_M, "max": MAX_RADIUS_KM},
        )
    if point.srid != SRID:
        point = _to_lambert93(point)
    return point.buffer(radius_m, quadsegs=CIRCLE_SEGMENTS // 4)


def _in_region(lng, lat):
    west, south, east, north = REGION
    if not (west <= lng <= east and south <= lat <= north):
        raise ValidationError(
            _("The area lies outside the map of the Artois and its surroundings."),
            code="outside",
        )


def _bounded(polygon):
    if polygon.area > MAX_AREA_KM2 * 1e6:
        raise ValidationError(
            _("The area is too large: draw one of at most %(max)s km²."),
            code="too_large",
            params={"max": number_format(MAX_AREA_KM2, force_grouping=True)},
        )
    return polygon


def _to_lambert93(geometry):
    return geometry.transform(SRID, clone=True)
