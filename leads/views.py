from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from core.shortcuts import found_or_404

from . import antispam, selectors
from .forms import LeadForm
from .services import lead_submit


@require_http_methods(["GET", "POST"])
def general_contact(request):
    return _contact(request)


@require_http_methods(["GET", "POST"])
def plot_contact(request, slug):
    return _contact(request, plot=found_or_404(selectors.plot_for_lead, slug))


@require_http_methods(["GET", "POST"])
def park_contact(request, slug):
    return _contact(request, park=found_or_404(selectors.park_for_lead, slug))


def _contact(request, *, plot=None, park=None):
    """The form on plot and park pages posts here; errors are shown here too."""
    if request.method == "POST":
        form = LeadForm(request.POST)
        if form.is_valid():
            reason = antispam.spam_reason(
                request,
                honeypot=form.cleaned_data["website"],
                token=form.cleaned_data["issued"],
            )
            lead_submit(data=form.lead_data(), plot=plot, park=park, spam_reason=reason)
            return redirect("leads:thanks")
    else:
        form = LeadForm(initial={"language": get_language()})
    context = {"form": form, "plot": plot, "park": park}
    return render(
        request, "leads/contact.html", context, status=400 if form.errors else 200
    )


def thanks(request):
    return render(request, "leads/thanks.html")


def privacy(request):
    return render(request, "leads/privacy.html")
