from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.network import client_network

from . import services
from .forms import SubscribeForm

REFUSALS = {
    "cap": _(
        "This address already has as many alerts as it may have: "
        "unsubscribe from one first."
    ),
    "rate": _("Too many alerts were asked for from here in the last hour."),
}


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """Save a search (its query, from the search page's link) for an address."""
    data = request.POST if request.method == "POST" else None
    form = SubscribeForm(data)
    raw = request.POST.get("search", "") if data else request.GET.urlencode()
    query, search = services.search_normalised(QueryDict(raw))
    context = {"form": form, "filters": services.search_described(search)}
    context |= {"query": query, "valid": search is not None}
    if search is None:
        return _noindex(render(request, "alerts/subscribe.html", context, status=400))
    if data is None or not form.is_valid():
        status = 400 if data is not None else 200
        return _noindex(
            render(request, "alerts/subscribe.html", context, status=status)
        )
    try:
        services.subscription_request(
            email=form.cleaned_data["email"],
            query=query,
            language=get_language(),
            client=client_network(request),
        )
    except services.Refused as refusal:
        form.add_error("email", REFUSALS[str(refusal)])
        return _noindex(render(request, "alerts/subscribe.html", context, status=400))
    context["sent_to"] = form.cleaned_data["email"]
    return _noindex(render(request, "alerts/subscribed.html", context))


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation email: a page with a button, so that a
    mail scanner fetching links confirms nothing."""
    if request.method == "GET":
        context = {"action": "confirm"}
        return _noindex(render(request, "alerts/link.html", context))
    subscription = services.subscription_confirm(token=token)
    context = {"action": "confirmed" if subscription else "invalid"}
    status = 200 if subscription else 400
    return _noindex(render(request, "alerts/link.html", context, status=status))


@csrf_exempt  # RFC 8058: the mail client posts, without a session or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        context = {"action": "unsubscribe"}
        return _noindex(render(request, "alerts/link.html", context))
    if not services.subscription_cancel(token=token):
        return HttpResponseBadRequest()
    return _noindex(render(request, "alerts/link.html", {"action": "unsubscribed"}))
