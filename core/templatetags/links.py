from django import template
from django.conf import settings

from core.links import absolute_url
from core.validators import http_url

register = template.Library()
register.filter("http_url", http_url)


@register.filter
def absolute(path):
    """{{ path|absolute }}: the path on the portal's public address (SITE_URL)."""
    return absolute_url(path)


@register.simple_tag
def staff_support_email():
    """Whom staff write to (login and lock-out pages)."""
    return settings.STAFF_SUPPORT_EMAIL
