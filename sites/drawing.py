"""The admin's drawing map: the outline field, and what the map shows around it.

The field reads what the map (or a pasted GeoJSON or WKT) sends and checks its
shape with sites.outlines; the models' clean() checks the rest. Either way the
offending part travels to the map in the widget's `problem` attribute.

static/js/drawing-map.js draws, around django-leaflet's field: the staff
member's parks (the chosen one highlighted) and the plots near them, other
organisations' greyed (from a staff-only endpoint, `drawing_map_data`); the
area of the outline while it is drawn; the tools' texts in the staff member's
language (DRAW_TEXTS, passed with json_script).
"""

import json

from django import forms
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.forms import MultiPolygonField
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Polygon
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.forms.renderers import TemplatesSetting
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletAdminWidget

from core.spatial import same_outline
from core.templatetags.maps import LEAFLET_TEXT

from .models import SRID, BusinessPark, Plot
from .outlines import (
    PARK,
    PLOT,
    WGS84,
    OutlineError,
    outline_prepare,
    outline_text_error,
    where_geojson,
)
from .staff import EVERYTHING, in_scope, staff_scope

OUTLINE_KINDS = {"geom": PLOT, "perimeter": PARK}
GEOJSON_DIGITS = 6  # about 0.1 m

# Leaflet.draw's texts (L.drawLocal), for the tools the map offers.
DRAW_TEXTS = {
    "draw": {
        "toolbar": {
            "actions": {"title": _("Cancel drawing"), "text": _("Cancel")},
            "finish": {"title": _("Finish drawing"), "text": _("Finish")},
            "undo": {
                "title": _("Delete the last corner placed"),
                "text": _("Delete last corner"),
            },
            "buttons": {
                "polygon": _("Draw the outline, corner by corner"),
                "rectangle": _("Draw a rectangle"),
            },
        },
        "handlers": {
            "polygon": {
                "tooltip": {
                    "start": _("Click to place the first corner."),
                    "cont": _("Click to place the next corner."),
                    "end": _("Click the first corner to close the outline."),
                }
            },
            "polyline": {"error": _("The edges of an outline cannot cross.")},
            "rectangle": {
                "tooltip": {"start": _("Click and drag to draw a rectangle.")}
            },
            "simpleshape": {"tooltip": {"end": _("Release the mouse to finish.")}},
        },
    },
    "edit": {
        "toolbar": {
            "actions": {
                "save": {"title": _("Keep these changes"), "text": _("Done")},
                "cancel": {
                    "title": _("Cancel editing and discard the changes"),
                    "text": _("Cancel"),
                },
                "clearAll": {
                    "title": _("Delete everything drawn"),
                    "text": _("Delete all"),
                },
            },
            "buttons": {
                "edit": _("Edit the outline"),
                "editDisabled": _("No outline to edit"),
                "remove": _("Delete the outline"),
                "removeDisabled": _("No outline to delete"),
            },
        },
        "handlers": {
            "edit": {
                "tooltip": {
                    "text": _("Drag the corners to change the outline."),
                    "subtext": _("Cancel undoes the changes."),
                }
            },
            "remove": {"tooltip": {"text": _("Click the outline to delete it.")}},
        },
    },
}
# What changes where a finger draws (CSS `pointer: coarse`, drawing-map.js).
DRAW_TOUCH_TEXTS = {
    "draw": {
        "handlers": {
            "polygon": {
                "tooltip": {
                    "start": _("Tap to place the first corner."),
                    "cont": _("Tap to place the next corner."),
                    "end": _("Tap the first corner to close the outline."),
                }
            },
            "rectangle": {
                "tooltip": {"start": _("Drag your finger to draw a rectangle.")}
            },
            "simpleshape": {"tooltip": {"end": _("Lift your finger to finish.")}},
        },
    },
    "edit": {
        "handlers": {
            "remove": {"tooltip": {"text": _("Tap the outline to delete it.")}}
        }
    },
}
MAP_TEXTS = {
    "area": _("Area: %(area)s"),
    "empty": _("Draw the outline: its area shows here as you go."),
    "parks": _("Your parks"),
    "chosen": _("The chosen park"),
    "plots": _("Your plots"),
    "foreign": _("A plot of %(organisation)s"),
    "foreignLegend": _("Other organisations' plots (not editable)"),
    "problem": _("What the check refused"),
    "unavailable": _("The parks and plots around could not be loaded."),
}


class OutlineField(MultiPolygonField):
    """An outline from the drawing map, as stored (a valid Lambert-93
    MultiPolygon); errors in plain words, the place of the problem on the map."""

    def __init__(self, *, kind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, GEOSGeometry):
            return value
        try:
            geom = GEOSGeometry(value, max_geom_collections=self.max_geom_collections)
        except (GDALException, GEOSException, ValueError, TypeError) as exc:
            raise ValidationError(
                outline_text_error(str(value)), code="invalid_geom"
            ) from exc
        if not geom.srid:
            geom.srid = WGS84  # what the map sends
        return geom

    def clean(self, value):
        geom = forms.Field.clean(self, value)  # to_python, required, validators
        if geom is None:
            return None
        try:
            return outline_prepare(geom, kind=self.kind)
        except OutlineError as error:
            self.widget.attrs["problem"] = where_geojson(error.where)
            raise ValidationError(error.messages, code="invalid_geom") from error


