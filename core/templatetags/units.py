"""Metric and imperial measures side by side, for American visitors.

The factors are in core/units.py; templates/core/units/ lays the measures out
and static/js/units.js chooses which one shows.
"""

from django import template

from core.units import (
    ACRES_PER_HECTARE,
    MILES_PER_KILOMETRE,
    SQUARE_FEET_PER_HECTARE,
    SQUARE_METRES_PER_HECTARE,
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
