import functools
import hashlib

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from core import limits
from core.caching import (
    cache_listings_page,
    kept_by_nobody,
    listings_cached,
    not_kept,
    nothing_kept,
)
from core.geo import wgs84_point
from core.replica import from_replica
from core.shortcuts import found_or_404
from core.templatetags.fragments import (
    READ_AHEAD_ALSO,
    READ_AHEAD_SHARED,
    shared_read_ahead,
)
from core.units import units_of

from . import compare as comparing
from . import geography, maps, pictures, previews, selectors, sheets
from .filters import PlotFilter
from .models import Plot
from .search import (
    WIDEN_BELOW,
    page_ids,
    place_suggestions,
    plot_search,
    search_results_page,
    search_widenings,
)
from .templatetags.results import cards_read_ahead


# Plot and park pages are cached whole; the contact form's per-visitor tokens
# are filled in on each response (core.caching's visitor slots, leads.tokens).
@cache_listings_page
def plot_detail(request, slug):
    return _listing_page(request, selectors.plot_detail, slug, _plot_page)


def _plot_page(request, plot, preview):
    point = wgs84_point(plot.geom)
    context = {
        "plot": plot,
        "point": point,
        "map_data": maps.plot_map(plot),
        # A sum over the communes around it: the same until a listing changes.
        "labour_pool": listings_cached(
            f"labour-pool:{plot.pk}",
            lambda: geography.labour_pool(plot.geom),
            per_language=False,
        ),
        "distances": geography.distances_from(point),
        # The drawn map and QR code of the printed page (static/css/print.css).
        "sheet": sheets.plot_sheet(plot),
        "preview": preview,
    }
    return render(request, "sites/plot_detail.html", context)


def _listing_page(request, selector, slug, page):
    """`page(request, listing, preview)` of the published listing of `slug`;
    of an unpublished one, its preview for staff who may change it in the
    admin (sites.previews), built and sent without any cache keeping it; for
    everyone else the 404 of an unknown slug."""
    try:
        listing = selector(slug)
    except ObjectDoesNotExist:
        listing = None
    if listing is not None:
        return page(request, listing, None)
    listing = previews.previewed(request, selector, slug)
    if listing is None:
        raise Http404
    with nothing_kept():
        response = page(request, listing, previews.preview_of(listing))
    response["X-Robots-Tag"] = "noindex"
    return kept_by_nobody(response)


@require_safe
def plot_sheet_pdf(request, slug):
    """The plot's one-page sheet as a PDF, in the page's language and the
    visitor's units."""
    units = units_of(request)
    allowed = functools.partial(sheets.sheets_allowed, request)
    try:
        pdf = found_or_404(
            lambda slug: sheets.plot_sheet_pdf(
                slug, units=units, build_allowed=allowed
            ),
            slug,
        )
    except limits.LimitReached:
        return limits.refused(sheets.SHEETS_REFUSED)
    response = HttpResponse(pdf, content_type="application/pdf")
    # The slug is [-a-zA-Z0-9_]+ (the URL's converter): nothing to escape.
    response["Content-Disposition"] = f'attachment; filename="{slug}.pdf"'
    # The plot's page is what search engines should show, not its sheet.
    response["X-Robots-Tag"] = "noindex"
    return response


@cache_listings_page
def park_detail(request, slug):
    return _listing_page(request, selectors.park_detail, slug, _park_page)


def _park_page(request, park, preview):
    plots = list(selectors.park_plots(park, preview=preview is not None))
    context = {
        "park": park,
        "plots": plots,
        "map_data": maps.park_map(park, plots),
        "preview": preview,
    }
    return render(request, "sites/park_detail.html", context)


@cache_listings_page(params=["page"], defaults={"page": "1"})
def organisation_detail(request, slug):
    organisation = found_or_404(selectors.organisation_detail, slug)
    parks = selectors.organisation_parks(organisation, page=request.GET.get("page"))
    context = {
        "organisation": organisation,
        "parks": parks,
        "partners": selectors.organisation_partners(organisation),
        "population": selectors.organisation_population(organisation),
    }
    response = render(request, "sites/organisation_detail.html", context)
    return _page_as_asked(request, parks, response)