class OutlineFormMixin:
    """For a listing's ModelForm: where the model's outline check (run by
    full_clean) found a problem goes to the map; an outline sent back as it
    was shown is kept as stored."""

    outline_field = "geom"

    def clean(self):
        # Shown and sent back in WGS84, the corners come back nanometres off:
        # kept as they were, a save that leaves the outline alone neither
        # rewrites it nor records it changed in the history.
        data = super().clean()
        name = self.outline_field
        outline = data.get(name)
        stored = getattr(self.instance, name) if self.instance.pk else None
        if outline is None or stored is None or outline.srid != stored.srid:
            return data
        if same_outline(stored, outline):
            data[name] = stored
        return data

    def _post_clean(self):
        super()._post_clean()
        where = where_geojson(self.instance.outline_problem)
        field = self.fields.get(self.outline_field)
        if where and field is not None:
            field.widget.attrs["problem"] = where


class DrawingMapWidget(LeafletAdminWidget):
    """django-leaflet's admin map, with what static/js/drawing-map.js needs:
    its settings as JSON data (no inline code), and the refused part."""

    geometry_field_class = "L.DrawingMapField"
    # Its template is the project's (templates/), which the default form
    # renderer, limited to the apps' form templates, does not see.
    renderer = TemplatesSetting()

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer=self.renderer)

    def deserialize(self, value):
        """The text sent back, for the map; nothing when it cannot be read.
        Django's widget catches GEOS's refusals, not GDAL's (GeoJSON it cannot
        parse, such as a pasted Feature): the form's error, which the field
        gave, then came as a server error."""
        try:
            return super().deserialize(value)
        except GDALException:
            return None

    @property
    def media(self):
        # One list, so that the script comes after django-leaflet's, which it
        # extends (two lists may be merged in any order).
        leaflet = super().media
        return forms.Media(
            js=[*leaflet._js, "js/draw-touch.js", "js/drawing-map.js"],
            css={
                "screen": [
                    *leaflet._css.get("screen", []),
                    "css/draw-touch.css",
                    "css/drawing-map.css",
                ]
            },
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["drawing_id"] = f"{context['id_css']}-drawing"
        context["drawing"] = {
            "kind": self.attrs.get("kind"),
            "data": self.attrs.get("data_url"),
            "object": self.attrs.get("object_id"),
            "language": get_language(),
            "texts": MAP_TEXTS,
            "draw": DRAW_TEXTS,
            "drawTouch": DRAW_TOUCH_TEXTS,
            "leaflet": LEAFLET_TEXT,
        }
        problem = self.attrs.get("problem")
        context["problem_id"] = f"{context['id_css']}-problem"
        context["problem"] = json.loads(problem) if problem else None
        return context


class OutlineAdminMixin:
    """For a listing's ModelAdmin, before LeafletGeoAdmin: the outline through
    OutlineField, on the drawing map, which reads its surroundings from
    `<model>/drawing-map.json`."""

    widget = DrawingMapWidget
    map_template = "admin/sites/drawing_map.html"

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        kind = OUTLINE_KINDS.get(db_field.name)
        if kind is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        kwargs.update(form_class=OutlineField, kind=kind)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        field.widget.attrs.update(kind=kind, data_url=reverse(self._map_url_name()))
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in OUTLINE_KINDS:
            if name in form.base_fields:
                form.base_fields[name].widget.attrs["object_id"] = getattr(
                    obj, "pk", None
                )
        return form

    def get_urls(self):
        url = path(
            "drawing-map.json",
            self.admin_site.admin_view(self.drawing_map_view),
            name=self._map_url_name(admin=False),
        )
        return [url, *super().get_urls()]

    def _map_url_name(self, admin=True):
        name = f"{self.opts.app_label}_{self.opts.model_name}_drawing_map"
        return f"{self.admin_site.name}:{name}" if admin else name

    def drawing_map_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = drawing_map_data(scope=staff_scope(request.user))
        return HttpResponse(data, content_type="application/geo+json")


def drawing_map_data(*, scope):
    """The parks of `scope` (a staff_scope) and the plots around them, as a
    GeoJSON FeatureCollection (text, WGS84) shaped by the database. Other
    organisations' plots come greyed on the map: their organisation only, no
    name, no link."""
    parks = in_scope(BusinessPark.objects.all(), "organisation", scope)
    extent = parks.aggregate(extent=Extent("perimeter"))["extent"]
    features = []
    if extent is not None:
        own_id = None if scope == EVERYTHING else scope.pk
        features = [*_park_features(parks), *_plot_features(extent, own_id)]
    return f'{{"type":"FeatureCollection","features":[{",".join(features)}]}}'


def _geojson(field):
    return AsGeoJSON(Transform(field, WGS84), precision=GEOJSON_DIGITS)


def _park_features(parks):
    rows = parks.annotate(geojson=_geojson("perimeter")).values("pk", "name", "geojson")
    for row in rows:
        yield _feature(row["pk"], row["geojson"], kind=PARK, name=row["name"], own=True)


def _plot_features(extent, own_id):
    """The plots within `extent` (own_id None: all of them the staff's own)."""
    box = Polygon.from_bbox(extent)
    box.srid = SRID
    rows = (
        Plot.objects.filter(geom__intersects=box)
        .annotate(geojson=_geojson("geom"))
        .values(
            "pk",
            "name",
            "geojson",
            "park_id",
            "park__organisation_id",
            organisation=F("park__organisation__short_name"),
        )
    )
    for row in rows:
        own = own_id is None or row["park__organisation_id"] == own_id
        details = (
            {"name": row["name"], "park": row["park_id"]}
            if own
            else {"organisation": row["organisation"]}
        )
        yield _feature(row["pk"], row["geojson"], kind=PLOT, own=own, **details)


def _feature(pk, geojson, **properties):
    return (
        f'{{"type":"Feature","id":{pk:d},"geometry":{geojson},'
        f'"properties":{json.dumps(properties)}}}'
    )
