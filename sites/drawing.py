"""The admin's drawing map: the outline field, and what the map shows around it.

The field reads what the map (or a pasted GeoJSON or WKT) sends and checks its
shape with sites.outlines; the models' clean() checks the rest. Either way the
offending part travels to the map in the widget's `problem` attribute.
"""

from django import forms
from django.contrib.gis.forms import MultiPolygonField
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError

from .outlines import (
    PARK,
    PLOT,
    WGS84,
    OutlineError,
    outline_prepare,
    outline_text_error,
    where_geojson,
)

OUTLINE_KINDS = {"geom": PLOT, "perimeter": PARK}


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
    full_clean) found a problem goes to the map."""

    outline_field = "geom"

    def _post_clean(self):
        super()._post_clean()
        where = where_geojson(self.instance.outline_problem)
        field = self.fields.get(self.outline_field)
        if where and field is not None:
            field.widget.attrs["problem"] = where


class OutlineAdminMixin:
    """For a listing's ModelAdmin, before LeafletGeoAdmin: outlines through
    OutlineField."""

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        kind = OUTLINE_KINDS.get(db_field.name)
        if kind is not None:
            kwargs.update(form_class=OutlineField, kind=kind)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