def _page_as_asked(request, page, response):
    """`response`, showing `page`, not kept by the page cache unless `page` is
    the page asked for, once: "x", "0", "007", "999" or "2&page=2" shows the
    first or the last, and would otherwise be kept under its own address,
    for each spelling."""
    if (request.GET.getlist("page") or ["1"]) != [str(page.number)]:
        not_kept(response)
    return response


# The search map's own words (static/js/search-map.js), in the page's language.
SEARCH_MAP_TEXT = {
    # Each plural form, picked by the script with the language's own rules
    # (Intl.PluralRules: French says "0 terrain", English "0 plots").
    "shown": {
        "one": ngettext_lazy(
            "%(count)s plot on the map", "%(count)s plots on the map", 1
        ),
        "other": ngettext_lazy(
            "%(count)s plot on the map", "%(count)s plots on the map", 2
        ),
    },
    "layers": _("Layers"),
    "cluster": {
        "one": ngettext_lazy(
            "%(plots)s plot, %(ha)s ha", "%(plots)s plots, %(ha)s ha", 1
        ),
        "other": ngettext_lazy(
            "%(plots)s plot, %(ha)s ha", "%(plots)s plots, %(ha)s ha", 2
        ),
    },
    "parks": _("in %(parks)s business parks"),
    "zoom": _("Zoom in"),
    "stages": dict(Plot.MarketingStage.choices),
    "failed": _("The map could not load the plots; the list is still up to date."),
    "ambassadors": _("Our ambassadors: who is already here"),
    "ambassador": _("Ambassador: %(name)s, %(company)s"),
    "compare": _("Add to comparison"),
    "thumbnail": _("Outline of %(name)s in its park"),
    "acres": pgettext_lazy("surface unit", "acres"),
}


def search_params():
    """What the search page reads: its filters and the page number."""
    return [*PlotFilter.base_filters, "page"]


@from_replica
@cache_listings_page(params=search_params, defaults={"page": "1"})
def search(request):
    """Without JavaScript this is the whole search: a GET form and a list."""
    filters = plot_search(params=request.GET)
    # The map's part of the page is kept for each units (its scale bar).
    context = {"search": filters, "map_text": SEARCH_MAP_TEXT}
    context["units"] = units_of(request)
    if not filters.is_valid():
        context["page"] = None
        return render(request, "sites/search.html", context, status=400)
    # Without a filter, the count (a key figure) is read with the page's
    # fragments, when the page shows it.
    read_ahead = functools.partial(shared_read_ahead, request, selectors.KEY_FIGURES)
    page = search_results_page(
        filters, page=request.GET.get("page"), read_ahead=read_ahead
    )
    context["page"] = page
    # The page's result cards are read with its other fragments.
    context[READ_AHEAD_ALSO] = functools.partial(cards_read_ahead, page, filters)
    if page.paginator.count_pending and _not_few(page):
        context[READ_AHEAD_SHARED] = [selectors.KEY_FIGURES]
    elif page.paginator.count < WIDEN_BELOW:  # no dead end: wider searches
        context["few_results"] = True
        context["widenings"] = search_widenings(filters, count=page.paginator.count)
    return _page_as_asked(request, page, render(request, "sites/search.html", context))


def _not_few(page):
    """Whether `page`'s plots show that its search finds WIDEN_BELOW plots or
    more, before its count is read: a page after the first, or a first page
    holding that many (its ids, read now, are its cards')."""
    return page.number > 1 or len(page_ids(page)) >= WIDEN_BELOW


@require_safe
def search_suggestions(request, kind):
    """Up to a few territories, parks or communes whose name holds `q`: the
    search's place filters when there are too many to list (sites.filters)."""
    found = place_suggestions(kind, request.GET.get("q", ""))
    if found is None:
        raise Http404
    return JsonResponse({"suggestions": found})


