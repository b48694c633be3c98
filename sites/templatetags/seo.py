"""What search engines and link previews read: OpenGraph/Twitter cards and
schema.org data. Every value goes through escaping: attributes by the template
engine, JSON-LD with the same escapes as json_script (no `</script>` way out)."""

import json

from django import template
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from investinartois.links import absolute_url

register = template.Library()


@register.inclusion_tag("seo/social.html", takes_context=True)
def social_meta(context, title="Invest in Artois", description="", image=None):
    """Link-preview tags; `image` is a photo's URL (the portal's card otherwise)."""
    request = context["request"]
    return {
        "title": title,
        "description": description
        or _(
            "Business land and parks of the Artois, northern France: search the "
            "plots available and contact the economic developer in charge."
        ),
        "image": absolute_url(image or static("img/og-default.png")),
        "url": absolute_url(request.path),
        "locale": context.get("LANGUAGE_CODE", "fr"),
    }


@register.simple_tag
def json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


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
    point = geometry.point_on_surface.transform(4326, clone=True)
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
