from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from ambassadors.models import Ambassador
from leads.tokens import with_form_tokens

from . import geography, maps, selectors
from .caching import cache_listings_page, listings_cached
from .models import Organisation
from .search import plot_search, search_results_page


@cache_listings_page
def home(request):
    return render(
        request,
        "sites/home.html",
        {
            "figures": selectors.key_figures(),
            "ambassadors": Ambassador.objects.featured().select_related("commune"),
            "partners": Organisation.objects.exclude(slug="pma"),
            "pma": Organisation.objects.filter(slug="pma").first(),
        },
    )


def _found(selector, slug):
    try:
        return selector(slug)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _plot_facts(slug):
    plot = _found(selectors.plot_detail, slug)
    point = geography.wgs84_point(plot.geom)
    return {
        "plot": plot,
        "point": point,
        "map_data": maps.plot_map(plot),
        "labour_pool": geography.labour_pool(plot.geom),
    }


@with_form_tokens
@cache_listings_page
def plot_detail(request, slug):
    # Cached whole: the contact form's per-visitor tokens are filled in after.
    version, facts = listings_cached(f"plot:{slug}", lambda: _plot_facts(slug))
    context = {
        **facts,
        # Computed, not cached: unpickling their translatable names costs more.
        "distances": geography.distances_from(facts["point"]),
        "cached": {"version": version, "seconds": settings.LISTINGS_CACHE_SECONDS},
    }
    return render(request, "sites/plot_detail.html", context)


def _park_facts(slug):
    park = _found(selectors.park_detail, slug)
    plots = list(selectors.park_plots(park))
    return {"park": park, "plots": plots, "map_data": maps.park_map(park, plots)}


@with_form_tokens
@cache_listings_page
def park_detail(request, slug):
    version, facts = listings_cached(f"park:{slug}", lambda: _park_facts(slug))
    cached = {"version": version, "seconds": settings.LISTINGS_CACHE_SECONDS}
    return render(request, "sites/park_detail.html", {**facts, "cached": cached})


def organisation_detail(request, slug):
    organisation = _found(selectors.organisation_detail, slug)
    context = {
        "organisation": organisation,
        "parks": selectors.organisation_parks(organisation),
        "members": selectors.organisation_members(organisation),
    }
    return render(request, "sites/organisation_detail.html", context)


@cache_listings_page
def search(request):
    """Without JavaScript this is the whole search: a GET form and a list."""
    filters = plot_search(params=request.GET)
    if not filters.is_valid():
        context = {"search": filters, "page": None}
        return render(request, "sites/search.html", context, status=400)
    page = search_results_page(filters, page=request.GET.get("page"))
    return render(request, "sites/search.html", {"search": filters, "page": page})
