"""Pictures drawn from the geometry: a plot's or park's SVG thumbnail and PNG
sharing card, kept until a listing changes, bounded whatever the outline."""

import io
import math
import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from core.raster import SIZE, card_png
from sites import pictures
from sites.models import SRID, BusinessPark, Plot

pytestmark = pytest.mark.django_db


def published_plot():
    return Plot.objects.published().select_related("park").order_by("pk").first()


def test_a_plots_thumbnail_is_its_outline_in_its_park_with_a_scale_bar(client, demo):
    plot = published_plot()
    response = client.get(reverse("sites:plot-thumbnail", args=[plot.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith('<svg class="outline-map" xmlns="http://www.w3.org/2000/svg"')
    assert 'class="svg-focus"' in svg and 'class="svg-context"' in svg
    assert re.search(r">\d+ k?m</text>", svg)
    assert "<style>" in svg  # shown as an image, out of the page's CSS
    assert "max-age=600" in response["Cache-Control"]


def test_an_unchanged_picture_is_not_sent_again(client, demo):
    url = reverse("sites:plot-thumbnail", args=[published_plot().slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_unknown_and_unpublished_listings_have_no_picture(client, demo):
    plot = published_plot()
    Plot.objects.filter(pk=plot.pk).update(is_published=False)
    for name in ("sites:plot-thumbnail", "sites:plot-card"):
        assert client.get(reverse(name, args=[plot.slug])).status_code == 404
        assert client.get(reverse(name, args=["nowhere"])).status_code == 404
    park = BusinessPark.objects.published().first()
    BusinessPark.objects.filter(pk=park.pk).update(is_published=False)
    for name in ("sites:park-thumbnail", "sites:park-card"):
        assert client.get(reverse(name, args=[park.slug])).status_code == 404


def png(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_plot_and_park_pages_share_their_own_card(client, demo, site_url):
    plot = published_plot()
    html = client.get(plot.get_absolute_url()).content.decode()
    card = reverse("sites:plot-card", args=[plot.slug])
    assert f'<meta property="og:image" content="{site_url}{card}">' in html
    assert png(client.get(card)).size == SIZE

    park = plot.park
    html = client.get(park.get_absolute_url()).content.decode()
    card = reverse("sites:park-card", args=[park.slug])
    assert f'<meta property="og:image" content="{site_url}{card}">' in html
    assert png(client.get(card)).size == SIZE


def test_pictures_are_kept_until_the_outline_changes(demo):
    plot = published_plot()
    with translation.override("fr"):
        first = pictures.plot_card(plot.slug)
        thumbnail = pictures.plot_thumbnail(plot.slug)
        with CaptureQueriesContext(connection) as queries:
            assert pictures.plot_card(plot.slug) == first
            assert pictures.plot_thumbnail(plot.slug) == thumbnail
        assert len(queries) == 0

        plot.geom = MultiPolygon(plot.geom[0].buffer(-10), srid=SRID)
        plot.save()
        assert pictures.plot_thumbnail(plot.slug) != thumbnail
        assert pictures.plot_card(plot.slug) != first


def test_the_search_list_shows_each_plots_thumbnail_with_a_text(client, demo):
    with translation.override("en"):
        html = client.get(reverse("sites:search")).content.decode()
    images = re.findall(
        r'<img class="result-thumbnail" src="([^"]+)"[^>]* alt="([^"]+)"', html
    )
    assert images
    for src, alt in images:
        slug = src.split("/")[-2]
        with translation.override("en"):
            assert src == reverse("sites:plot-thumbnail", args=[slug])
        assert alt.startswith("Outline of ")


def jagged_disc(centre, radius_m, vertices):
    """A round outline of `vertices` points, its edge finely jagged (a
    surveyor's file at full precision)."""
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        radius = radius_m + 0.3 * math.sin(i)
        points.append(
            (centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle))
        )
    points.append(points[0])
    return MultiPolygon(Polygon(points), srid=SRID)


def test_a_huge_outline_is_simplified_before_it_is_drawn(client, demo):
    plot = published_plot()
    outline = jagged_disc(plot.geom.centroid, 60, 20_000)
    assert outline.valid
    Plot.objects.filter(pk=plot.pk).update(geom=outline)

    svg = client.get(reverse("sites:plot-thumbnail", args=[plot.slug])).content.decode()
    focus = re.search(r'class="svg-focus" d="([^"]+)"', svg).group(1)
    assert focus.count(",") < 100  # a few points, not 20,000
    assert png(client.get(reverse("sites:plot-card", args=[plot.slug]))).size == SIZE


def test_nothing_to_draw_gives_a_card_with_text_only():
    empty = MultiPolygon(srid=SRID)
    for focus in (None, empty):
        image = Image.open(io.BytesIO(card_png(focus, lines=["Terrain"], footer="x")))
        assert image.size == SIZE
