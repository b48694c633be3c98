"""Metric or imperial measures, for American visitors.

The factors are in core/units.py; templates/core/units/ lays both measures out
and the `data-units` of the page's <body> (the visitor's choice, a cookie)
shows one of them (css/site.css). The switch is a link (core.views).
"""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.links import reverse_kept
from core.units import (
    ACRES_PER_HECTARE,
    IMPERIAL,
    METRIC,
    MILES_PER_KILOMETRE,
    SQUARE_FEET_PER_HECTARE,
    SQUARE_FEET_PER_SQUARE_METRE,
    SQUARE_METRES_PER_HECTARE,
    euros_text,
    units_of,
)

register = template.Library()


def _times(value, factor):
    return None if value in (None, "") else float(value) * factor


@register.filter
def square_metres(hectares):
    return _times(hectares, SQUARE_METRES_PER_HECTARE)


@register.filter
def acres(hectares):
    return _times(hectares, ACRES_PER_HECTARE)


@register.filter
def square_feet(hectares):
    return _times(hectares, SQUARE_FEET_PER_HECTARE)


@register.filter
def miles(kilometres):
    return _times(kilometres, MILES_PER_KILOMETRE)


@register.inclusion_tag("core/units/surface.html")
def surface(hectares):
    """A surface in ha and m², and in acres and sq ft."""
    return {"hectares": hectares}


@register.inclusion_tag("core/units/distance.html")
def distance(kilometres, digits=-1):
    """A distance in km and in miles, `digits` as for floatformat."""
    return {"kilometres": kilometres, "digits": digits}


@register.filter
def euros(amount, digits="-2g"):
    """An amount in euros, as the page's language writes it (`digits` as for
    floatformat)."""
    return euros_text(amount, digits)


@register.filter
def per_square_foot(per_square_metre):
    """A price per m² as a price per sq ft."""
    return _times(per_square_metre, 1 / SQUARE_FEET_PER_SQUARE_METRE)


@register.inclusion_tag("core/units/area.html")
def area(hectares):
    """A surface in ha or in acres, for lists and popups."""
    return {"hectares": hectares}


@register.inclusion_tag("core/units/price.html")
def price(per_square_metre, excl_tax=False):
    """A price in € per m² or per sq ft ("excl. tax / m²" with `excl_tax`)."""
    return {"price": per_square_metre, "excl_tax": excl_tax}


@register.simple_tag(takes_context=True)
def units(context):
    """The visitor's units, "metric" or "imperial" (the <body>'s data-units)."""
    request = context.get("request")
    return units_of(request) if request is not None else METRIC


@register.simple_tag(takes_context=True)
def units_switch(context):
    """The link to the other units, saying what it will do; back to this page.
    Written here rather than by a template of its own (some 0.03 ms of a
    built page)."""
    request = context["request"]
    other = METRIC if units_of(request) == IMPERIAL else IMPERIAL
    # The query as the view read it (the page cache drops unknown parameters
    # before the view), not as typed: the page may be cached for other spellings.
    query = request.GET.urlencode()
    back = f"{request.path}?{query}" if query else request.path
    url = f"{reverse_kept('units', other)}?{urlencode({'next': back})}"
    # As the template's {% translate "literal" %} wrote it: not escaped.
    if other == IMPERIAL:
        text = mark_safe(_("Show in acres, sq ft and miles"))
    else:
        text = mark_safe(_("Show in hectares, m² and km"))
    return format_html(
        '<p class="units-switch"><a class="units-toggle" href="{}" rel="nofollow">'
        "{}</a></p>\n",
        url,
        text,
    )
