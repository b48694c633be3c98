"""The contact form as an investor fills it in, in each language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from leads.forms import LeadForm

pytestmark = pytest.mark.django_db

OPTIONAL = {"fr": "facultatif", "en": "optional", "nl": "optioneel"}


@pytest.mark.parametrize("language", sorted(OPTIONAL))
def test_the_fields_one_may_leave_empty_say_so(client, plot, language):
    """Every field but the phone, the surface and the jobs is needed: those
    three said nothing, so a person could not tell them from the others
    before sending."""
    with translation.override(language):
        html = client.get(plot.get_absolute_url()).content.decode()
    labels = dict(re.findall(r'<label for="id_(\w+)"[^>]*>(.*?)</label>', html, re.S))
    form = LeadForm()
    optional = {name for name, field in form.fields.items() if not field.required}
    shown = {name for name in labels if name not in ("website",)}
    assert {"phone", "surface_needed_m2", "jobs_planned"} <= optional
    for name in shown:
        says = f"({OPTIONAL[language]})" in labels[name]
        assert says == (name in optional), (name, labels[name])


def test_the_phone_brings_up_a_keypad_and_the_country_the_browsers_names(client, plot):
    html = client.get(plot.get_absolute_url()).content.decode()
    assert re.search(r'<input type="tel" name="phone"', html)
    assert re.search(r'name="country"[^>]*autocomplete="country-name"', html)


CHOOSE = {"fr": "Choisir…", "en": "Choose…", "nl": "Kies…"}


@pytest.mark.parametrize("language", sorted(CHOOSE))
def test_a_list_not_chosen_yet_asks_for_a_choice(client, plot, language):
    """The project type and the timeline showed Django's '---------' until
    chosen, on the plot's form and under a search that found nothing: they
    say 'Choose…' in the visitor's language."""
    with translation.override(language):
        pages = [
            plot.get_absolute_url(),
            reverse("leads:contact"),
            reverse("sites:search") + "?surface_min=5000",
        ]
        for path in pages:
            html = client.get(path).content.decode()
            assert "---" not in html, path
            blanks = re.findall(r'<option value="" selected>(.*?)</option>', html)
            assert blanks.count(CHOOSE[language]) >= 2, (path, blanks)
