from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from core import limits
from core.units import units_of
from sites import sheets

from . import antispam, selectors, shortlists
from .forms import LeadForm, ProjectForm
from .models import ShortlistVisit
from .services import lead_submit


@require_http_methods(["GET", "POST"])
def general_contact(request):
    return _contact(request)


@require_http_methods(["GET", "POST"])
def plot_contact(request, slug):
    plot, listed = _target(request, selectors.plot_for_lead, slug)
    return _contact(request, plot=plot, listed=listed)


@require_http_methods(["GET", "POST"])
def park_contact(request, slug):
    park, listed = _target(request, selectors.park_for_lead, slug)
    return _contact(request, park=park, listed=listed)


@require_http_methods(["GET", "POST"])
def project_contact(request):
    """ "Describe your project", from a search that found too few plots."""
    return _contact(request, form_class=ProjectForm)


def _target(request, selector, slug):
    """The plot or park a form is about, and whether it is still listed.

    A form sent after its plot was unpublished or deleted is still received
    (the organisation in charge, or the PMA, gets it): its page was public
    when the investor opened it, and their answers must not end in a 404.
    """
    try:
        return selector(slug), True
    except ObjectDoesNotExist as exc:
        if request.method != "POST":
            raise Http404 from exc
        return selector(slug, listed=False), False


def _contact(request, *, plot=None, park=None, listed=True, form_class=LeadForm):
    """The form on plot and park pages posts here; errors are shown here too,
    and so is a form sent back to confirm."""
    context = {"plot": plot, "park": park} if listed else {}
    if request.method != "POST":
        form = form_class(initial={"language": get_language()})
        return _page(request, form, context)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, form, context, status=400)
    honeypot = form.cleaned_data["website"]
    issued = antispam.form_issued(form.cleaned_data["issued"])
    if not honeypot and antispam.needs_confirmation(issued):
        context["confirming"] = "unknown" if issued is None else "old"
        context["max_age_hours"] = settings.LEADS_FORM_MAX_AGE // 3600
        return _page(request, form.confirmation(), context)
    reason = antispam.spam_reason(
        request, honeypot=honeypot, issued=issued, email=form.cleaned_data["email"]
    )
    lead = lead_submit(data=form.lead_data(), plot=plot, park=park, spam_reason=reason)
    return redirect(_thanks_url(lead))


def _page(request, form, context, status=200):
    context = {**context, "form": form, "action": request.path}
    return render(request, "leads/contact.html", context, status=status)


def _thanks_url(lead):
    url = reverse("leads:thanks")
    return url if lead.wants_acknowledgement else f"{url}?ack=0"


def thanks(request):
    # Says no more than is true: without an acknowledgement, it does not promise
    # one. It cannot tell a held lead from a flagged one, nor can a robot.
    acknowledged = request.GET.get("ack") != "0"
    context = {"acknowledged": acknowledged}
    if not acknowledged:  # whom to write to when no answer comes
        context["organisation"] = selectors.general_organisation()
    return render(request, "leads/thanks.html", context)


def privacy(request):
    # Said as the purge applies them (alerts.services.alerts_purge).
    context = {
        "confirm_days": settings.ALERTS_CONFIRM_DAYS,
        "retention_years": settings.ALERTS_RETENTION_YEARS,
        "refusals_before_stop": settings.ALERTS_REFUSALS_BEFORE_STOP,
    }
    return render(request, "leads/privacy.html", context)


# A shortlist's page is for one investor: never in the shared page cache
# (no cache_listings_page), never in a browser's or a proxy's, never indexed,
# and its address (the token) is not sent on as a Referer.
def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _closed(request):
    """The same page for a link that never existed, was altered, has expired or
    was revoked."""
    return _private(render(request, "leads/shortlist_closed.html", status=404))


@require_safe
def shortlist(request, token):
    try:
        chosen = shortlists.shortlist_open(token)
    except shortlists.ShortlistClosed:
        return _closed(request)
    shortlists.visit_record(chosen)
    context = {
        "shortlist": chosen,
        "plots": shortlists.shortlist_plots(chosen),
        "pdf_url": reverse("leads:shortlist-pdf", args=[token]),
    }
    return _private(render(request, "leads/shortlist.html", context))


@require_safe
def shortlist_pdf(request, token):
    try:
        chosen = shortlists.shortlist_open(token)
    except shortlists.ShortlistClosed:
        return _closed(request)
    # Never kept (each shortlist is one investor's): every download lays out
    # its sheets anew, seconds each, so it counts as the plot sheets not
    # kept yet do, against the same limit (sites.views.plot_sheet_pdf).
    if not sheets.sheets_allowed(request):
        return _private(limits.refused(sheets.SHEETS_REFUSED))
    shortlists.visit_record(chosen, ShortlistVisit.Kind.PDF)
    plots = shortlists.shortlist_plots(chosen)
    pdf = shortlists.shortlist_pdf(plots, units=units_of(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="invest-in-artois.pdf"'
    return _private(response)
