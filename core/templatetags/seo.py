"""What search engines and link previews read: OpenGraph/Twitter cards and
schema.org data. Every value goes through escaping: attributes by the template
engine, JSON-LD with the same escapes as json_script (no `</script>` way out)."""

import json

from django import template
from django.templatetags.static import static
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.links import absolute_url

register = template.Library()


@register.inclusion_tag("seo/social.html", takes_context=True)
def social_meta(context, title="Invest in Artois", description="", image=None):
    """Link-preview tags; `image` is a photo's URL (the portal's card otherwise)."""
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
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )
