import functools
import math
import time

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import response_for_exception
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from core.i18n import request_language

BUSY = (
    "Le site est très sollicité : réessayez dans quelques secondes.\n"
    "The site is very busy: please try again in a few seconds.\n"
    "De site is erg druk: probeer het over enkele seconden opnieuw.\n"
)


def host_allowed(get_response):
    """A request for a host outside ALLOWED_HOSTS is answered 400 here, before
    anything else may answer it: the static files (whitenoise asks no host),
    the cached answers and pages, the queue's shedding. The 400 page carries
    the headers every other page has, which the middleware below would have
    added had the refusal come from them."""

    def middleware(request):
        try:
            request.get_host()
        except DisallowedHost as exc:
            response = response_for_exception(request, exc)  # logged as Django does
            return _security_headers(request, response)
        return get_response(request)

    return middleware


def _security_headers(request, response):
    """`response` with the headers the middleware of MIDDLEWARE add to a page:
    HSTS, nosniff, referrer, opener and resource policies, CSP, frame options,
    browser features."""
    for middleware in (SecurityMiddleware, CSPMiddleware, XFrameOptionsMiddleware):
        response = middleware(_built).process_response(request, response)
    for middleware in (cross_origin_resource_policy, browser_features):
        response = middleware(lambda request, built=response: built)(request)
    return response


def _built(request):
    raise AssertionError("only the response's headers are added")


def queue_deadline(get_response):
    """A GET or HEAD that waited more than REQUEST_QUEUE_TIMEOUT seconds for a
    worker since the proxy passed it on is answered 503 (Retry-After) without
    being built. In a peak, gunicorn's queue grows faster than the workers
    empty it, and each worker would build pages for visitors who gave up long
    ago while those still there time out in turn; shedding the stale ones
    lets the queue drain. The start is the proxy's X-Request-Start (nginx's
    $msec, set over whatever the client sent); a request without it, or
    whose stamp does not parse, is served. A POST (a lead) is always served:
    its sender is waiting for it. Django logs each 503 (django.request)."""

    def middleware(request):
        limit = settings.REQUEST_QUEUE_TIMEOUT
        if limit and request.method in ("GET", "HEAD"):
            waited = _queued_for(request.META.get("HTTP_X_REQUEST_START", ""))
            if waited is not None and waited > limit:
                return HttpResponse(
                    BUSY,
                    status=503,
                    content_type="text/plain; charset=utf-8",
                    headers={"Retry-After": "10"},
                )
        return get_response(request)

    return middleware


def _queued_for(stamp):
    """Seconds since `stamp` ("t=<Unix seconds>", nginx's $msec), or None."""
    try:
        start = float(stamp.removeprefix("t="))
    except ValueError:
        return None
    return time.time() - start if math.isfinite(start) else None


def cross_origin_resource_policy(get_response):
    """Other sites may not embed our responses (Spectre-class leaks)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response

    return middleware


def browser_features(get_response):
    """Powerful browser features the portal never uses (camera, microphone,
    location...) are refused to its pages and to anything they embed."""

    def middleware(request):
        response = get_response(request)
        response.setdefault(
            "Permissions-Policy",
            ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY),
        )
        return response

    return middleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with the language chosen by core.i18n.request_language (a
    browser asking only for languages we do not have gets English)."""

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()


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
