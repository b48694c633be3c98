from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from sites.caching import cache_listings_page

from . import selectors


def _found(selector, slug):
    try:
        return selector(slug)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@cache_listings_page
def sector_list(request):
    context = {"sectors": selectors.sector_list()}
    return render(request, "stories/sector_list.html", context)


@cache_listings_page
def sector_detail(request, slug):
    sector = _found(selectors.sector_detail, slug)
    return render(request, "stories/sector_detail.html", {"sector": sector})


@cache_listings_page
def story_list(request):
    context = {"stories": selectors.story_list()}
    return render(request, "stories/story_list.html", context)


@cache_listings_page
def story_detail(request, slug):
    story = _found(selectors.story_detail, slug)
    return render(request, "stories/story_detail.html", {"story": story})


@cache_listings_page
def innovation_park(request):
    park = selectors.innovation_park()
    if park is None:
        raise Http404
    context = {"park": park, "map_data": selectors.innovation_map(park)}
    return render(request, "stories/innovation_park.html", context)
