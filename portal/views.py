from django.contrib.sitemaps.views import x_robots_tag
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ambassadors.models import Ambassador
from core.caching import cache_listings_page
from core.links import absolute_url
from core.replica import from_replica
from sites import selectors
from sites.models import Organisation

from .sitemaps import LISTINGS, SITEMAPS, urlset
from .territory_map import territory_map


@cache_listings_page
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            # Lazy, querysets too: read, or even built (about 0.3 ms of
            # Python), only when the page's fragments are (home.html).
            "figures": SimpleLazyObject(selectors.key_figures),
            "territory_map": SimpleLazyObject(territory_map),
            "ambassadors": SimpleLazyObject(_featured_ambassadors),
            "partners": SimpleLazyObject(Organisation.objects.members),
            # The PMA's members: SIZIAF, a partner, is not one.
            "members": SimpleLazyObject(Organisation.objects.agglomerations),
            "pma": SimpleLazyObject(_metropolitan),
        },
    )


def _metropolitan():
    return Organisation.objects.metropolitan().first()


def _featured_ambassadors():
    # The communes' names only: their outlines are not shown here.
    return (
        Ambassador.objects.featured()
        .select_related("commune")
        .defer("commune__boundary", "commune__point")
    )


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    lines = ["User-agent: *", "Allow: /", *_not_crawled(), f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


def _not_crawled():
    """Disallow lines (RFC 9309 patterns, `*` for any text) for what search
    engines need not fetch: a plot's PDF sheet, in any language, is built for
    seconds at its first asking and says nothing its page does not (it is
    sent `noindex` too, which a crawler only learns by fetching it)."""
    sheet = reverse("sites:plot-sheet", args=["slug"])
    _blank, _language, *middle = sheet.split("/")
    pattern = "/".join(["", "*", *("*" if part == "slug" else part for part in middle)])
    return [f"Disallow: {pattern}"]


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (and for the admin,
    PDFs, feeds...). A temporary redirect, so that a new icon, under a new
    hashed static name in production, is picked up within a day."""
    return HttpResponseRedirect(static("img/favicon.ico"))


@require_safe
@from_replica
@x_robots_tag
@cache_listings_page
def sitemap_index(request):
    """/sitemap.xml: the fixed sections, then each page of listings."""
    entries = []
    for section, sitemap in SITEMAPS.items():
        paginator = sitemap().paginator
        for number in paginator.page_range if paginator.count else ():
            query = f"?p={number}" if number > 1 else ""
            path = reverse("sitemap-section", args=[section]) + query
            entries.append({"location": absolute_url(path)})
    for section, listing in LISTINGS.items():
        for page in listing.pages():
            path = reverse("sitemap-listings", args=[section, page])
            entries.append({"location": absolute_url(path)})
    return render(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )


@require_safe
@from_replica
@x_robots_tag
def sitemap_listings(request, section, page):
    """One page of parks or plots, streamed: its size is bounded by PAGE_SIZE.
    A page the index lists is never missing, if emptied since."""
    listing = LISTINGS.get(section)
    rows = listing.rows(page) if listing else None
    if not rows and (not listing or page not in listing.pages()):
        raise Http404
    return StreamingHttpResponse(
        urlset(listing.links(), rows), content_type="application/xml"
    )
