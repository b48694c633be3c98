"""The search page's parts that are the same for every search (its map, the
map's data and scripts) are shared fragments: per language and units, read
with the page's other fragments in one cache round trip."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.units import UNITS_COOKIE
from sites.models import Plot
from sites.search import WIDEN_BELOW

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Every request builds its page from its fragments."""
    settings.LISTINGS_PAGE_CACHE = False


def map_options(html):
    found = re.search(
        r'<script id="search-map-options" type="application/json">(.*?)</script>',
        html,
    )
    return json.loads(found[1])


def test_each_language_has_its_own(client, demo):
    french = client.get(URL).text
    assert "Dessiner une zone de recherche" in french
    english = client.get(URL.replace("/fr/", "/en/", 1)).text
    assert "Draw a search area" in english
    assert "Dessiner une zone de recherche" not in english
    dutch = client.get(URL.replace("/fr/", "/nl/", 1)).text
    assert "Een zoekgebied tekenen" in dutch
    assert '"/nl/' in re.search(r'id="search-plot-url"[^>]*>(.*?)<', dutch)[1]


def test_each_units_has_its_own_map(client, demo):
    assert map_options(client.get(URL).text)["scale"] == "metric"
    client.cookies[UNITS_COOKIE] = "imperial"
    assert map_options(client.get(URL).text)["scale"] == "imperial"
    client.cookies[UNITS_COOKIE] = "metric"
    assert map_options(client.get(URL).text)["scale"] == "metric"


def test_a_built_search_reads_its_fragments_together(client, demo, monkeypatch):
    first = client.get(URL, {"surface_min": 10}).content
    backend = cache._connections[cache._alias]  # the real backend behind the proxy
    reads = []
    original = backend.get_many

    def get_many(keys, *args, **kwargs):
        fragments = [key.split(":fragment:")[1] for key in keys if ":fragment:" in key]
        reads.append({name.split(":")[0] for name in fragments})
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)
    assert client.get(URL, {"surface_min": 10}).content == first
    # The page's own fragments and its result cards in one round trip; those
    # without values (header, footer, search-head...) are held in memory.
    assert reads == [{"search-form", "search-map", "search-result"}]


@pytest.mark.parametrize("query", [{}, {"sort": "-surface"}, {"page": 2}])
def test_a_search_without_a_filter_reads_its_count_with_its_fragments(
    client, demo, small_pages, monkeypatch, query
):
    first = client.get(URL, query)
    backend = cache._connections[cache._alias]  # the real backend behind the proxy
    reads = []
    original = backend.get_many

    def get_many(keys, *args, **kwargs):
        keys = list(keys)
        reads.append([key.split(":")[-1] for key in keys if "key_figures" in key])
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)
    again = client.get(URL, query)
    assert again.content == first.content
    # The count (a key figure) with the page's fragments, in one round trip.
    assert reads == [["key_figures"]]
    paginator = again.context["page"].paginator
    assert paginator.count == Plot.objects.on_offer().count()
    assert again.context["page"].number == int(query.get("page", 1))


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("sites.search.PAGE_SIZE", WIDEN_BELOW)


@pytest.mark.parametrize("asked", ["999", "0", "-1", "x", "1.5", "beyond"])
def test_a_page_not_listed_is_the_last_or_the_first(client, demo, small_pages, asked):
    last = client.get(URL).context["page"].paginator.num_pages
    assert 2 < last < 50
    if asked == "beyond":  # a page the pages could list, past the plots
        asked = str(last + 1)
    page = client.get(URL, {"page": asked}).context["page"]
    served = 1 if asked in ("x", "1.5") else last
    assert page.number == served
    assert [plot.pk for plot in page] == [
        plot.pk for plot in client.get(URL, {"page": served}).context["page"]
    ]


def form_html(response):
    return re.search(r'<form method="get".*?</form>', response.text, re.S)[0]


@pytest.fixture
def field_writes(monkeypatch):
    """The search fields kept, by name, at each write to the cache."""
    backend = cache._connections[cache._alias]  # the real backend behind the proxy
    writes = []
    original = backend.set_many

    def set_many(values, *args, **kwargs):
        kept = [key for key in values if ":fragment:search-field:" in key]
        if kept:
            writes.append(len(kept))
        return original(values, *args, **kwargs)

    monkeypatch.setattr(backend, "set_many", set_many)
    return writes


def test_a_new_search_renders_only_the_fields_it_sets(client, demo, field_writes):
    from tests.conftest import cache_clear

    client.get(URL)
    assert field_writes == [len(form_fields())]  # every field, empty
    searched = {"surface_min": "5", "rail": "on"}
    built = form_html(client.get(URL, searched))
    assert field_writes[1:] == [2]  # those two; the others were kept
    assert 'name="surface_min" value="5"' in built
    assert re.search(r'name="rail"[^>]* checked', built)
    cache_clear()
    assert form_html(client.get(URL, searched)) == built  # as if built whole


def form_fields():
    from sites.search import plot_search

    return list(plot_search(params={}).form.fields)


def test_a_fields_choices_follow_an_edit(client, demo):
    from tests.factories import BusinessParkFactory

    client.get(URL, {"surface_min": "1"})
    park = BusinessParkFactory(name="Parc tout neuf", is_published=True)
    html = form_html(client.get(URL, {"surface_min": "2"}))
    assert f'<option value="{park.slug}">Parc tout neuf</option>' in html


def test_each_language_has_its_fields(client, demo):
    assert "Surface minimale (ha)" in form_html(client.get(URL))
    dutch = form_html(client.get(URL.replace("/fr/", "/nl/", 1), {"rail": "on"}))
    assert "Minimale oppervlakte (ha)" in dutch
    assert "Surface minimale" not in dutch


def test_a_form_with_errors_is_not_kept(client, demo, field_writes):
    response = client.get(URL, {"surface_min": "beaucoup"})
    assert response.status_code == 400
    assert 'class="field field-error"' in form_html(response)
    assert field_writes == []
