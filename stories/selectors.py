from django.db.models import Prefetch

from core.geo import as_geojson, feature, feature_collection

from .models import InnovationPark, InnovationSite, Sector, SuccessStory


def sector_list():
    return Sector.objects.published()


def sources(items):
    """Where the figures of a list's items come from, each once: a list page
    states them as each item's own page does."""
    return sorted({item.source for item in items if item.source})


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
            commune_geojson=as_geojson("commune__point"),
            park_geojson=as_geojson("business_park__centroid"),
        )
    )
    return (
        InnovationPark.objects.published()
        .prefetch_related(Prefetch("sites", queryset=sites))
        .first()
    )


def innovation_map(park):
    """The sites as map features (static/js/plot-map.js draws them)."""
    return feature_collection(
        feature(
            site.park_geojson or site.commune_geojson,
            {
                "kind": "site",
                "name": site.name,
                "detail": ", ".join(filter(None, [site.venue, site.commune.name])),
                "url": site.business_park.get_absolute_url()
                if site.business_park and site.business_park.is_published
                else "",
            },
        )
        for site in park.sites.all()
    )
