from django.conf import settings
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from .i18n import request_language
from .units import IMPERIAL, METRIC, UNITS_COOKIE, UNITS_COOKIE_AGE


@require_safe
def units_switch(request, units):
    """A plain link, so that it works without JavaScript: remember the units
    and go back to the page (`next`, on this site only)."""
    if units not in (METRIC, IMPERIAL):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        UNITS_COOKIE,
        units,
        max_age=UNITS_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def csrf_failure(request, reason=""):
    """A form sent without its CSRF cookie (blocked for this site, or cleared
    while the page was open): the portal's own page, in the visitor's
    language, says why and what to do (settings.CSRF_FAILURE_VIEW). Django's
    page was unstyled, marked English whatever its text, with no way back."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    """The 400 page (handler400): a request Django refused, often before the
    portal's middleware chose its language (too many fields, an unknown host)."""
    return _error_page(request, "400.html", HttpResponseBadRequest)


def server_error(request):
    """The 500 page (handler500), which must not fail in turn: no database, no
    request context, and French if even the language cannot be told."""
    return _error_page(request, "500.html", HttpResponseServerError)


def _error_page(request, template_name, response_class):
    """In the request's language (its path's prefix, else its browser's, as
    every page), with a line in each of the others in case that guess is
    wrong. Django's own views render the template in whatever language the
    thread was left in: French, or the previous request's."""
    try:
        language = request_language(request)
    except Exception:
        language = settings.LANGUAGE_CODE
    others = [code for code, _name in settings.LANGUAGES if code != language]
    with translation.override(language):
        html = loader.render_to_string(template_name, {"others": others})
    return response_class(html)
