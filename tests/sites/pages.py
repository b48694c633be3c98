"""Helpers for the tests of the plot, park and organisation pages."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def text(response):
    """The page's HTML with every kind of non-breaking space made plain."""
    html = response.content.decode()
    for space in ("&nbsp;", "\xa0", "\u202f"):
        html = html.replace(space, " ")
    return html


def map_data(response, map_id):
    """The GeoJSON a page hands to its map through json_script."""
    pattern = rf'<script id="{map_id}-data" type="application/json">(.*?)</script>'
    return json.loads(re.search(pattern, response.content.decode()).group(1))


def heading_levels(response):
    return [int(level) for level in re.findall(r"<h([1-6])", response.content.decode())]


def headings_in_order(response):
    levels = heading_levels(response)
    return (
        levels.count(1) == 1
        and levels[0] == 1
        and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def assert_hostile_text_escaped(html):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html
