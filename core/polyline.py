"""The encoded polyline format (precision 5), a compact way to put a shape
in a URL: each latitude and longitude is the difference from the previous
one, in 1e-5 degrees, written as 5-bit chunks in the characters `?` to `~`.
static/js/search-area.js writes it; this reads (and writes) it."""

PRECISION = 1e5


class PolylineError(ValueError):
    pass


def decode(text, *, max_points):
    """The (latitude, longitude) pairs of `text`; raises PolylineError for
    anything else, or for more than `max_points` pairs (counted while reading,
    so a long text costs no more than the cap)."""
    numbers, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 63
        if not 0 <= chunk < 64:
            raise PolylineError("not an encoded polyline")
        value |= (chunk & 0x1F) << shift
        shift += 5
        if shift > 35:  # more than any 5-decimal coordinate needs
            raise PolylineError("a number is too long")
        if chunk < 0x20:
            numbers.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
            if len(numbers) > 2 * max_points:
                raise PolylineError("too many points")
    if shift or len(numbers) % 2:
        raise PolylineError("the text ends in the middle of a point")
    points, lat, lng = [], 0, 0
    for index in range(0, len(numbers), 2):
        lat += numbers[index]
        lng += numbers[index + 1]
        points.append((lat / PRECISION, lng / PRECISION))
    return points


def _number(value):
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode(points):
    """The text of (latitude, longitude) pairs, rounded to 1e-5 degrees."""
    out, last_lat, last_lng = [], 0, 0
    for lat, lng in points:
        lat, lng = round(lat * PRECISION), round(lng * PRECISION)
        out += [_number(lat - last_lat), _number(lng - last_lng)]
        last_lat, last_lng = lat, lng
    return "".join(out)
