"""What an investor typed, made safe for the places it goes: a mail header, a
greeting in an email sent to the address they gave."""

import re

from core.text import CONTROL_CHARACTERS

# What a name never needs and a message to a stranger would: a link, an
# address, a number to call, a domain, an exclamation or a question.
NOT_A_NAME = re.compile(r"https?|www|://|@|\d|\.[^\W\d_]{2,}|[!?<>]", re.IGNORECASE)
GREETING_NAME_MAX = 40


def single_line(value):
    """`value` on one line, its runs of spaces made one. Only the control
    characters break a line: a non-breaking space stays (French writes one
    before a colon, « Nouvelle demande de X : terrain Y »)."""
    return MANY_SPACES.sub(" ", CONTROL_CHARACTERS.sub(" ", value)).strip()


MANY_SPACES = re.compile(" {2,}")


def greeting_name(name):
    """The sender's name as the acknowledgement may quote it, or "" when it
    looks like anything but a name: the acknowledgement goes to an address the
    sender chose, and must carry no text of theirs to someone else."""
    name = single_line(name or "")
    if NOT_A_NAME.search(name):
        return ""
    if len(name) > GREETING_NAME_MAX:
        # Whole words only; a single word that long is no one's name.
        cut = name[: GREETING_NAME_MAX + 1]
        name = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return name.strip(" ,;:-")
