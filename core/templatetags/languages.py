from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core.links import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, query string kept (a search stays a search)."""
    request = context["request"]
    query = request.META.get("QUERY_STRING", "")
    versions = []
    translated = _translated_paths(request.path, get_language(), get_urlconf())
    for (code, name), path in zip(settings.LANGUAGES, translated, strict=True):
        path += f"?{query}" if query else ""
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


@lru_cache(maxsize=4096)
def _translated_paths(path, language, urlconf):
    """`path` in each language: the same for every page built at that address
    (each translation resolves then reverses the address: about a millisecond
    of every page)."""
    return tuple(translate_url(path, code) for code, _name in settings.LANGUAGES)


def shown_language(obj, field):
    """The language `obj.<field>` is shown in: the page's, or the one
    modeltranslation falls back to where staff left the page's empty."""
    language = get_language()
    for code in (language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES):
        if getattr(obj, build_localized_fieldname(field, code), None):
            return code
    return language


@register.simple_tag
def lang_of(obj, field):
    """` lang="fr"` on the element holding a text shown in French on an
    English or Dutch page (screen readers then read it as French)."""
    shown = shown_language(obj, field)
    return format_html(' lang="{}"', shown) if shown != get_language() else ""


@register.simple_tag
def untranslated_note(obj, field):
    """Tells the visitor when a text is shown in another language (French)
    because it has not been translated into the page's yet."""
    shown = shown_language(obj, field)
    if shown == get_language():
        return ""
    return format_html(
        '<small class="untranslated">{}</small>',
        _("Not translated yet: this text is in %(language)s.")
        % {"language": get_language_info(shown)["name_translated"]},
    )
