"""The listings and organisations in page texts and in schema.org data."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.geo import wgs84_point
from core.links import absolute_url
from core.templatetags.seo import json_ld

register = template.Library()


@register.filter
def days_since(moment):
    """Whole days between `moment` and now."""
    return (timezone.now() - moment).days


def _organisation(organisation):
    data = {
        "@type": "GovernmentOrganization",
        "name": organisation.name,
        "alternateName": organisation.short_name,
        "url": absolute_url(reverse("sites:organisation", args=[organisation.slug])),
    }
    if organisation.website:
        data["sameAs"] = [organisation.website]
    return data


@register.simple_tag
def organisation_ld(organisation, members=()):
    data = {"@context": "https://schema.org", **_organisation(organisation)}
    if organisation.address:
        data["address"] = organisation.address
    if members:
        data["member"] = [_organisation(member) for member in members]
    return json_ld(data)


@register.simple_tag
def plot_summary(plot):
    return _("%(surface)s ha in %(commune)s, %(stage)s") % {
        "surface": floatformat(plot.surface_ha, -2),  # "8,50" in French
        "commune": plot.commune.name,
        "stage": plot.get_marketing_stage_display().lower(),
    }


@register.simple_tag
def place_ld(listing, geometry, commune):
    """A park or plot as a schema.org Place, at a point inside its outline."""
    point = wgs84_point(geometry)
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Place",
            "name": listing.name,
            "url": absolute_url(listing.get_absolute_url()),
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": round(point.y, 5),
                "longitude": round(point.x, 5),
            },
            "address": {
                "@type": "PostalAddress",
                "addressLocality": commune.name,
                "addressRegion": "Hauts-de-France",
                "addressCountry": "FR",
            },
        }
    )
