"""The language of an answer to a page's script (the map API): the one the
page sends, never the browser's Accept-Language, which may name a language
other than the page's (a German browser on the English pages)."""

from functools import lru_cache, wraps

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_PARAMETER = "lang"


def language_from_parameter(view):
    """Answer in `?lang=` (French without it); an unknown language is a 400.

    Put it outside a page cache, whose key is taken in the active language.
    """

    @wraps(view)
    def localised_view(request, *args, **kwargs):
        code = request.GET.get(LANGUAGE_PARAMETER, settings.LANGUAGE_CODE)
        if code not in dict(settings.LANGUAGES):
            message = _("Unknown language: choose one of %(codes)s.") % {
                "codes": ", ".join(dict(settings.LANGUAGES))
            }
            errors = {LANGUAGE_PARAMETER: [{"message": message, "code": "invalid"}]}
            return JsonResponse({"errors": errors}, status=400)
        with translation.override(code):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = code
        return response

    return localised_view


def request_language(request):
    """The language a request is answered in (LocaleMiddleware activates it):
    Django's choice, except for a browser that asks only for languages we do
    not have, which gets LANGUAGE_FOR_OTHERS (English) rather than French, the
    default kept for requests that state no preference. Regional variants
    already find theirs (fr-BE and fr-CH French, nl-BE Dutch). Known before
    the middleware runs, it keys the cached answers served ahead of it."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
    # The path's language looked up once (Django's middleware does it twice).
    from_path = translation.get_language_from_path(request.path_info)
    if patterns_used and from_path:
        return from_path
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    asked = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if not from_path and _asks_only_for_others(cookie, asked):
        return settings.LANGUAGE_FOR_OTHERS
    if patterns_used and not prefixed_default:
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


@lru_cache(maxsize=512)
def _asks_only_for_others(cookie, header):
    # Remembered per header: a browser sends the same one at each request.
    if _supported(cookie):
        return False
    asked = [code for code, _quality in parse_accept_lang_header(header)]
    # "*" accepts anything, French included.
    return bool(asked) and "*" not in asked and not any(map(_supported, asked))


@receiver(setting_changed)
def _languages_changed(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LANGUAGE_COOKIE_NAME"):
        _asks_only_for_others.cache_clear()


def _supported(code):
    if not code:
        return False
    try:
        translation.get_supported_language_variant(code)
    except LookupError:
        return False
    return True


def missing_translations_fill(obj, values):
    """Give `obj` the English and Dutch texts of `values` (`<field>_en`,
    `<field>_nl`) it lacks, leaving every text it has alone; True if saved.

    For demo content loaded before it was translated: what staff wrote stays.
    """
    suffixes = tuple(f"_{code}" for code, _ in settings.LANGUAGES if code != "fr")
    missing = [
        name
        for name, value in values.items()
        if name.endswith(suffixes) and value and not getattr(obj, name)
    ]
    for name in missing:
        setattr(obj, name, values[name])
    if missing:
        obj.save(update_fields=missing)
    return bool(missing)


def superseded_texts_replace(obj, values, superseded):
    """Give `obj` the value of `values` for each field still holding what an
    earlier load wrote (`superseded`: {field: that wording or value}), leaving
    every other alone; True if saved.

    For corrections to loaded content: a text staff edited is not the old
    wording, so it stays.
    """
    stale = [name for name, old in superseded.items() if getattr(obj, name) == old]
    for name in stale:
        setattr(obj, name, values[name])
    if stale:
        obj.save(update_fields=stale)
    return bool(stale)
