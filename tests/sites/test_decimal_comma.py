"""Figures typed with a decimal comma, as French, Belgian and Dutch visitors
write them."""

import re

import pytest
from django.urls import reverse

from sites.models import Plot
from sites.search import plot_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["2,5", "2.5", " 2,5 "])
def test_a_bound_typed_with_a_comma_is_the_same_search(demo, typed):
    """A number input dropped the comma in most browsers ("2,5" became 25,
    silently), and the server refused "2,5" in an address."""
    search = plot_search(params={"surface_min": typed, "price_max": "30,5"})
    assert search.is_valid(), search.errors
    assert str(search.form.cleaned_data["surface_min"]) == "2.5"
    assert str(search.form.cleaned_data["price_max"]) == "30.5"
    expected = plot_search(params={"surface_min": "2.5", "price_max": "30.5"}).qs
    assert list(search.qs) == list(expected)


@pytest.mark.parametrize("typed", ["1.250,5", "2,5,1", "deux"])
def test_a_figure_read_two_ways_stays_an_error(demo, typed):
    assert not plot_search(params={"surface_min": typed}).is_valid()


def test_the_forms_ask_for_a_figure_with_the_decimal_keypad(client, demo):
    for url in (reverse("sites:search"), reverse("portal:home")):
        html = client.get(url).content.decode()
        inputs = re.findall(r'<input[^>]*name="surface_min"[^>]*>', html)
        assert inputs, url
        for tag in inputs:
            assert 'type="text"' in tag and 'inputmode="decimal"' in tag, tag


def test_the_search_page_and_api_take_a_comma(client, demo):
    response = client.get(reverse("sites:search"), {"surface_min": "2,5"})
    assert response.status_code == 200
    found = Plot.objects.on_offer().filter(surface_ha__gte="2.495").count()
    assert found and f"{found} terrains" in response.content.decode().replace(
        "\xa0", " "
    )
    api = client.get(reverse("api-plots"), {"surface_min": "2,5"})
    assert api.status_code == 200
