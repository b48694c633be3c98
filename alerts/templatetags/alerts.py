from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.links import reverse_kept
from sites.search import search_query

register = template.Library()


@register.simple_tag
def alert_link(search):
    """The search page's way to its alert: a link (the page is cached whole
    and shared, so it holds no form of its own)."""
    query = search_query(search)
    url = reverse_kept("alerts:subscribe") + (f"?{query}" if query else "")
    return format_html(
        '<p class="alert-link"><a href="{}" rel="nofollow">{}</a></p>',
        url,
        _("Be told by email when a plot matching this search comes on the market"),
    )
