import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
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
        # Django's decision, with the path's language looked up once (Django's
        # looks it up twice, and this override once more).
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
        from_path = translation.get_language_from_path(request.path_info)
        if patterns_used and from_path:
            language = from_path
        else:
            language = translation.get_language_from_request(request)
            if patterns_used and not prefixed_default:
                language = settings.LANGUAGE_CODE
            if not from_path and _asks_only_for_others(request):
                language = settings.LANGUAGE_FOR_OTHERS
        translation.activate(language)
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


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, except that the header of a response that used no nonce
    and has no policy of its own (django-csp's decorators) is built once, not
    at every response: the same text, from the same settings."""

    _OWN_POLICY = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
    )

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in self._OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp does
        for header, policy, exempt, excluded in _plain_policies():
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _plain_policies():
    """(header, policy, exemption attribute, excluded path prefixes) of the
    policy and the report-only one, as django-csp builds them without a nonce."""
    rows = []
    for header, name, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (
            HEADER_REPORT_ONLY,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            "_csp_exempt_ro",
            True,
        ),
    ):
        config = getattr(settings, name, None) or {}
        excluded = tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ())
        rows.append((header, build_policy(report_only=report_only), exempt, excluded))
    return tuple(rows)


@receiver(setting_changed)
def _policies_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _plain_policies.cache_clear()
