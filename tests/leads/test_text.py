import pytest

from leads.text import greeting_name, has_control_characters, single_line


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
