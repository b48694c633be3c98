from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ambassadors.models import Ambassador
from core.caching import cache_listings_page
from core.links import absolute_url
from sites import selectors
from sites.models import Organisation


@cache_listings_page
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.key_figures(),
            # The communes' names only: their outlines are not shown here.
            "ambassadors": Ambassador.objects.featured()
            .select_related("commune")
            .defer("commune__boundary", "commune__point"),
            "partners": Organisation.objects.members(),
            "pma": Organisation.objects.metropolitan().first(),
        },
    )


@require_GET
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (and for the admin,
    PDFs, feeds...). A temporary redirect, so that a new icon, under a new
    hashed static name in production, is picked up within a day."""
    return HttpResponseRedirect(static("img/favicon.ico"))
