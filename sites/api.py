"""The public map API: GeoJSON of the published plots and the search map's
vector tiles, both with the search's filters."""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import limits
from core.caching import (
    cache_listings_page,
    etag_asked,
    listings_cached,
    listings_version,
    page_shared,
    query_normalised,
    revalidated,
    served_whole,
)
from core.i18n import LANGUAGE_PARAMETER, language_from_parameter
from core.mvt import TileError, tile_coordinates
from core.replica import from_replica

from .filters import PlotFilter
from .maps import territory_base_layer
from .search import MAX_MAP_PAGES, plot_search, plots_geojson
from .tiles import MAX_ZOOM, plot_tile, tile_name

MVT = "application/vnd.mapbox-vector-tile"


@require_safe
@from_replica
@language_from_parameter
@cache_listings_page(params=lambda: [*PlotFilter.base_filters, "page"], etag=True)
def plots(request):
    """A page of MAP_LIMIT plots, with a `next` link while more follow."""
    search = plot_search(params=request.GET)
    page = _page_number(request.GET.get("page", "1"))
    if page is None:
        error = _("Expected a page number from 1 to %(max)s.") % {"max": MAX_MAP_PAGES}
        return JsonResponse({"errors": {"page": [error]}}, status=400)
    if not search.is_valid():
        return JsonResponse({"errors": search.errors.get_json_data()}, status=400)

    def page_url(number):
        # The page cache hands the view only the parameters it keys on.
        query = request.GET.copy()
        if get_language() != settings.LANGUAGE_CODE:
            query[LANGUAGE_PARAMETER] = get_language()
        query["page"] = str(number)
        return f"{request.path}?{query.urlencode()}"

    body = plots_geojson(search, page=page, page_url=page_url)
    return HttpResponse(body, content_type="application/geo+json")


def _page_number(text):
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_MAP_PAGES else None


@require_safe
@from_replica
@served_whole
def tile(request, z, x, y):
    """A Mapbox Vector Tile of the plots the search finds (sites.tiles).

    Its ETag is the listings version and the canonical search: browsers keep
    tiles and ask again each time (no-cache), a 304 when nothing changed;
    the tile itself is cached until a listing changes."""
    try:
        z, x, y = tile_coordinates(z, x, y, max_zoom=MAX_ZOOM)
    except TileError as error:
        return JsonResponse({"errors": {"tile": [str(error)]}}, status=400)
    search = None
    if not set(request.GET).isdisjoint(PlotFilter.base_filters):
        search = plot_search(params=request.GET)
        if not search.is_valid():
            return JsonResponse({"errors": search.errors.get_json_data()}, status=400)
    # Without a filter (the map as it opens, and most of its tiles), the
    # search's form is not built at all: building it (some 15 ms) was most of
    # a cached tile's time.
    name = tile_name(search, z, x, y)
    version = listings_version()
    tag = hashlib.md5(f"{version}:{name}".encode(), usedforsecurity=False).hexdigest()
    headers = revalidated(tag)
    if etag_asked(request, tag):
        return HttpResponseNotModified(headers=headers)

    def built():
        allowed = functools.partial(
            limits.client_within, request, "tiles", settings.TILE_COUNTS_PER_MINUTE
        )
        return plot_tile(search, z, x, y, version=version, count_allowed=allowed)

    try:
        if not settings.LISTINGS_PAGE_CACHE:
            return HttpResponse(built(), content_type=MVT, headers=headers)
        body = listings_cached(name, built, per_language=False)
    except limits.LimitReached:
        return _counts_refused()
    response = HttpResponse(body, content_type=MVT, headers=headers)
    if request.META.get("QUERY_STRING", "") == _tile_query(request):
        page_shared(response, version)
    return response


def _counts_refused():
    message = _(
        "Too many new searches on the map from your address: try again in a minute."
    )
    return JsonResponse(
        {"errors": {"tile": [message]}},
        status=429,
        headers=limits.refused_headers(),
    )


def _tile_query(request):
    """The tile's canonical query: the filters it reads, without empty values,
    sorted (as the search map writes them). Only that address is kept whole
    (core.caching.AnswerCacheMiddleware): `?utm_campaign=1`, a sort or an
    empty filter added to it is served from the tile's cache entry, and adds
    no entry of its own."""
    return query_normalised(request.GET, TILE_PARAMS).urlencode()


# What a tile reads of its query: the search's filters (a sort changes no tile).
TILE_PARAMS = [name for name in PlotFilter.base_filters if name != "sort"]


@require_safe
def base_layer(request):
    """The territory drawn under every public map's tiles (sites.maps): the
    same for every visitor until a listing changes; browsers ask again each
    time and get a 304 while it has not."""
    tag = f"base-{listings_version()}"
    headers = revalidated(tag)
    if etag_asked(request, tag):
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(
        territory_base_layer(), content_type="application/geo+json", headers=headers
    )
