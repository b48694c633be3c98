"""The portal's own translation catalogues, as compiled and shipped."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def translations(language):
    """(msgid, translation) of each entry of the language's compiled catalogue."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    for key, text in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and text:
            yield msgid, text


def said_twice(text):
    half = len(text) // 2
    return len(text) % 2 == 0 and half > 3 and text[:half] == text[half:]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_no_translation_says_its_text_twice(language):
    """Merging two branches' additions to a catalogue once kept both sides of
    an entry: the plot page's labour-pool note read twice in a row in
    English."""
    assert [msgid for msgid, text in translations(language) if said_twice(text)] == []
