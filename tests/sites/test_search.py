import json
import re

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from sites.models import Plot
from sites.search import WIDEN_BELOW
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db
URL = reverse("sites:search")


def names(response):
    return [plot.name for plot in response.context["page"]]


def test_search_for_large_plots_with_a_rail_siding(client, demo):
    response = client.get(URL, {"surface_min": 10, "rail": "on"})
    assert response.status_code == 200
    expected = Plot.objects.on_offer().filter(
        surface_ha__gte=10, park__has_rail_siding=True
    )
    assert sorted(names(response)) == sorted(expected.values_list("name", flat=True))
    assert len(names(response)) >= 5
    assert all(
        plot.surface_ha >= 10 and plot.park.has_rail_siding
        for plot in response.context["page"]
    )


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"surface_max": 5}, lambda p: p.surface_ha <= 5),
        ({"organisation": "siziaf"}, lambda p: p.park.organisation.slug == "siziaf"),
        ({"commune": "62274"}, lambda p: p.commune.name == "Dourges"),
        ({"ready_to_build": "true"}, lambda p: p.ready_to_build),
        ({"canal": "on"}, lambda p: p.park.has_canal_quay),
        ({"icpe": "on"}, lambda p: p.icpe_allowed),
        ({"motorway_max_km": 2}, lambda p: p.park.motorway_km <= 2),
        (
            {"power_min_mva": 12},
            lambda p: (
                p.park.power_capacity_mva is None or p.park.power_capacity_mva >= 12
            ),
        ),
        ({"vocation": "tertiary"}, lambda p: p.park.vocation_tertiary),
        ({"price_max": 20}, lambda p: p.price_on_request or p.price_per_m2 <= 20),
    ],
)
def test_each_filter(client, demo, params, check):
    response = client.get(URL, params)
    assert response.status_code == 200
    plots = list(response.context["page"])
    assert plots, params
    assert all(check(plot) for plot in plots)
    assert len(plots) < Plot.objects.count()


def test_park_filter(client, demo):
    park = Plot.objects.get(surface_ha=42).park
    response = client.get(URL, {"park": park.slug})
    assert set(names(response)) == set(
        park.plots.on_offer().values_list("name", flat=True)
    )


def test_bbox_keeps_what_is_in_the_map_view(client, demo):
    delta3 = Plot.objects.get(surface_ha=32).park
    box = delta3.perimeter.transform(4326, clone=True).extent
    # In WGS84, as Leaflet's toBBoxString() gives it.
    response = client.get(URL, {"bbox": ",".join(map(str, box))})
    found = set(names(response))
    view = Polygon.from_bbox(box)
    view.srid = 4326
    expected = {
        plot.name
        for plot in Plot.objects.all()
        if plot.geom.transform(4326, clone=True).intersects(view)
    }
    assert found == expected
    assert set(delta3.plots.values_list("name", flat=True)) <= found
    assert len(found) < Plot.objects.count()


def test_sorting_by_surface(client, demo):
    largest_first = names(client.get(URL, {"sort": "-surface"}))
    surfaces = list(
        Plot.objects.filter(name__in=largest_first).values_list("name", "surface_ha")
    )
    by_name = dict(surfaces)
    assert [by_name[n] for n in largest_first] == sorted(by_name.values(), reverse=True)


@pytest.mark.parametrize("sort", [",", ",,"])
def test_a_sort_of_empty_names_is_the_default_order(client, demo, sort):
    response = client.get(URL, {"sort": sort, "surface_min": 1})
    assert response.status_code == 200
    assert names(response) == names(client.get(URL, {"surface_min": 1}))


def test_unpublished_plots_are_never_found(client, demo):
    Plot.objects.filter(surface_ha=42).update(is_published=False)
    assert "Parc des Industries Artois-Flandres, lot 1" not in names(client.get(URL))


def test_pagination_keeps_the_filters(client):
    park = BusinessParkFactory()
    PlotFactory.create_batch(25, park=park, commune=park.commune)
    response = client.get(URL, {"surface_min": "0.5", "page": 2})
    assert response.context["page"].number == 2
    html = response.content.decode()
    assert "page=1&amp;surface_min=0.5" in html  # (parameters in name order)


@pytest.mark.parametrize(
    "params",
    [
        {"surface_min": "nan"},
        {"surface_min": "inf"},
        {"surface_min": "-3"},
        {"surface_max": "1e400"},
        {"surface_min": "9" * 40},
        {"organisation": "mordor"},
        {"commune": "' OR 1=1 --"},
        {"park": "x" * 10_000},
        {"bbox": "3,50,2,51"},
        {"bbox": "2,50,3"},
        {"bbox": "200,50,201,51"},
        {"rail": "maybe"},
        {"sort": "password"},
        {"vocation": "mining"},
    ],
)
def test_bad_input_shows_the_form_with_its_error(client, demo, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    field = next(iter(params))
    assert field in response.context["search"].errors
    assert 'class="error"' in response.content.decode()


def test_a_repeated_parameter_is_an_error(client):
    response = client.get(f"{URL}?surface_min=1&surface_min=2")
    assert response.status_code == 400
    assert "surface_min" in response.context["search"].errors


def test_query_count_does_not_grow_with_the_results(client):
    park = BusinessParkFactory()
    # Enough for a page without the wider searches a tiny result gets.
    PlotFactory.create_batch(WIDEN_BELOW, park=park, commune=park.commune)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"surface_min": "0.1"})
    # Saving plots replaces the listings version: the cached page is not served.
    PlotFactory.create_batch(50 - WIDEN_BELOW, park=park, commune=park.commune)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(URL, {"surface_min": "0.1"})
    assert response.context["page"].paginator.count == 50
    # Built for the first time: the filters' three lists of choices, the
    # footer's partners, the count, the page's ids and its plots (for cards
    # not kept yet: tests/sites/test_result_cards.py).
    assert len(fifty) == len(few) <= 7


