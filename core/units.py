"""Conversion factors between the measures the portal shows, in one place."""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import pgettext

SQUARE_METRES_PER_HECTARE = 10_000
ACRES_PER_HECTARE = 2.4710538
SQUARE_FEET_PER_HECTARE = 107_639.1
MILES_PER_KILOMETRE = 0.621371
SQUARE_FEET_PER_SQUARE_METRE = 10.7639104

# Hectares as the pages show them: to the hundredth (floatformat:"-2g" in
# templates/core/units/). The search's surface bounds compare that figure.
HECTARES_SHOWN_TO = Decimal("0.01")


def as_shown(value, step):
    """`value` rounded to `step` as Django's floatformat rounds it: halves up,
    from its decimal text (a float's shortest, not its binary value)."""
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def hectares_text(value):
    """Hectares written as the pages write them (templates/core/units/): to
    the hundredth, a whole number without decimals, grouped as the reader's
    language writes numbers ("1 234,57" in French)."""
    return floatformat(value, "-2g")


def euros_text(amount, digits="-2g"):
    """An amount in euros as the reader's language writes it: "1 234,50 €" in
    French, "€1,234.50" in English, "€ 1.234,50" in Dutch (the sign's place
    and space are the catalogue's, the digits Django's number formats).
    Pages only: exports write their numbers the same in every language."""
    if amount in (None, ""):
        return ""
    return pgettext("an amount in euros", "€%(amount)s") % {
        "amount": floatformat(amount, digits)
    }


# The visitor's choice of units: a cookie rather than the browser's storage, so
# that the server writes the page in them (no JavaScript needed) and the page
# cache keys on it (core.caching).
METRIC, IMPERIAL = "metric", "imperial"
UNITS_COOKIE = "units"
UNITS_COOKIE_AGE = 365 * 24 * 3600


def units_of(request):
    """The units the visitor chose, metric unless they asked for imperial."""
    return IMPERIAL if request.COOKIES.get(UNITS_COOKIE) == IMPERIAL else METRIC
