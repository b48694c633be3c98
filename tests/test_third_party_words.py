"""The words the admin's packages bring (Django's admin and auth, django-leaflet's
drawing tools, django-simple-history, django-axes) in Dutch for Dutch staff.

A word a package has in French but not in Dutch is not shown in English to
Dutch staff: Django falls back to the portal's default language, French. The
portal's own catalogue fills those gaps (core/third_party_words.py)."""

import gettext
from pathlib import Path

import axes
import django
import leaflet
import pytest
import simple_history
from django.utils import translation

PACKAGES = {
    "django": Path(django.__file__).parent,
    "leaflet": Path(leaflet.__file__).parent,
    "simple_history": Path(simple_history.__file__).parent,
    "axes": Path(axes.__file__).parent,
}
# Django's own packages the portal does not use or shows no staff.
NOT_SHOWN = ("humanize", "postgres", "flatpages", "redirects", "sites", "admindocs")


def french_words(root):
    """(context, msgid, plural, French) of each word a package translates into
    French (a plural by its singular)."""
    for mo in root.glob("**/locale/fr/LC_MESSAGES/django.mo"):
        if any(part in NOT_SHOWN for part in mo.parts):
            continue
        with mo.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog
        for key, french in catalogue.items():
            plural = isinstance(key, tuple)
            if plural:
                if key[1] != 0:  # its singular stands for it
                    continue
                key = key[0]
            context, _, msgid = key.rpartition("\x04")
            if msgid and french != msgid:
                yield context, msgid, plural, french


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_french_word_of_a_package_is_shown_to_dutch_staff(package):
    french = []
    with translation.override("nl"):
        for context, msgid, plural, in_french in french_words(PACKAGES[package]):
            if plural:
                dutch = translation.ngettext(msgid, msgid, 1)
            elif context:
                dutch = translation.pgettext(context, msgid)
            else:
                dutch = translation.gettext(msgid)
            if dutch == in_french:
                french.append(msgid)
    assert french == []
