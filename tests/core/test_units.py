"""Units everywhere: the visitor's choice is a link, kept in a cookie, and every
page (and the page cache) follows it."""

import json
import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.units import (
    HECTARES_SHOWN_TO,
    UNITS_COOKIE,
    as_shown,
    euros_text,
    hectares_text,
)
from sites.models import Plot

pytestmark = pytest.mark.django_db


def search_url(language="en"):
    with translation.override(language):
        return reverse("sites:search")


def choose(client, units, back="/en/recherche/?surface_min=30"):
    return client.get(reverse("units", args=[units]), {"next": back})


def test_the_switch_remembers_the_choice_and_goes_back(client):
    response = choose(client, "imperial")
    assert response.status_code == 302
    assert response.url == "/en/recherche/?surface_min=30"
    cookie = response.cookies[UNITS_COOKIE]
    assert cookie.value == "imperial"
    assert cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert choose(client, "metric").cookies[UNITS_COOKIE].value == "metric"


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switch_goes_back_to_this_site_only(client, back):
    assert choose(client, "imperial", back=back).url == "/"


def test_unknown_units_and_posts_are_refused(client):
    assert client.get(reverse("units", args=["furlongs"])).status_code == 404
    assert client.post(reverse("units", args=["imperial"])).status_code == 405


def results(html):
    return re.findall(r'<li class="result".*?</li>', html, re.S)


def test_the_search_list_follows_the_choice_and_the_cache_keys_on_it(client, demo):
    plot = Plot.objects.on_offer().get(surface_ha=42)  # 18 €/m²
    url = search_url()
    metric = client.get(url, {"surface_min": 30}).text
    assert 'data-units="metric"' in metric
    assert "Show in acres, sq ft and miles" in metric
    row = next(r for r in results(metric) if plot.name in r)
    assert "42&nbsp;ha" in row and "103.8&nbsp;acres" in row
    assert "€18/m²" in row and "€1.67/sq ft" in row

    client.cookies[UNITS_COOKIE] = "imperial"
    # The same address, cached in metric a moment ago.
    imperial = client.get(url, {"surface_min": 30}).text
    assert 'data-units="imperial"' in imperial
    assert "Show in hectares, m² and km" in imperial
    assert "Show in acres" not in imperial
    options = re.search(
        r'<script id="search-map-options" type="application/json">(.*?)</script>',
        imperial,
    )
    assert json.loads(options.group(1))["scale"] == "imperial"
    assert (
        json.loads(
            re.search(r'id="search-map-text" type="application/json">(.*?)<', imperial)[
                1
            ]
        )["acres"]
        == "acres"
    )

    client.cookies[UNITS_COOKIE] = "metric"
    assert 'data-units="metric"' in client.get(url, {"surface_min": 30}).text


def test_the_plot_page_gives_the_price_per_square_foot(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    client.cookies[UNITS_COOKIE] = "imperial"
    html = client.get(plot.get_absolute_url()).text
    assert 'data-units="imperial"' in html
    assert "18\xa0€&nbsp;HT / m²" in html
    assert "1,67\xa0€&nbsp;HT / sq ft" in html
    assert "Afficher en hectares, m² et km" in html
    options = re.search(
        r'<script id="plot-map-options" type="application/json">(.*?)</script>', html
    )
    assert json.loads(options.group(1))["scale"] == "imperial"


@pytest.mark.parametrize(
    ("language", "switch"),
    [
        ("fr", "Afficher en acres, sq ft et miles"),
        ("nl", "Weergeven in acres, sq ft en mijlen"),
    ],
)
def test_the_switch_speaks_the_page_language(client, demo, language, switch):
    assert switch in client.get(search_url(language)).text


def test_the_switch_goes_back_to_the_page_without_junk_parameters(client, demo):
    html = client.get(search_url(), {"surface_min": 30, "utm_source": "<x>"}).text
    switch = re.search(r'<a class="units-toggle" href="([^"]+)"', html)[1]
    assert switch == "/unites/imperial/?next=%2Fen%2Frecherche%2F%3Fsurface_min%3D30"


@given(
    st.one_of(
        st.decimals(min_value=0, max_value=10_000, places=4),
        st.floats(min_value=0.0001, max_value=25_000),  # as acres are
        st.sampled_from([Decimal("2.4950"), Decimal("2.5050"), 2.495, 1.005, 0.125]),
    )
)
def test_as_shown_rounds_as_the_pages_do(value):
    """What the search's bounds take for a shown surface (sites.filters) is
    what the templates' floatformat writes, halves and floats included."""
    written = floatformat(value, "2u")
    assert as_shown(value, HECTARES_SHOWN_TO) == Decimal(written)


@given(st.decimals(min_value=0, max_value=100_000, places=4))
def test_hectares_are_written_as_the_surface_template_writes_them(value):
    """The admin's surfaces (core.units.hectares_text) and the pages' are one
    text, to the hundredth, grouped (templates/core/units/surface.html)."""
    with translation.override("fr"):
        page = render_to_string("core/units/surface.html", {"hectares": value})
        assert page.startswith(
            f'<span class="measure"><span class="u-metric">{hectares_text(value)}'
            "&nbsp;ha"
        )


@pytest.mark.parametrize(
    ("language", "eighteen", "grouped"),
    [
        ("fr", "18\xa0€", "1\xa0234,50\xa0€"),
        ("en", "€18", "€1,234.50"),
        ("nl", "€\xa018", "€\xa01.234,50"),
    ],
)
def test_an_amount_is_written_as_its_language_writes_it(language, eighteen, grouped):
    """French puts the sign after the amount, a non-breaking space between;
    English before it, without a space; Dutch before it, with one. Decimals
    and thousands as each language writes them."""
    with translation.override(language):
        assert euros_text(Decimal("18.00")) == eighteen
        assert euros_text(Decimal("1234.5")) == grouped
        assert euros_text(None) == ""


# A plot's price as each page writes it: with "excl. tax" (plot page,
# comparison), per m² (search cards, a park's plots).
PRICES = {
    "fr": ("18\xa0€&nbsp;HT / m²", "18\xa0€/m²"),
    "en": ("€18&nbsp;excl. tax / m²", "€18/m²"),
    "nl": ("€\xa018&nbsp;excl. btw / m²", "€\xa018/m²"),
}


@pytest.mark.parametrize("language", PRICES)
def test_every_page_writes_a_price_as_its_language_does(client, demo, language):
    """Every language wrote "18 € excl. tax / m²", the French way."""
    plot = Plot.objects.on_offer().get(surface_ha=42)  # 18 €/m²
    excl_tax, per_m2 = PRICES[language]
    with translation.override(language):
        pages = {
            "plot": client.get(plot.get_absolute_url()).text,
            "park": client.get(plot.park.get_absolute_url()).text,
            "search": client.get(reverse("sites:search"), {"surface_min": 30}).text,
            "compare": client.get(reverse("sites:compare"), {"p": plot.slug}).text,
        }
    assert excl_tax in pages["plot"]
    assert excl_tax in pages["compare"]
    assert (
        f'<td><span class="measure"><span class="u-metric">{per_m2}</span>'
        in (pages["park"])
    )
    assert per_m2 in next(r for r in results(pages["search"]) if plot.name in r)
    if language != "fr":
        for name, html in pages.items():
            assert not re.search(r"\d(&nbsp;|\s)€", html), name
