"""Text typed by people, checked before it is shown to others."""

import re

# Every control character (C0 with CR, LF, tab, NUL; DEL; C1 with NEL) and the
# Unicode line and paragraph separators: in a single-line value they can only
# be an attempt at a mail header, never text. And the bidirectional embedding,
# override and isolate controls, which show a name or a subject in another
# order than it reads ("\u202eelif.exe" shows as "exe.file"); the marks a
# right-to-left name needs (U+200E, U+200F) stay.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+"
)


def has_control_characters(value):
    """Whether single-line `value` holds any of CONTROL_CHARACTERS."""
    return bool(CONTROL_CHARACTERS.search(value or ""))
