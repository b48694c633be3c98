"""The public map API: GeoJSON of the published plots, with the search's filters."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from core.caching import cache_listings_page

from .search import plot_search, plots_geojson


@require_GET
@cache_listings_page
def plots(request):
    search = plot_search(params=request.GET)
    if not search.is_valid():
        return JsonResponse({"errors": search.errors.get_json_data()}, status=400)
    return HttpResponse(plots_geojson(search), content_type="application/geo+json")