def test_list_shows_price_on_request(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    plot.price_per_m2 = None
    plot.save()
    other = Plot.objects.get(surface_ha=35)  # priced, same filter
    response = client.get(URL, {"surface_min": 30})
    items = re.findall(r'<li class="result".*?</li>', response.content.decode(), re.S)
    rows = {
        name: item for item in items for name in (plot.name, other.name)
        if escape(name) in item
    }  # fmt: skip
    assert "prix sur demande" in rows[plot.name]
    assert "prix sur demande" not in rows[other.name]


def test_the_filter_selects_escape_names_and_keep_the_choice(client):
    park = BusinessParkFactory(name='<b>"Parc" & Cie</b>', is_published=True)
    commune = park.commune
    html = client.get(URL, {"park": park.slug, "commune": commune.insee}).text
    assert (
        f'<option value="{park.slug}" selected>'
        "&lt;b&gt;&quot;Parc&quot; &amp; Cie&lt;/b&gt;</option>"
    ) in html
    assert f'<option value="{commune.insee}" selected>{commune.name}</option>' in html
    assert '<select name="commune" id="id_commune">' in html
    assert html.count(" selected>") == html.count("<select ")  # one choice each


def test_sold_plots_are_not_offered(client, demo):
    sold = Plot.objects.filter(marketing_stage=Plot.MarketingStage.SOLD)
    assert sold.exists()
    page = client.get(URL).context["page"]
    assert page.paginator.count == Plot.objects.on_offer().count()
    listed = {plot.pk for plot in page.paginator.object_list}
    assert not listed & set(sold.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "fr",
            [
                "terrains sur la carte",
                "Nos ambassadeurs\xa0: ils sont déjà installés ici",
            ],
        ),
        ("en", ["plots on the map", "Our ambassadors: who is already here"]),
        ("nl", ["kavels op de kaart", "Onze ambassadeurs: wie hier al gevestigd is"]),
    ],
)
def test_the_map_script_speaks_the_page_language(client, language, words):
    html = client.get(reverse("sites:search").replace("/fr/", f"/{language}/", 1))
    data = re.search(
        r'<script id="search-map-text" type="application/json">(.*?)</script>',
        html.content.decode(),
    )
    text = json.loads(data[1])
    # Each plural form, for the script to pick by the language's rules.
    shown = text.pop("shown")
    assert shown["other"].replace("%(count)s", "3").startswith("3 ")
    assert shown["one"].replace("%(count)s", "1").startswith("1 ")
    assert shown["one"] != shown["other"]
    cluster = text.pop("cluster")  # "1 plot, 5 ha" / "3 plots, 9 ha"
    assert (
        cluster["one"].startswith("%(plots)s ") and cluster["one"] != cluster["other"]
    )
    assert text["failed"] and text["stages"]["available"]
    for word in [*words[1:], words[0]]:
        assert any(word in value for value in [*text.values(), shown["other"]]), word


def test_each_search_has_filters_of_its_own(demo):
    from sites.filters import PlotFilter
    from sites.search import plot_search

    one = plot_search(params={"price_max": "10", "exclude_on_request": "on"})
    two = plot_search(params={"price_max": "10"})
    assert one.is_valid() and two.is_valid()
    for name in PlotFilter.base_filters:
        assert one.filters[name] is not two.filters[name]
        assert one.filters[name].parent is one and two.filters[name].parent is two
        assert one.filters[name] is not PlotFilter.base_filters[name]
    # Each reads its own form (the "on request" choice), built from one class.
    assert type(one.form) is type(two.form)
    for name, field in one.form.fields.items():
        other = two.form.fields[name]
        assert field is not other and field.widget is not other.widget
        assert field.widget.attrs is not other.widget.attrs
        assert field.validators is not other.validators
    assert one.qs.count() < two.qs.count()
    assert set(one.qs) == set(two.qs.filter(price_per_m2__isnull=False))


def test_each_search_reads_the_plots_anew(client, settings):
    """The plots on offer's queryset is built once per process (sites.search):
    each search runs a copy, so none shows what an earlier one read."""
    from sites.search import _plots_on_offer

    settings.LISTINGS_PAGE_CACHE = False
    assert "Terrain tout neuf" not in names(client.get(URL))
    plot = PlotFactory(name="Terrain tout neuf")
    assert names(client.get(URL))[0] == plot.name  # the latest first
    assert plot.name in names(client.get(URL.replace("/fr/", "/en/", 1)))
    assert _plots_on_offer()._result_cache is None


def test_the_page_s_regions_have_names_of_their_own(client, demo):
    """A screen reader lists the page's regions by name: the map's section and
    the map itself were both "Map of the results"."""
    html = client.get(URL).content.decode()
    labels = re.findall(r'aria-label="([^"]+)"', html)
    headings = [
        re.search(rf'id="{name}"[^>]*>([^<]+)<', html).group(1)
        for name in re.findall(r'aria-labelledby="([^"]+)"', html)
    ]
    named = labels + headings
    assert "Carte des résultats" in named
    assert len(named) == len(set(named)), named
