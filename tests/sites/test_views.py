import csv
import gzip
import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import translation

from sites.models import BusinessPark, Commune, Plot
from sites.territory import DATA_FILE
from tests.portal.sitemaps import sitemap_text
from tests.sites.pages import text

pytestmark = pytest.mark.django_db


def test_home_shows_key_figures_computed_from_the_data(client, demo):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    available = Plot.objects.published().available()
    territory = Commune.objects.in_territory()
    assert response.context["figures"] == {
        "available_ha": available.total_surface_ha(),
        "available_plots": available.count(),
        "plots_on_offer": Plot.objects.on_offer().count(),
        "parks": BusinessPark.objects.filter(is_published=True).count(),
        "communes": territory.count(),
        "inhabitants": sum(territory.values_list("population", flat=True)),
        "population_year": 2023,
    }
    html = response.content.decode()
    # The report's 317 ha, the demo's sum, shown as the page prints it.
    assert "317&nbsp;ha" in html
    inhabitants = response.context["figures"]["inhabitants"]
    assert f"<strong>{intcomma(inhabitants)}</strong>" in html
    assert "https://www.agglo-lenslievin.fr/" in html


def data_file_population():
    """The three agglomerations' inhabitants and census years, read from the
    committed file without the portal's import code."""
    agglomerations = {"200072460", "246200364", "246200299"}
    csv.field_size_limit(2**31 - 1)
    with gzip.open(DATA_FILE, "rt", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["epci_siren"] in agglomerations]
    years = {r["population_year"] for r in rows}
    return len(rows), sum(int(r["population"]) for r in rows), years


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", "642 834 habitants (population légale 2023, Insee)"),
        ("en", "642,834 inhabitants (INSEE legal population 2023)"),
        ("nl", "642.834 inwoners (officieel inwonertal 2023, INSEE)"),
    ],
)
def test_population_shown_is_the_data_files_with_its_year(client, language, shown):
    assert data_file_population() == (150, 642_834, {"2023"})
    with translation.override(language):
        html = text(client.get(reverse("portal:home")))
    flat = re.sub(r"<[^>]+>", "", html)
    assert shown in flat


def test_home_figures_follow_the_data(client, demo):
    Plot.objects.filter(surface_ha=42).update(marketing_stage="sold")
    response = client.get(reverse("portal:home"))
    assert response.context["figures"]["available_ha"] == 317 - 42


def test_urls_carry_the_language(client):
    assert reverse("portal:home") == "/fr/"
    with translation.override("nl"):
        assert reverse("portal:home") == "/nl/"
    assert client.get("/").status_code == 302


def test_plot_page(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    response = client.get(plot.get_absolute_url())
    assert response.status_code == 200
    assert plot.name.replace("'", "&#x27;") in response.content.decode()


def test_unpublished_plot_is_not_found(client, demo):
    plot = Plot.objects.first()
    plot.is_published = False
    plot.save()
    assert client.get(plot.get_absolute_url()).status_code == 404


def test_park_page_lists_its_published_plots(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    response = client.get(plot.park.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["plots"]) == list(plot.park.plots.published())


def test_content_is_escaped(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    plot.description = "<script>alert(1)</script>"
    plot.save()
    html = client.get(plot.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_language_links_and_hreflang_keep_the_page_and_its_query(
    client, demo, site_url
):
    plot = Plot.objects.get(surface_ha=42)
    response = client.get(reverse("sites:search") + "?surface_min=10&rail=on")
    html = response.content.decode()
    for code in ("fr", "en", "nl"):
        assert (
            f'<link rel="alternate" hreflang="{code}" '
            f'href="{site_url}/{code}/recherche/?rail=on&amp;surface_min=10">'
        ) in html  # (the page cache's order: by name)
        assert f'href="/{code}/recherche/?rail=on&amp;surface_min=10"' in html
    # x-default: the version for browsers asking for none of ours.
    assert f'hreflang="x-default" href="{site_url}/en/recherche/' in html
    english = client.get(plot.get_absolute_url().replace("/fr/", "/en/", 1))
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()


def test_content_in_the_visitors_language_with_french_fallback(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    with translation.override("en"):
        english = client.get(plot.get_absolute_url()).content.decode()
    assert "Demo plot: the data are fictitious." in english
    park = plot.park
    with translation.override("fr"):
        park.description = "Parc desservi par le rail."
        park.description_nl = ""  # not translated yet
        park.save()
    with translation.override("nl"):
        dutch = client.get(park.get_absolute_url()).content.decode()
    assert '<html lang="nl">' in dutch
    assert '<div class="prose" lang="fr"><p>Parc desservi par le rail.</p>' in dutch


def test_plots_of_an_unpublished_park_are_not_public(client, demo):
    plot = Plot.objects.get(surface_ha=42)
    park = plot.park
    park.is_published = False
    park.save()
    assert client.get(plot.get_absolute_url()).status_code == 404
    assert not Plot.objects.on_offer().filter(park=park).exists()
    search = client.get(reverse("sites:search")).context["page"].paginator
    assert not [p for p in search.object_list if p.park_id == park.pk]
    assert plot.slug not in client.get(reverse("api-plots")).content.decode()
    assert plot.slug not in sitemap_text(client)
    figures = client.get(reverse("portal:home")).context["figures"]
    assert (
        figures["available_ha"]
        == Plot.objects.published().available().total_surface_ha()
    )
    assert figures["available_ha"] < 317
