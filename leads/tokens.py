"""The per-visitor values of a contact form, filled in after the page is built.

A plot or park page is the same for every visitor but for the form's CSRF token
and time trap. The page is rendered (or taken from the cache) with stand-ins for
both, and the page cache gives each response this visitor's values.
"""

from django.middleware.csrf import get_token

from core.caching import visitor_slot_register

from . import antispam

# Outside the characters of either token, and of HTML escaping.
CSRF_SLOT, ISSUED_SLOT = "@@csrf@@", "@@issued@@"


def form_slots_register():
    # Both tokens are URL-safe (base64 and signing alphabets): no escaping.
    visitor_slot_register(CSRF_SLOT, get_token)
    visitor_slot_register(ISSUED_SLOT, lambda request: antispam.page_form_token())
