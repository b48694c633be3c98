"""Hostile text typed by staff renders inert: on pages, in JSON for scripts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stories.models import InnovationPark, InnovationSite, Sector, SuccessStory
from tests.sites.pages import HOSTILE, assert_hostile_text_escaped, map_data

pytestmark = pytest.mark.django_db
CLOSING = "</script><script>alert(3)</script>"
JAVASCRIPT = "javascript:alert(4)"


def hostile_content():
    text = HOSTILE + CLOSING
    Sector.objects.update(name_fr=text, summary_fr=text, body_fr=text)
    SuccessStory.objects.update(
        title_fr=text, summary_fr=text, figures_fr=text, body_fr=text
    )
    InnovationPark.objects.update(
        name_fr=text,
        summary_fr=text,
        body_fr=text,
        operators_fr=text,
        programme_fr=text,
        source=text,
        website=JAVASCRIPT,
    )
    InnovationSite.objects.update(name=text, venue_fr=text, description_fr=text)


def assert_inert(html):
    assert_hostile_text_escaped(html)
    assert "<script>alert(3)" not in html
    assert 'href="javascript:' not in html.lower()


def test_hostile_text_is_inert_on_every_page(client, content):
    hostile_content()
    for url in (
        reverse("stories:sectors"),
        reverse("stories:sector", args=["vallee-electromobilite"]),
        reverse("stories:stories"),
        reverse("stories:story", args=["acc-gigafactory"]),
        reverse("stories:innovation"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_hostile_text_is_inert_in_the_map_data(client, content):
    hostile_content()
    response = client.get(reverse("stories:innovation"))
    html = response.content.decode()
    # json_script escapes "<": the closing tag cannot end the data early...
    assert html.count("</script>") == html.count("<script")
    # ...and the script gets the text back as it was typed, to set as textContent.
    names = {
        f["properties"]["name"]
        for f in map_data(response, "innovation-map")["features"]
    }
    assert names == {HOSTILE + CLOSING}


@pytest.mark.parametrize(
    "url", [JAVASCRIPT, "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org/"]
)
def test_link_fields_accept_only_http_urls(content, url):
    park = InnovationPark.objects.get()
    park.website = url
    with pytest.raises(ValidationError) as error:
        park.full_clean()
    assert "website" in error.value.message_dict
    park.website = "https://www.example.org/parc"
    park.full_clean()
