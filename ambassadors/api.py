"""The ambassadors' communes as GeoJSON: an optional layer of the search map."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.caching import cache_listings_page
from core.geo import as_geojson, feature, feature_collection
from core.i18n import language_from_parameter

from .models import Ambassador

SLUG = "__slug__"


def ambassadors_geojson():
    """Published ambassadors with a commune, at the commune's point: one query,
    geometries shaped by the database."""
    rows = (
        Ambassador.objects.published()
        .filter(commune__isnull=False)
        .annotate(point=as_geojson("commune__point"))
        .values_list("slug", "name", "company", "point")
    )
    url = reverse("ambassadors:detail", args=[SLUG])
    return feature_collection(
        feature(
            point,
            {"name": name, "company": company, "url": url.replace(SLUG, slug)},
        )
        for slug, name, company, point in rows
    )


@require_safe
@language_from_parameter
@cache_listings_page(etag=True)
def ambassadors(request):
    return HttpResponse(ambassadors_geojson(), content_type="application/geo+json")
