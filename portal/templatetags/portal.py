from django import template
from django.db import DatabaseError

from core.templatetags.fragments import fragment_not_shared
from sites.models import Organisation

register = template.Library()


@register.inclusion_tag("portal/_portal_links.html", takes_context=True)
def portal_links(context):
    """The agglomerations and SIZIAF for the footer of every page: one query."""
    try:
        partners = list(
            Organisation.objects.members().only("slug", "name", "short_name", "website")
        )
    except DatabaseError:  # an error page must still render, and not be kept
        fragment_not_shared(context.get("request"))
        partners = []
    return {"partners": partners, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
