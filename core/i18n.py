"""The language of an answer to a page's script (the map API): the one the
page sends, never the browser's Accept-Language, which may name a language
other than the page's (a German browser on the English pages)."""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

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
