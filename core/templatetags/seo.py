"""What search engines and link previews read: OpenGraph/Twitter cards and
schema.org data. Every value goes through escaping: attributes by the template
engine, JSON-LD with the same escapes as json_script (no `</script>` way out)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.script_json import script_json

register = template.Library()


@register.inclusion_tag("seo/social.html", takes_context=True)
def social_meta(context, title="Invest in Artois", description="", image=None):
    """Link-preview tags; `image` is a picture's URL (a plot's or park's
    sharing card, sites/pictures.py), the portal's card otherwise."""
    request = context["request"]
    return {
        "title": title,
        "description": description
        or _(
            "Business land and parks of the Artois, northern France: search the "
            "plots available and contact the economic developer in charge."
        ),
        "image": absolute_url(image or static("img/og-default.png")),
        "url": absolute_url(request.path),
        "locale": context.get("LANGUAGE_CODE", "fr"),
    }


@register.simple_tag
def json_ld(data):
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(script_json(data))
    )
