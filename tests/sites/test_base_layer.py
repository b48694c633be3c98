"""The territory under every public map's tiles: communes, agglomeration
borders and parks from our own data, light, kept until a listing changes."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites.models import BusinessPark, Commune

pytestmark = pytest.mark.django_db
URL = reverse("api-base-layer")


def features(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_the_base_layer_draws_communes_borders_and_parks(client, demo):
    response = client.get(URL)
    found = features(response)
    kinds = [feature["properties"]["kind"] for feature in found]

    assert kinds.count("commune") == Commune.objects.in_territory().count() == 150
    borders = {
        f["properties"]["org"] for f in found if f["properties"]["kind"] == "border"
    }
    assert borders == {"cabbalr", "call", "cahc"}
    parks = {
        f["properties"]["name"] for f in found if f["properties"]["kind"] == "park"
    }
    assert parks == set(BusinessPark.objects.published().values_list("name", flat=True))
    # WGS84, rounded to about a metre, simplified: light enough for every map.
    position = found[0]["geometry"]["coordinates"]
    while isinstance(position[0], list):
        position = position[0]
    lon, lat = position
    assert 1.5 < lon < 3.5 and 50 < lat < 51
    assert not re.search(rb"\d\.\d{6,}", response.content)
    assert len(response.content) < 300_000


def test_an_unpublished_park_is_not_drawn(client, demo):
    park = BusinessPark.objects.published().first()
    park.is_published = False
    park.save()
    names = [f["properties"].get("name") for f in features(client.get(URL))]
    assert park.name not in names


def test_the_base_layer_is_kept_and_not_sent_again(client, demo):
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content == first.content
    assert not [q for q in queries if "sites_commune" in q["sql"]]
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_every_public_map_is_told_where_the_base_layer_is(client, demo):
    html = client.get(reverse("sites:search")).content.decode()
    options = re.search(
        r'<script id="search-map-options" type="application/json">(.*?)</script>',
        html,
        re.S,
    ).group(1)
    assert json.loads(options)["base_layer"] == URL
