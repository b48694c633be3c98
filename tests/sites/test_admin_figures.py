"""The admin writes surfaces as the public pages do: to the hundredth, grouped
as the staff member's language writes numbers. It wrote the four stored
decimals of a plot ("1234,5678" where the page says "1 234,57 ha"). What is
stored keeps its four decimals."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from sites.models import BusinessPark, Plot
from tests.factories import BusinessParkFactory, PlotFactory

pytestmark = pytest.mark.django_db
NBSP = "\xa0"  # French groups thousands with a no-break space
WRITTEN = {"fr": f"1{NBSP}234,57", "en": "1,234.57", "nl": "1.234,57"}


def page(client, url, language="fr"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    # Runs of spaces and line breaks as one space; the no-break spaces kept.
    return re.sub(r"[ \t\r\n]+", " ", strip_tags(response.content.decode()))


@pytest.fixture
def plot():
    plot = PlotFactory(cadastral_surface_ha=Decimal("1234.5678"))
    assert plot.surface_ha == Decimal("1234.5678")
    return plot


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_the_plot_list_writes_a_surface_as_the_plot_page_does(
    staff_client, plot, language
):
    listed = page(staff_client, reverse("admin:sites_plot_changelist"), language)
    public = page(staff_client, plot.get_absolute_url(), language)

    assert WRITTEN[language] in listed and WRITTEN[language] in public
    assert "1234,5678" not in listed and "1234.5678" not in listed


def test_the_plot_form_writes_its_read_only_surfaces_to_the_hundredth(
    staff_client, plot
):
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = page(staff_client, url)

    assert f"Surface (ha){NBSP}: {WRITTEN['fr']}" in form
    computed = Plot.objects.get(pk=plot.pk).computed_surface_ha
    assert computed.as_tuple().exponent == -4  # stored to the ten-thousandth
    assert str(computed).replace(".", ",") not in form
    # The declared surface is typed: its field keeps every decimal written.
    html = staff_client.get(url).content.decode()
    assert re.search(r'name="cadastral_surface_ha" value="1234[,.]5678"', html)


def test_the_park_list_its_form_and_its_plots_write_surfaces_grouped(staff_client):
    park = BusinessParkFactory()
    BusinessPark.objects.filter(pk=park.pk).update(surface_gross_ha=Decimal("2500.5"))
    PlotFactory(park=park, cadastral_surface_ha=Decimal("1234.5678"))

    listed = page(staff_client, reverse("admin:sites_businesspark_changelist"))
    form = page(
        staff_client, reverse("admin:sites_businesspark_change", args=[park.pk])
    )

    assert f"2{NBSP}500,50" in listed
    assert f"2{NBSP}500,50" in form and "Mesurée d’après le périmètre." in form
    assert WRITTEN["fr"] in form and "1234,5678" not in form


def test_the_list_still_sorts_plots_by_surface(staff_client):
    large = PlotFactory(cadastral_surface_ha=Decimal("12"))
    small = PlotFactory(cadastral_surface_ha=Decimal("0.5"))  # the newer
    url = reverse("admin:sites_plot_changelist")
    columns = staff_client.get(url).context["cl"].list_display
    column = columns.index("surface_shown")

    for order, first in ((f"{column}", small), (f"-{column}", large)):
        listed = list(staff_client.get(url, {"o": order}).context["cl"].result_list)
        assert listed[0] == first, order
