"""Every public address a GET reaches answers HEAD too (RFC 9110: a server
that answers GET answers HEAD): link checkers, crawlers and the link previews
of chat apps ask for headers alone, robots.txt, the sitemaps, the open-data
files and the pictures first. Other methods stay refused."""

import pytest
from django.urls import reverse

from sites.models import BusinessPark, Plot
from tests.exchange.conftest import open_data, open_data_root  # noqa: F401

pytestmark = pytest.mark.django_db


def public_addresses():
    plot = Plot.objects.published().first()
    park = BusinessPark.objects.published().first()
    return [
        "/robots.txt",
        reverse("sitemap"),
        reverse("sitemap-section", args=["pages"]),
        reverse("sitemap-listings", args=["plots", plot.pk // 5000]),
        reverse("api-plots"),
        reverse("api-base-layer"),
        reverse("api-ambassadors"),
        reverse("api-tiles", kwargs={"z": 10, "x": 518, "y": 341}),
        reverse("sites:search-suggestions", args=["commune"]) + "?q=le",
        reverse("sites:plot-thumbnail", args=[plot.slug]),
        reverse("sites:plot-card", args=[plot.slug]),
        reverse("sites:park-thumbnail", args=[park.slug]),
        reverse("sites:park-card", args=[park.slug]),
        reverse("exchange:opendata"),
        reverse("exchange:opendata-file", kwargs={"name": "zae-sites", "fmt": "csv"}),
    ]


@pytest.mark.usefixtures("open_data")
def test_what_answers_get_answers_head_with_the_same_headers(client):
    for address in public_addresses():
        got = client.get(address)
        assert got.status_code == 200, address
        head = client.head(address)
        assert head.status_code == 200, address
        assert head["Content-Type"] == got["Content-Type"], address
        body = head.streaming_content if head.streaming else [head.content]
        assert not b"".join(body), address
