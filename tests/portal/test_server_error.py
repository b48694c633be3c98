"""The 500 page in the visitor's language: the URL's prefix (/en/, /nl/), else
the browser's Accept-Language, else French; a line in each other language
says the same, in case the guess is wrong. It reads no database, and no
template that could itself fail (no base.html, no context processor)."""

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

UNAVAILABLE = "The service is briefly unavailable"
IN_SHORT = "The service is briefly unavailable. Please try again in a few minutes."
LANGUAGES = ["fr", "en", "nl"]


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    return Client(raise_request_exception=False)


def said_in(page, language):
    """The page is written in `language`, with a line in each other one."""
    with translation.override(language):
        heading = translation.gettext(UNAVAILABLE)
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    for other in set(LANGUAGES) - {language}:
        with translation.override(other):
            line = translation.gettext(IN_SHORT)
        assert f'<p lang="{other}">{line}</p>' in page
    return True


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_speaks_the_language_of_the_urls_prefix(
    failing, language, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = failing.get(f"/{language}/boom/", HTTP_ACCEPT_LANGUAGE="de, nl")
    assert response.status_code == 500
    assert said_in(response.content.decode(), language)


@pytest.mark.parametrize(
    ("asked", "language"),
    [("nl-BE, fr;q=0.5", "nl"), ("en-GB", "en"), ("fr-CH", "fr"), ("", "fr")],
)
def test_without_a_prefix_the_500_page_speaks_the_browsers_language(
    failing, asked, language
):
    response = failing.get("/boom/", HTTP_ACCEPT_LANGUAGE=asked)
    assert response.status_code == 500
    assert said_in(response.content.decode(), language)


def test_a_language_the_portal_has_not_gets_the_500_page_as_other_pages_do(failing):
    """A German browser: English, as on the portal's pages (core.i18n)."""
    response = failing.get("/boom/", HTTP_ACCEPT_LANGUAGE="de")
    assert said_in(response.content.decode(), "en")
