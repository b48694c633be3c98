from django import template
from django.conf import settings
from django.urls import translate_url

from core.links import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, query string kept (a search stays a search)."""
    request = context["request"]
    query = request.META.get("QUERY_STRING", "")
    versions = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.path, code) + (f"?{query}" if query else "")
        versions.append(
            {
                "code": code,
                "name": name,
                "path": path,
                "url": absolute_url(path),
                # The version for everyone else, as in the sitemap (core.links).
                "x_default": code == settings.LANGUAGE_FOR_OTHERS,
            }
        )
    return versions
