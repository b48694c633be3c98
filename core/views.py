from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

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