def compare(request):
    """Up to four plots side by side, named in the URL (see sites/compare.py).

    Without `?p=`, the visitor's last comparison; `?add=slug` adds a plot to it.
    """
    query = request.GET
    if any(len(query.getlist(name)) > 1 for name in query):
        return _comparison_refused(request, _("This comparison link is not valid."))
    if comparing.ADD_PARAM in query:
        return _comparison_add(request, query[comparing.ADD_PARAM])
    if comparing.PARAM not in query:
        kept = comparing.remembered(request.COOKIES)
        if kept:
            return redirect(comparing.comparison_url(kept))
        return _comparison(request, [])
    try:
        slugs = comparing.slugs_parse(query[comparing.PARAM])
    except comparing.ComparisonError as error:
        return _comparison_refused(request, error)
    # One address per set: any other spelling of it is sent there.
    url = comparing.comparison_url(slugs)
    if request.get_full_path() != url:
        return redirect(url)
    return _comparison(request, slugs)


def _comparison_add(request, slug):
    kept = comparing.remembered(request.COOKIES)
    try:
        slugs = comparing.slugs_parse(",".join([*kept, slug]))
    except comparing.ComparisonError as error:
        if slug in kept:
            response = redirect(comparing.comparison_url(kept))
        else:  # most often a fifth plot: the four already chosen stay in view
            response = _comparison(request, kept, error=error)
    else:
        response = redirect(comparing.comparison_url(slugs))
    if comparing.FROM_PARAM in request.GET:
        _cookie_set(
            response,
            request,
            comparing.SEARCH_COOKIE,
            comparing.search_kept(request.GET[comparing.FROM_PARAM]),
        )
    return response


def _cookie_set(response, request, name, value):
    response.set_cookie(
        name,
        value,
        max_age=comparing.COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )


def _comparison_refused(request, error):
    context = {
        "columns": [],
        "rows": [],
        "error": error,
        "max_plots": comparing.MAX_PLOTS,
        "search_url": comparing.search_url(request.COOKIES),
    }
    return _not_indexed(render(request, "sites/compare.html", context, status=400))


def _comparison(request, slugs, error=None):
    columns, rows, missing = comparing.comparison(slugs)
    found = [column.plot.slug for column in columns]
    if missing and error is None:
        error = ngettext(
            "One plot of this comparison is unknown or no longer online.",
            "%(count)s plots of this comparison are unknown or no longer online.",
            missing,
        ) % {"count": missing}
    context = {
        "columns": columns,
        "rows": rows,
        "error": error,
        "max_plots": comparing.MAX_PLOTS,
        "found_url": comparing.comparison_url(found) if missing and found else None,
        "search_url": comparing.search_url(request.COOKIES),
    }
    status = 400 if error else 200
    response = render(request, "sites/compare.html", context, status=status)
    # The last comparison seen is the one "add to comparison" links add to.
    _cookie_set(response, request, comparing.COOKIE, comparing.canonical(found))
    return _not_indexed(response)


def _not_indexed(response):
    # A comparison is one visitor's choice: nothing for a search engine to
    # list (the plots' own pages are).
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# Pictures drawn from the geometry (sites/pictures.py): a browser or a link
# preview asks again after ten minutes, and gets a 304 while nothing changed.
PICTURE_MAX_AGE = 600


def _picture(request, draw, slug, content_type):
    body = found_or_404(draw, slug)
    if isinstance(body, str):
        body = body.encode()
    etag = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type=content_type
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PICTURE_MAX_AGE)
    return response


@require_safe
def plot_thumbnail(request, slug):
    return _picture(request, pictures.plot_thumbnail, slug, "image/svg+xml")


@require_safe
def park_thumbnail(request, slug):
    return _picture(request, pictures.park_thumbnail, slug, "image/svg+xml")


@require_safe
def plot_card(request, slug):
    return _picture(request, pictures.plot_card, slug, "image/png")


@require_safe
def park_card(request, slug):
    return _picture(request, pictures.park_card, slug, "image/png")
