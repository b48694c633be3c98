from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def cross_origin_resource_policy(get_response):
    """Other sites may not embed our responses (Spectre-class leaks)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response

    return middleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except for a browser that asks only for languages we do not
    have: it gets LANGUAGE_FOR_OTHERS (English) rather than French, the
    default kept for requests that state no preference. Regional variants
    already find theirs (fr-BE and fr-CH French, nl-BE Dutch)."""

    def process_request(self, request):
        super().process_request(request)
        if not translation.get_language_from_path(request.path_info) and (
            _asks_only_for_others(request)
        ):
            translation.activate(settings.LANGUAGE_FOR_OTHERS)
            request.LANGUAGE_CODE = translation.get_language()


def _asks_only_for_others(request):
    if _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        return False
    header = request.headers.get("Accept-Language", "")
    asked = [code for code, _ in parse_accept_lang_header(header)]
    # "*" accepts anything, French included.
    return bool(asked) and "*" not in asked and not any(map(_supported, asked))


def _supported(code):
    if not code:
        return False
    try:
        translation.get_supported_language_variant(code)
    except LookupError:
        return False
    return True
