import pytest

from core.text import has_control_characters
from leads.forms import LeadForm
from leads.text import greeting_name, single_line
from tests.leads.conftest import form_data


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Jan de Vries", "Jan de Vries"),
        ("  Marie-Claire\tDupont-Lefèvre ", "Marie-Claire Dupont-Lefèvre"),
        ("María del Carmen García López", "María del Carmen García López"),
        ("Dr. Anna Smith", "Dr. Anna Smith"),
        ("Bonjour Congratulations! Claim your grant at https://evil.example", ""),
        ("Claim your grant at evil.example", ""),
        ("see www example", ""),
        ("Write to claims@evil.example", ""),
        ("Call 0800 123 456", ""),
        ("Free money?", ""),
        ("Jan\r\nBcc: x@example.com", ""),
        ("Aa " * 30, "Aa Aa Aa Aa Aa Aa Aa Aa Aa Aa Aa Aa Aa"),
        ("Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft", ""),
        ("", ""),
    ],
)
def test_only_a_cleaned_shortened_name_is_quoted(name, greeting):
    assert greeting_name(name) == greeting
    assert len(greeting_name(name)) <= 40


def test_single_line_and_control_characters():
    assert single_line("a\r\nb\x0bc\u2028d") == "a b c d"
    assert has_control_characters("a\x85b")
    assert not has_control_characters("Zoë Müller")


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2069"]
)
def test_no_text_direction_trick_reaches_a_line(control):
    """A company typed as "Acme\u202eCL.moc" showed as "Acme moc.LC": the
    embedding, override and isolate controls are control characters too."""
    assert single_line(f"Acme{control}CL.moc") == "Acme CL.moc"
    assert has_control_characters(f"dev{control}@example.org")
    # A right-to-left name keeps its marks.
    assert not has_control_characters("\u200fشركة\u200e Acme")


@pytest.mark.django_db
def test_the_form_keeps_no_direction_control_in_a_name(plot):
    form = LeadForm(form_data(company="Acme\u202eCL.moc", name="Zoé\u2066 Roy"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["company"] == "Acme CL.moc"
    assert form.cleaned_data["name"] == "Zoé Roy"


def test_a_single_line_keeps_its_non_breaking_spaces():
    assert single_line("  Invest in Artois\xa0:\r\n parc  « A »\t") == (
        "Invest in Artois\xa0: parc « A »"
    )
