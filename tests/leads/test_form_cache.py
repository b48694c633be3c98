"""The plot page's contact form is rendered once, then given each visitor's tokens."""

import re

import pytest
from django.test import Client

from leads import antispam
from tests.leads.conftest import form_data

pytestmark = pytest.mark.django_db


def tokens(client, url):
    html = client.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    issued = re.search(r'name="issued" value="([^"]+)"', html).group(1)
    return csrf, issued


def test_each_visitor_gets_fresh_tokens_in_the_cached_form(plot):
    url = plot.get_absolute_url()
    first, second = Client(), Client()
    csrf_1, issued_1 = tokens(first, url)
    csrf_2, issued_2 = tokens(second, url)
    assert "@@" not in csrf_1 + issued_1 + csrf_2 + issued_2
    assert csrf_1 != csrf_2
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    for issued in (issued_1, issued_2):
        # Dated at the next whole second (antispam.page_form_token).
        assert -1 < antispam.form_age(issued) < 60


@pytest.mark.parametrize("now", [1000.0, 1000.2, 1000.999])
def test_a_page_form_never_looks_older_than_it_is(monkeypatch, now):
    # Signed once a second for every visitor: rounded up, never down, or a
    # robot could send it sooner than LEADS_FORM_MIN_SECONDS unflagged.
    monkeypatch.setattr(antispam, "clock", lambda: now)
    token = antispam.page_form_token()
    monkeypatch.setattr(antispam, "clock", lambda: now + 2.5)
    assert 1.5 < antispam.form_age(token) <= 2.5


def test_the_form_from_the_page_is_accepted(plot, contacts, settings):
    settings.LEADS_FORM_MIN_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    csrf, issued = tokens(client, plot.get_absolute_url())
    data = form_data(csrfmiddlewaretoken=csrf, issued=issued)
    response = client.post(f"/fr/contact/terrain/{plot.slug}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_plot_page_is_served_whole_from_the_cache(plot, django_assert_num_queries):
    url = plot.get_absolute_url()
    first = tokens(Client(), url)
    with django_assert_num_queries(0):
        second = tokens(Client(), url)
    assert first[0] != second[0]
