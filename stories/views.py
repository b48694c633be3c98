from django.http import Http404
from django.shortcuts import render

from core.caching import cache_listings_page
from core.shortcuts import found_or_404

from . import selectors


@cache_listings_page
def sector_list(request):
    sectors = list(selectors.sector_list())
    context = {"sectors": sectors, "sources": selectors.sources(sectors)}
    return render(request, "stories/sector_list.html", context)


@cache_listings_page
def sector_detail(request, slug):
    sector = found_or_404(selectors.sector_detail, slug)
    return render(request, "stories/sector_detail.html", {"sector": sector})


@cache_listings_page
def story_list(request):
    stories = list(selectors.story_list())
    context = {"stories": stories, "sources": selectors.sources(stories)}
    return render(request, "stories/story_list.html", context)


@cache_listings_page
def story_detail(request, slug):
    story = found_or_404(selectors.story_detail, slug)
    return render(request, "stories/story_detail.html", {"story": story})


@cache_listings_page
def innovation_park(request):
    park = selectors.innovation_park()
    if park is None:
        raise Http404
    context = {"park": park, "map_data": selectors.innovation_map(park)}
    return render(request, "stories/innovation_park.html", context)
