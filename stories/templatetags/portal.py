from urllib.parse import urlsplit

from django import template
from django.db import DatabaseError

from sites.models import Organisation

register = template.Library()


@register.filter
def http_url(value):
    """The URL if it is an http(s) one, else nothing: a link field edited past
    its validator (an update in the shell, an import) never becomes a
    `javascript:` link."""
    value = str(value or "").strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else ""


@register.inclusion_tag("stories/_portal_links.html", takes_context=True)
def portal_links(context):
    """The agglomerations and SIZIAF for the footer of every page: one query."""
    try:
        partners = list(
            Organisation.objects.members().only("slug", "name", "short_name", "website")
        )
    except DatabaseError:  # an error page must still render
        partners = []
    return {"partners": partners, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
