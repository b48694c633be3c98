"""The ambassadors' communes as GeoJSON: an optional layer of the search map."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.caching import cache_listings_page

from .models import Ambassador

SLUG = "__slug__"
# As json_script does: no "<", ">" or "&" in the text, should it ever be
# inlined in a page.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ambassadors_geojson():
    """Published ambassadors with a commune, at the commune's point: one query,
    geometries shaped by the database."""
    rows = (
        Ambassador.objects.published()
        .filter(commune__isnull=False)
        .annotate(point=AsGeoJSON(Transform("commune__point", 4326), precision=6))
        .values_list("slug", "name", "company", "point")
    )
    url = reverse("ambassadors:detail", args=[SLUG])
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(point),
            "properties": {
                "name": name,
                "company": company,
                "url": url.replace(SLUG, slug),
            },
        }
        for slug, name, company, point in rows
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    return text.translate(ESCAPES)


@require_GET
@cache_listings_page
def ambassadors(request):
    return HttpResponse(ambassadors_geojson(), content_type="application/geo+json")
