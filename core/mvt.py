"""Mapbox Vector Tiles (specification 2.1): web-map tile arithmetic and a small
encoder, for a database that cannot build tiles itself (SpatiaLite; PostGIS
has ST_AsMVT).

Geometries are given in Web Mercator (EPSG:3857), already clipped near the
tile; the encoder scales them to the tile's grid, drops what collapses there
and orients rings as the specification says.
"""

import math
import re
import struct

from django.utils.translation import gettext as _

WEB_MERCATOR = 3857
EXTENT = 4096  # grid units across a tile
HALF_WORLD = 20_037_508.342789244  # metres from the origin to the edge
_NUMBER = re.compile(r"[0-9]{1,7}")

POINT, POLYGON = 1, 3
MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7


class TileError(ValueError):
    pass


def tile_coordinates(z, x, y, *, max_zoom):
    """Integers from a URL's z/x/y, or TileError (not a number, out of range)."""
    if not all(isinstance(v, str) and _NUMBER.fullmatch(v) for v in (z, x, y)):
        raise TileError(_("Tile coordinates are whole numbers."))
    z, x, y = int(z), int(x), int(y)
    if z > max_zoom:
        raise TileError(_("The zoom goes up to %(max)s.") % {"max": max_zoom})
    if x >= 2**z or y >= 2**z:
        raise TileError(_("No such tile at this zoom."))
    return z, x, y


def tile_bounds(z, x, y):
    """(west, south, east, north) of a tile, in Web Mercator metres."""
    size = 2 * HALF_WORLD / 2**z
    west, north = -HALF_WORLD + x * size, HALF_WORLD - y * size
    return (west, north - size, west + size, north)


def mercator_to_lonlat(mx, my):
    lon = math.degrees(mx / HALF_WORLD * math.pi)
    lat = math.degrees(math.atan(math.sinh(my / HALF_WORLD * math.pi)))
    return lon, lat


def _varint(value, out):
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _zigzag(value):
    return (value << 1) ^ (value >> 63)


def _key(number, wire_type, out):
    _varint((number << 3) | wire_type, out)


def _bytes(number, payload, out):
    _key(number, 2, out)
    _varint(len(payload), out)
    out.extend(payload)


def _packed(number, values, out):
    payload = bytearray()
    for value in values:
        _varint(value, payload)
    _bytes(number, payload, out)


def _value(value):
    out = bytearray()
    if isinstance(value, bool):
        _key(7, 0, out)
        _varint(int(value), out)
    elif isinstance(value, int) and value >= 0:
        _key(5, 0, out)  # uint_value
        _varint(value, out)
    elif isinstance(value, int):
        _key(6, 0, out)  # sint_value
        _varint(_zigzag(value), out)
    elif isinstance(value, float):
        _key(3, 1, out)  # double_value, 64 bits little-endian
        out.extend(struct.pack("<d", value))
    else:
        _bytes(1, str(value).encode(), out)
    return bytes(out)


class Layer:
    """One named layer of a tile; `add` features, then `encode`."""

    def __init__(self, name, bounds, extent=EXTENT):
        self.name, self.extent = name, extent
        west, south, east, north = bounds
        self._origin = (west, north)
        self._scale = (extent / (east - west), extent / (north - south))
        self._features = []
        self._keys, self._values = {}, {}

    def _grid(self, x, y):
        return (
            round((x - self._origin[0]) * self._scale[0]),
            round((self._origin[1] - y) * self._scale[1]),
        )

    def add(self, geometry, properties, id=None):
        """A GEOS Point, Polygon or MultiPolygon in Web Mercator; None
        properties are left out. Returns False when nothing is left to draw."""
        if geometry.geom_type == "Point":
            return self.add_point(geometry.x, geometry.y, properties, id)
        commands = self._polygons(geometry)
        if not commands:
            return False
        self._feature(POLYGON, commands, properties, id)
        return True

    def add_point(self, x, y, properties, id=None):
        """A point from its Web Mercator coordinates (no GEOS object: a tile
        of a hundred points spent most of its time making them)."""
        x, y = self._grid(x, y)
        self._feature(
            POINT, [MOVE_TO | (1 << 3), _zigzag(x), _zigzag(y)], properties, id
        )
        return True

    def _feature(self, kind, commands, properties, id):
        tags = []
        for key, value in properties.items():
            if value is None:
                continue
            tags.append(self._keys.setdefault(key, len(self._keys)))
            tags.append(self._values.setdefault(_value(value), len(self._values)))
        self._features.append((id, tags, kind, commands))

    def _polygons(self, geometry):
        polygons = geometry if geometry.geom_type == "MultiPolygon" else [geometry]
        commands, cursor = [], [0, 0]
        for polygon in polygons:
            rings = [self._ring(ring) for ring in polygon]
            if not rings[0]:
                continue  # the outline is smaller than the grid: nothing to draw
            for index, ring in enumerate(rings):
                if ring:
                    # Exterior rings turn clockwise on the tile's grid (y down),
                    # holes the other way.
                    if (_area(ring) > 0) != (index == 0):
                        ring.reverse()
                    commands += _path(ring, cursor)
        return commands

    def _ring(self, ring):
        points = []
        for x, y in ring[:-1]:
            point = self._grid(x, y)
            if not points or point != points[-1]:
                points.append(point)
        while len(points) > 1 and points[-1] == points[0]:
            points.pop()
        return points if len(points) >= 3 and _area(points) else []

    def encode(self):
        out = bytearray()
        _key(15, 0, out)
        _varint(2, out)
        _bytes(1, self.name.encode(), out)
        for id, tags, kind, commands in self._features:
            feature = bytearray()
            if id is not None:
                _key(1, 0, feature)
                _varint(id, feature)
            _packed(2, tags, feature)
            _key(3, 0, feature)
            _varint(kind, feature)
            _packed(4, commands, feature)
            _bytes(2, feature, out)
        for key in self._keys:
            _bytes(3, key.encode(), out)
        for value in self._values:
            _bytes(4, value, out)
        _key(5, 0, out)
        _varint(self.extent, out)
        return bytes(out)

    def __len__(self):
        return len(self._features)


def _area(points):
    """Twice the signed area on the tile's grid (positive: clockwise, y down)."""
    return sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
    )


def _path(points, cursor):
    commands = []
    for index, (x, y) in enumerate(points):
        if index == 0:
            commands.append(MOVE_TO | (1 << 3))
        elif index == 1:
            commands.append(LINE_TO | ((len(points) - 1) << 3))
        commands += [_zigzag(x - cursor[0]), _zigzag(y - cursor[1])]
        cursor[:] = [x, y]
    commands.append(CLOSE_PATH | (1 << 3))
    return commands


def encode_tile(*layers):
    """The tile's bytes; layers without features are left out."""
    out = bytearray()
    for layer in layers:
        if len(layer):
            _bytes(3, layer.encode(), out)
    return bytes(out)
