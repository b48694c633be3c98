from django.http import Http404
from django.shortcuts import render

from ambassadors.models import Ambassador

from . import selectors
from .models import BusinessPark, Organisation, Plot
from .search import plot_search, search_results_page


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


def search(request):
    """Without JavaScript this is the whole search: a GET form and a list."""
    filters = plot_search(params=request.GET)
    if not filters.is_valid():
        context = {"search": filters, "page": None}
        return render(request, "sites/search.html", context, status=400)
    page = search_results_page(filters, page=request.GET.get("page"))
    return render(request, "sites/search.html", {"search": filters, "page": page})
