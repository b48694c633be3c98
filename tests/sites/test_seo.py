import json
import re

import pytest
from django.urls import reverse

from sites.models import Plot

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in blocks]


def meta(html, name):
    match = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', html)
    return match.group(1)


def test_home_has_cards_canonical_and_the_organisations(client, demo, site_url):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'<link rel="canonical" href="{site_url}/fr/">' in html
    assert meta(html, "og:url") == f"{site_url}/fr/"
    assert meta(html, "og:image") == f"{site_url}/static/img/og-default.png"
    assert "testserver" not in html
    assert meta(html, "twitter:card") == "summary_large_image"
    (pma,) = json_ld(html)
    assert pma["@type"] == "GovernmentOrganization"
    assert pma["alternateName"] == "PMA"
    assert pma["url"] == f"{site_url}{reverse('sites:organisation', args=['pma'])}"
    websites = {member["sameAs"][0] for member in pma["member"]}
    # Its members are the agglomerations (and the Département), not SIZIAF.
    assert websites == {
        "https://www.agglo-lenslievin.fr/",
        "https://www.bethunebruay.fr/",
        "https://www.agglo-henincarvin.fr/",
    }


def test_plot_page_is_a_place_with_coordinates(client, demo, site_url):
    plot = Plot.objects.get(surface_ha=42)
    html = client.get(plot.get_absolute_url()).content.decode()
    assert meta(html, "og:title") == plot.name.replace("'", "&#x27;")
    assert "42\xa0ha" in meta(html, "og:description")  # French typography
    (place,) = json_ld(html)
    assert place["@type"] == "Place"
    assert place["url"] == f"{site_url}{plot.get_absolute_url()}"
    assert 50.3 < place["geo"]["latitude"] < 50.7
    assert 2.5 < place["geo"]["longitude"] < 3.2
    assert place["address"]["addressLocality"] == plot.commune.name


def test_hostile_names_stay_inert_in_cards_and_structured_data(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    plot.name = '</script><script>alert(1)</script>"><img src=x onerror=alert(1)>'
    plot.save()
    html = client.get(plot.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    (place,) = json_ld(html)
    assert place["name"] == plot.name
    assert "&lt;/script&gt;" in meta(html, "og:title")


@pytest.mark.parametrize("page", ["portal:home", "sites:search"])
def test_the_kept_cards_and_header_follow_the_language(
    client, demo, site_url, settings, page
):
    """The home's and search's link-preview tags, and every page's header, are
    shared fragments: each language has its own."""
    settings.LISTINGS_PAGE_CACHE = False
    french = reverse(page)
    assert meta(client.get(french).text, "og:locale") == "fr"
    for language in ("en", "nl", "fr"):
        url = french.replace("/fr/", f"/{language}/", 1)
        html = client.get(url).text
        assert meta(html, "og:locale") == language
        assert meta(html, "og:url") == f"{site_url}{url}"
        brand = re.search(r'<a class="brand" href="([^"]+)"', html)[1]
        assert brand == f"/{language}/"
