from django import template

from investinartois.links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """{{ path|absolute }}: the path on the portal's public address (SITE_URL)."""
    return absolute_url(path)
