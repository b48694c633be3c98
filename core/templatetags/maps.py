import json

from django import template
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from leaflet.templatetags.leaflet_tags import leaflet_map

from core.units import METRIC, units_of

register = template.Library()

# Leaflet's own words (its controls' titles, a marker's default alternative
# text, a popup's close button), in the page's language: static/js/maps.js
# hands them to Leaflet.
LEAFLET_TEXT = {
    "zoomIn": _("Zoom in"),
    "zoomOut": _("Zoom out"),
    "marker": _("Marker"),
    "closePopup": _("Close popup"),
}


@register.simple_tag(takes_context=True)
def map_options(context, name):
    """django-leaflet's map options (tiles, centre, zoom, attribution in the
    page's language) and Leaflet's words, as JSON data read by
    static/js/maps.js for the element whose `data-map` names them; the scale
    bar in the visitor's units.

    django-leaflet's own `{% leaflet_map %}` writes an inline script; data keeps
    the Content Security Policy free of inline code, and the page cacheable.
    """
    options = json.loads(leaflet_map(name)["djoptions"])
    options["text"] = LEAFLET_TEXT
    # Drawn under the tiles by static/js/maps.js, which also says when the
    # tiles do not load (the project's URLs name the layer's address).
    options["base_layer"] = reverse("api-base-layer")
    options["tiles_failed"] = gettext(
        "Background map unavailable: the communes and parks are still shown."
    )
    request = context.get("request")
    options["scale"] = units_of(request) if request is not None else METRIC
    return json_script(options, f"{name}-options")


@register.filter
def geojson_script(text, element_id):
    """{{ map_data|geojson_script:"id" }}: GeoJSON text from core.geo, already
    escaped for a <script> element, as the page's map data."""
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text),  # core.geo's texts are escaped for a <script> element
    )
