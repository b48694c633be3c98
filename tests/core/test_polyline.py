import pytest

from core.polyline import PolylineError, decode, encode

# The format's own example (Google Maps Platform, "Encoded Polyline Algorithm").
EXAMPLE = "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
POINTS = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]


def test_the_formats_example_both_ways():
    assert decode(EXAMPLE, max_points=3) == POINTS
    assert encode(POINTS) == EXAMPLE


def test_round_trip_at_five_decimals():
    points = [(50.43172, 2.83197), (50.4, 2.9), (-0.00001, 179.99999)]
    assert decode(encode(points), max_points=10) == points


@pytest.mark.parametrize(
    "text", ["\x00", "abc def", EXAMPLE[:-1], "_p~iF", "~" * 9 + "?"]
)
def test_garbage_is_refused(text):
    with pytest.raises(PolylineError):
        decode(text, max_points=100)


def test_the_cap_is_checked_while_reading():
    with pytest.raises(PolylineError, match="too many"):
        decode(encode([(50.0, 2.0)] * 1000), max_points=10)
