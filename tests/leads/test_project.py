"""'Describe your project' under a search that found too few plots: a general
lead for the PMA's developers, through the same checks and delivery."""

import re
import time

import pytest
from django.urls import reverse

from leads.antispam import form_token
from leads.models import Lead
from tests.leads.conftest import form_data

pytestmark = pytest.mark.django_db
SEARCH = reverse("sites:search")
PROJECT = reverse("leads:project")


def test_a_tiny_search_shows_the_project_form_with_its_surface(client, demo):
    html = client.get(SEARCH, {"surface_min": 100, "rail": "on"}).text
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', html, re.S)
    assert form.group(1) == PROJECT
    assert 'name="surface_needed_m2" value="1000000"' in form.group()
    assert 'name="search" value="surface_min=100&amp;rail=on"' in form.group()
    # The visitor's own tokens, not the cached page's stand-ins.
    assert "@@" not in html
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{32,}"', form.group())
    # The project first, then whom to answer.
    names = re.findall(r'name="(\w+)"', form.group())
    assert names.index("surface_needed_m2") < names.index("timeline")
    assert names.index("message") < names.index("email")


def test_a_search_with_enough_results_has_no_project_form(client, demo):
    assert 'action="' + PROJECT not in client.get(SEARCH).text


def test_the_project_reaches_the_pma_with_its_search(smtp, contacts, submit):
    response = submit(
        PROJECT, search="surface_min=100&rail=on&page=2&unknown=<b>", language="en"
    )

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.organisation.is_metropolitan
    assert (lead.plot, lead.park) == (None, None)
    assert lead.recipients == ["eco@pole-artois.fr"]
    assert lead.search == "surface_min=100&rail=on"
    assert lead.delivery_status == Lead.Delivery.SENT
    [(subject, body)] = smtp.text("eco@pole-artois.fr")
    assert "Vries Logistics BV" in subject
    # The developers' language (French), the investor's being theirs only.
    assert "/fr/recherche/?surface_min=100&rail=on" in body
    assert "We look for 5 ha near the A1" in body
    [acknowledgement] = smtp.to("jan@vries-logistics.nl")
    assert len(smtp.messages) == 2


def test_a_search_that_is_not_one_is_left_out_not_refused(smtp, contacts, submit):
    response = submit(PROJECT, search="surface_min=-3")
    assert response.status_code == 302
    assert Lead.objects.get().search == ""


def test_the_project_form_goes_through_the_spam_checks(smtp, contacts, submit):
    submit(PROJECT, website="http://spam.example")  # the honeypot
    assert Lead.objects.get().delivery_status == Lead.Delivery.HELD
    assert smtp.messages == []


def test_an_old_project_form_is_sent_back_with_its_search(client, contacts):
    data = form_data(search="surface_min=100")
    data["issued"] = form_token(issued_at=time.time() - 2 * 86400)
    response = client.post(PROJECT, data)
    assert response.status_code == 200
    assert not Lead.objects.exists()
    assert 'name="search" value="surface_min=100"' in response.text


def test_errors_keep_the_answers(client, contacts):
    response = client.post(PROJECT, form_data(email="not an address"))
    assert response.status_code == 400
    assert not Lead.objects.exists()
    assert "We look for 5 ha near the A1" in response.text


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Describe your project"), ("nl", "Beschrijf uw project")],
)
def test_the_project_form_speaks_the_page_language(client, demo, language, words):
    from django.utils import translation

    with translation.override(language):
        url = reverse("sites:search")
    assert words in client.get(url, {"surface_min": 100}).text
