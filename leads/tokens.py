"""The per-visitor values of a contact form, filled in after the page is built.

A plot or park page is the same for every visitor but for the form's CSRF token
and time trap. The page is rendered (or taken from the cache) with stand-ins for
both, and each response gets this visitor's values.
"""

from functools import wraps

from django.middleware.csrf import get_token

from . import antispam

# Outside the characters of either token, and of HTML escaping.
CSRF_SLOT, ISSUED_SLOT = "@@csrf@@", "@@issued@@"


def with_form_tokens(view):
    @wraps(view)
    def view_with_tokens(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.streaming or CSRF_SLOT.encode() not in response.content:
            return response
        # Both tokens are URL-safe (base64 and signing alphabets): no escaping.
        response.content = response.content.replace(
            CSRF_SLOT.encode(), get_token(request).encode()
        ).replace(ISSUED_SLOT.encode(), antispam.form_token().encode())
        return response

    return view_with_tokens
