"""A request Django refuses before any view (too many fields, a damaged
link): the visitor gets the portal's page, with a line in each other
language; Django's own was "Bad Request (400)" in English, unstyled, with
nowhere to go. It is in the language of the URL's prefix (/en/, /nl/), else
the browser's, else French: Django refuses the request before the portal's
middleware has chosen the language (too many fields are counted while the
early page cache reads the query)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

UNREADABLE = "This address cannot be read"
IN_SHORT = "This address cannot be read: the link may be incomplete or damaged."
LANGUAGES = ["fr", "en", "nl"]
TOO_MANY_FIELDS = "&".join(f"f{n}=1" for n in range(1001))


def said_in(page, language):
    """The page is written in `language`, with a line in each other one, and
    leads to the search in `language`."""
    with translation.override(language):
        heading = translation.gettext(UNREADABLE)
        search = reverse("sites:search")
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert f'href="{search}"' in page
    for other in set(LANGUAGES) - {language}:
        with translation.override(other):
            line = translation.gettext(IN_SHORT)
        assert f'<p lang="{other}">{line}</p>' in page
    return True


def test_a_request_refused_before_any_view_gets_the_portals_page(client):
    response = client.get(f"/fr/recherche/?{TOO_MANY_FIELDS}")
    assert response.status_code == 400
    page = response.content.decode()
    assert said_in(page, "fr")
    assert "Cette adresse ne peut pas être lue" in page
    assert "/static/css/site.css" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_400_page_speaks_the_language_of_the_urls_prefix(client, language):
    response = client.get(
        f"/{language}/recherche/?{TOO_MANY_FIELDS}", HTTP_ACCEPT_LANGUAGE="de, nl"
    )
    assert response.status_code == 400
    assert said_in(response.content.decode(), language)


@pytest.mark.parametrize(
    ("asked", "language"),
    [("nl-BE, fr;q=0.5", "nl"), ("en-GB", "en"), ("fr-CH", "fr"), ("", "fr")],
)
def test_without_a_prefix_the_400_page_speaks_the_browsers_language(
    client, asked, language
):
    """A host the portal does not serve is refused whatever the path."""
    response = client.get(
        "/", HTTP_HOST="elsewhere.example", HTTP_ACCEPT_LANGUAGE=asked
    )
    assert response.status_code == 400
    assert said_in(response.content.decode(), language)
