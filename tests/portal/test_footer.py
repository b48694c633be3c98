"""Every page's footer: the partners' pages and sites, and the legal pages."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from sites.models import BusinessPark, Organisation, Plot
from tests.sites.pages import HOSTILE, assert_hostile_text_escaped

pytestmark = pytest.mark.django_db
PARTNERS = ["cabbalr", "call", "cahc", "siziaf"]


def pages():
    plot = Plot.objects.filter(is_published=True).first()
    park = BusinessPark.objects.filter(is_published=True).first()
    return [
        reverse("portal:home"),
        reverse("sites:search"),
        plot.get_absolute_url(),
        park.get_absolute_url(),
        reverse("sites:organisation", args=["call"]),
        reverse("exchange:opendata"),
        reverse("leads:contact"),
        reverse("leads:privacy"),
        reverse("ambassadors:list"),
        reverse("ambassadors:detail", args=["demo-startuper"]),
        reverse("stories:sectors"),
        reverse("stories:stories"),
        reverse("stories:innovation"),
        reverse("legal:notice"),
        reverse("legal:accessibility"),
    ]


def footer(html):
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_every_page_links_to_the_partners_and_the_legal_pages(
    client, content, language
):
    partners = Organisation.objects.filter(slug__in=PARTNERS)
    assert all(organisation.website for organisation in partners)
    with translation.override(language):
        for url in pages():
            response = client.get(url)
            assert response.status_code == 200, url
            links = footer(response.content.decode())
            for organisation in partners:
                page = reverse("sites:organisation", args=[organisation.slug])
                assert f'href="{page}"' in links, (url, organisation)
                assert f'href="{organisation.website}" rel="noopener"' in links
            for legal in ("legal:notice", "leads:privacy", "legal:accessibility"):
                assert f'href="{reverse(legal)}"' in links, (url, legal)
            assert 'href="/fr/' not in links or language == "fr"


def test_the_footer_costs_one_query(db, django_assert_num_queries):
    template = Template("{% load portal %}{% portal_links %}")
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert html.count('rel="noopener"') == len(PARTNERS)


def test_hostile_organisation_text_is_inert_in_the_footer(client, db):
    Organisation.objects.filter(slug="call").update(
        name=HOSTILE, short_name=HOSTILE[:30], website="javascript:alert(1)"
    )
    html = footer(client.get(reverse("legal:notice")).content.decode())
    assert_hostile_text_escaped(html)
    assert "javascript:" not in html


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_legal_pages_say_what_the_law_asks(client, db, language):
    with translation.override(language):
        notice = client.get(reverse("legal:notice")).content.decode()
        statement = client.get(reverse("legal:accessibility")).content.decode()
    for text in ("Alain Bavay", "30/32 rue Casimir Beugnet", "62300 Lens"):
        assert text in notice
    assert 'class="to-complete"' in notice  # the host, before going live
    assert "https://www.openstreetmap.org/copyright" in notice
    assert "Licence Ouverte 2.0" in notice
    assert "RGAA" in statement and "4.1" in statement
    assert "Défenseur des droits" in statement
    # No audit yet: the wording the law requires is "not compliant".
    assert {"fr": "non conforme", "en": "not compliant"}.get(
        language, "niet conform"
    ) in statement
