from django.http import Http404
from django.shortcuts import render

from ambassadors.models import Ambassador

from . import selectors
from .models import BusinessPark, Organisation, Plot


def home(request):
    return render(
        request,
        "sites/home.html",
        {
            "figures": selectors.key_figures(),
            "ambassadors": Ambassador.objects.featured().select_related("commune"),
            "partners": Organisation.objects.exclude(slug="pma"),
        },
    )


def plot_detail(request, slug):
    try:
        plot = selectors.plot_detail(slug)
    except Plot.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "sites/plot_detail.html", {"plot": plot})


def park_detail(request, slug):
    try:
        park = selectors.park_detail(slug)
    except BusinessPark.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "sites/park_detail.html",
        {"park": park, "plots": selectors.park_plots(park)},
    )
