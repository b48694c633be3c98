from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_urlconf, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core.links import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """This page's links to itself in each language, query string kept (a
    search stays a search), as HTML: `alternates`, the head's <link
    rel="alternate"> (and x-default), and `switch`, the items of the
    language switch. The same for every page built at that address in that
    language: written once per process, where the template's two loops over
    the three languages cost some 40 µs of every page."""
    request = context["request"]
    return _language_links(
        request.path,
        request.META.get("QUERY_STRING", ""),
        get_language(),
        get_urlconf(),
        settings.SITE_URL,
    )


# Some 1.5 KB each: the home's and the search's addresses come back, a
# filtered search's seldom; a few hundred keep a worker's memory flat.
@lru_cache(maxsize=512)
def _language_links(path, query, language, urlconf, site_url):
    alternates, switch = [], []
    translated = _translated_paths(path, language, urlconf)
    for (code, name), path_in in zip(settings.LANGUAGES, translated, strict=True):
        path_in += f"?{query}" if query else ""
        url = absolute_url(path_in)
        alternates.append(
            format_html('<link rel="alternate" hreflang="{}" href="{}">\n  ', code, url)
        )
        # The version for everyone else, as in the sitemap (core.links).
        if code == settings.LANGUAGE_FOR_OTHERS:
            alternates.append(
                format_html(
                    '<link rel="alternate" hreflang="x-default" href="{}">\n  ', url
                )
            )
        current = mark_safe(' aria-current="page"') if code == language else ""
        switch.append(
            format_html(
                '\n          <li><a href="{}" hreflang="{}" lang="{}"{}>{}</a></li>'
                "\n        ",
                path_in,
                code,
                code,
                current,
                name,
            )
        )
    return {
        "alternates": SafeString("".join(alternates)),
        "switch": SafeString("".join(switch)),
    }


@receiver(setting_changed)
def _languages_changed(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_FOR_OTHERS"):
        _language_links.cache_clear()


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
