"""The header's navigation: what an investor looks for, from every page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_every_page_leads_to_the_search_the_territory_and_a_contact(
    client, demo, language
):
    """The general contact form was linked from the legal pages only: an
    investor without a plot in mind had no way to write from the header."""
    with translation.override(language):
        wanted = [
            reverse(name)
            for name in (
                "sites:search",
                "stories:sectors",
                "stories:stories",
                "ambassadors:list",
                "leads:contact",
            )
        ]
        pages = [reverse("portal:home"), reverse("sites:search"), wanted[-1]]
    for page in pages:
        html = client.get(page).content.decode()
        nav = re.search(r'<nav [^>]*class="main-nav">(.*?)</nav>', html, re.S).group(1)
        assert re.findall(r'href="([^"]+)"', nav) == wanted, page
    for link in wanted:
        assert client.get(link).status_code == 200, link
