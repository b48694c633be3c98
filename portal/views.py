from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
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
