from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Prefetch

from sites import maps

from .models import InnovationPark, InnovationSite, Sector, SuccessStory

PRECISION = 6  # decimal degrees: about 10 cm


def sector_list():
    return Sector.objects.published()


def sector_detail(slug):
    stories = SuccessStory.objects.published().select_related("commune")
    return (
        Sector.objects.published()
        .prefetch_related(Prefetch("stories", queryset=stories))
        .get(slug=slug)
    )


def story_list():
    return SuccessStory.objects.published().select_related("sector", "commune")


def story_detail(slug):
    return (
        SuccessStory.objects.published()
        .select_related("sector", "commune", "park")
        .get(slug=slug)
    )


def innovation_park():
    """The published park (the first, should staff make several) and its sites,
    each with its point as WGS84 GeoJSON: its business park's, else its commune's."""
    sites = (
        InnovationSite.objects.select_related("commune", "business_park")
        .defer("commune__boundary", "business_park__perimeter")
        .annotate(
            commune_geojson=AsGeoJSON(
                Transform("commune__point", 4326), precision=PRECISION
            ),
            park_geojson=AsGeoJSON(
                Transform("business_park__centroid", 4326), precision=PRECISION
            ),
        )
    )
    return (
        InnovationPark.objects.published()
        .prefetch_related(Prefetch("sites", queryset=sites))
        .first()
    )


def innovation_map(park):
    """The sites as map features (static/js/plot-map.js draws them)."""
    return maps.collection(
        maps.feature(
            site.park_geojson or site.commune_geojson,
            kind="site",
            name=site.name,
            detail=", ".join(filter(None, [site.venue, site.commune.name])),
            url=site.business_park.get_absolute_url()
            if site.business_park and site.business_park.is_published
            else "",
        )
        for site in park.sites.all()
    )
