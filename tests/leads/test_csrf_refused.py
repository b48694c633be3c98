"""A form sent without the cookie that protects it (cookies blocked for the
site, or cleared while the page was open) is refused by Django's CSRF check.
The visitor reads why, and what to do, on a page of the portal in their
language; Django's own page was unstyled, said lang="en" over a translated
text, had no way back, and spoke of a DEBUG setting."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

EXPLAINED = "Your browser did not send back the cookie that protects this form."


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_a_form_refused_for_its_missing_cookie_says_so_in_the_page_language(
    language,
):
    client = Client(enforce_csrf_checks=True)
    with translation.override(language):
        contact = reverse("leads:contact")
        explained = translation.gettext(EXPLAINED)
        back = translation.gettext("Find land")
    response = client.post(contact, {"name": "Maria", "email": "maria@example.com"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert explained in page
    assert back in page  # the portal's own header and navigation
    assert 'class="skip-link"' in page
    assert "DEBUG" not in page
    if language != "en":
        assert explained != EXPLAINED
