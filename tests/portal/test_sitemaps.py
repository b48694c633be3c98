"""The sitemap index and its bounded pages."""

import re
from xml.etree import ElementTree

import pytest
from django.contrib.sitemaps.views import sitemap
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.links import SiteUrlSitemap
from portal import sitemaps
from sites.models import Plot
from tests.factories import PlotFactory
from tests.portal.sitemaps import sitemap_pages, sitemap_text

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
XHTML = "{http://www.w3.org/1999/xhtml}link"


class DjangoPlotsSitemap(SiteUrlSitemap):
    """What Django's own framework writes for the plots (the former sitemap)."""

    i18n = alternates = True  # SiteUrlSitemap adds the x-default

    def items(self):
        return Plot.objects.published().order_by("pk")

    def lastmod(self, plot):
        return plot.updated_at


def urls(xml):
    """{(loc, lastmod, alternates)} of a <urlset>."""
    root = ElementTree.fromstring(xml.encode())
    return {
        (
            url.findtext("s:loc", namespaces=NS),
            url.findtext("s:lastmod", namespaces=NS),
            tuple((a.get("hreflang"), a.get("href")) for a in url.iter(XHTML)),
        )
        for url in root.findall("s:url", NS)
    }


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 3)
    return 3


def test_plot_pages_say_what_djangos_sitemap_said(client, demo, site_url, small_pages):
    Plot.objects.filter(pk=Plot.objects.published().first().pk).update(
        is_published=False
    )
    expected = sitemap(
        RequestFactory().get("/"), sitemaps={"plots": DjangoPlotsSitemap}
    )
    expected.render()
    pages = {
        path: text
        for path, text in sitemap_pages(client).items()
        if path.startswith("/sitemap-plots-")
    }
    assert len(pages) > 1
    listed = set()
    for text in pages.values():
        found = urls(text)
        assert 0 < len(found) <= small_pages * 3  # three languages per plot
        listed |= found
    assert listed == urls(expected.content.decode())
    assert any(code == "x-default" for _l, _m, alts in listed for code, _h in alts)


def test_every_published_listing_is_listed_once_per_language(
    client, demo, site_url, small_pages
):
    text = sitemap_text(client)
    locations = re.findall(r"<loc>([^<]+)</loc>", text)
    assert len(locations) == len(set(locations))
    for plot in Plot.objects.published():
        for code in ("fr", "en", "nl"):
            path = plot.get_absolute_url().replace("/fr/", f"/{code}/", 1)
            assert locations.count(f"{site_url}{path}") == 1


def test_index_and_pages_cost_the_same_queries_whatever_the_table(
    client, demo, small_pages
):
    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if response.streaming:
                response.getvalue()
        assert response.status_code == 200
        return len(captured)

    page = Plot.objects.published().order_by("pk").first().pk // small_pages
    path = f"/sitemap-plots-{page}.xml"
    before = queries("/sitemap.xml"), queries(path)
    PlotFactory.create_batch(7)
    sitemaps_cached = queries("/sitemap.xml")
    assert before[1] == queries(path) == 1
    assert sitemaps_cached == before[0]  # the new plots invalidated the index


def plot_pages(index):
    """The index's entries for pages of plots, with their dates."""
    text = index if isinstance(index, str) else index.content.decode()
    return re.findall(r"<sitemap>\s*<loc>[^<]+plots[^<]+</loc>[^/]+", text)


def test_the_index_follows_the_listings(client, demo, small_pages):
    before = client.get("/sitemap.xml").content.decode()
    assert client.get("/sitemap.xml").content.decode() == before
    assert plot_pages(before)
    plot = PlotFactory()
    page = f"/sitemap-plots-{plot.pk // small_pages}.xml"
    after = client.get("/sitemap.xml").content.decode()
    assert page in after
    assert plot.slug in client.get(page).getvalue().decode()
    plot.delete()  # (its park, which the factory made, stays)
    assert plot_pages(client.get("/sitemap.xml")) == plot_pages(before)


@pytest.mark.parametrize(
    "path", ["/sitemap-plots-999999.xml", "/sitemap-leads-0.xml", "/sitemap-x.xml"]
)
def test_unknown_or_empty_pages_are_not_found(client, demo, path):
    assert client.get(path).status_code == 404


def test_robots_points_to_the_index(client, site_url):
    assert f"Sitemap: {site_url}/sitemap.xml" in client.get("/robots.txt").text
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index and f"{site_url}/sitemap-pages.xml" in index


def test_a_page_emptied_since_the_index_was_read_is_empty_not_missing(
    client, demo, small_pages
):
    keys = sorted(Plot.objects.published().values_list("pk", flat=True))
    page = keys[len(keys) // 2] // small_pages
    assert f"/sitemap-plots-{page}.xml" in client.get("/sitemap.xml").text
    Plot.objects.filter(
        pk__gte=page * small_pages, pk__lt=(page + 1) * small_pages
    ).update(is_published=False)
    response = client.get(f"/sitemap-plots-{page}.xml")
    assert response.status_code == 200
    assert urls(response.getvalue().decode()) == set()


def robots_allows(robots, path):
    """Whether `path` may be fetched under robots.txt's `User-agent: *`
    group, as RFC 9309 says: the longest matching rule wins, `*` is any text,
    Allow on a tie."""
    rules = []
    for line in robots.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() in ("allow", "disallow") and value.strip():
            pattern = re.escape(value.strip()).replace(r"\*", ".*")
            rules.append(
                (len(value.strip()), field.strip().lower() == "allow", pattern)
            )
    matching = [(length, allow) for length, allow, p in rules if re.match(p, path)]
    return max(matching, default=(0, True))[1]


def test_robots_keeps_crawlers_from_the_plot_sheets_only(client, demo):
    robots = client.get("/robots.txt").content.decode()
    plot = Plot.objects.on_offer().first()
    for language in ("fr", "en", "nl"):
        with translation.override(language):
            page = plot.get_absolute_url()
            sheet = reverse("sites:plot-sheet", args=[plot.slug])
        assert robots_allows(robots, page)
        assert not robots_allows(robots, sheet)
    assert robots_allows(robots, "/fr/recherche/")
    assert robots_allows(robots, "/sitemap.xml")
