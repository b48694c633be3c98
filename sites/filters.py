"""The investor's search: one FilterSet for the search page and the map API.

Every parameter is parsed by a bounded form field, so bad input is a form error
(or a 400 from the API), never a 500.
"""

import copy
import math
from decimal import ROUND_CEILING, ROUND_FLOOR

import django_filters as filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse, reverse_lazy
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import BaseCSVField

from core.caching import listings_cached
from core.forms import DecimalCommaField
from core.geo import WGS84
from core.spatial import in_box, storage_outline
from core.units import HECTARES_SHOWN_TO, as_shown

from . import areas
from .models import VOCATIONS, BusinessPark, Commune, Organisation

MAX_HECTARES = 10_000
MAX_TEXT = 100
# A territory, park or commune filter lists its choices in a <select> up to
# this many; beyond, it is a text box (a name or a code) with suggestions, so
# a national dataset's 30,000 parks and communes never fill the page.
CHOICES_LISTED_UP_TO = 200


class StrictCheckboxField(forms.BooleanField):
    """A checkbox that says no to anything but the values a browser or a link sends."""

    TRUE, FALSE = {"on", "true", "1"}, {"", "false", "0"}

    def __init__(self, **kwargs):
        # Its name is written after the box (sites/_search_field.html): no colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, bool) or value is None:
            return bool(value)
        if str(value).lower() in self.TRUE:
            return True
        if str(value).lower() in self.FALSE:
            return False
        raise ValidationError(_("Expected true or false."), code="invalid")


class RawCheckboxInput(forms.CheckboxInput):
    # Django's checkbox turns any unknown value into True; hand it to the field.
    def value_from_datadict(self, data, files, name):
        return data.get(name)


class OnlyIfChecked(filters.BooleanFilter):
    """Filters on `field = True` when checked; unchecked means "don't care"."""

    field_class = StrictCheckboxField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=RawCheckboxInput, **kwargs)

    def filter(self, qs, value):
        return qs.filter(**{self.field_name: True}) if value else qs


class QuickSelect(forms.Select):
    """Django's <select> for flat choices, written in Python: a template per
    option made the 150 communes most of the search page's rendering time."""

    def options(self):
        return self.choices

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = mark_safe(  # each value and label is escaped here
            "".join(
                f'<option value="{escape(key)}"{" selected" * (str(key) in selected)}>'
                f"{escape(label)}</option>"
                for key, label in self.options()
            )
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, options)


class ListedSelect(QuickSelect):
    """A select of options read beforehand (and cached): the model field's own
    choices, which would cost a query for each page, are not read."""

    def __init__(self, listed, **kwargs):
        super().__init__(**kwargs)
        self.listed = listed

    def options(self):
        return [("", _("All")), *self.listed]


class SuggestInput(forms.TextInput):
    """A text box for a name or a code, with a <datalist> that
    static/js/search-suggest.js fills from `source` as the visitor types."""

    input_type = "search"

    def __init__(self, source, **kwargs):
        super().__init__(**kwargs)
        self.source = source

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "maxlength": MAX_TEXT, "autocomplete": "off"}
        suggestions = f"{attrs.get('id', name)}-suggestions"
        attrs |= {"list": suggestions, "data-suggest": self.source}
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, suggestions)


class PlaceChoiceField(forms.ModelChoiceField):
    """A territory, park or commune by its code (the URL's slug or INSEE
    code, what the select sends) or, typed in the text box, its name."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            # Only an unknown code may be a name (not a NUL byte, say).
            if error.code != "invalid_choice" or len(value) > MAX_TEXT:
                raise
            named = list(self.queryset.filter(name__iexact=value.strip())[:2])
            if len(named) != 1:  # none, or several of that name
                raise
            return named[0]


class PlaceWidget(forms.Widget):
    """A <select> of every place, or a text box with suggestions when there
    are more than CHOICES_LISTED_UP_TO. Decided when rendered, from a cached
    list: the map API, which never renders the form, reads nothing."""

    def __init__(self, kind, queryset, code, **kwargs):
        super().__init__(**kwargs)
        self.kind, self.queryset, self.code = kind, queryset, code

    def listed(self):
        rows = self.queryset.order_by("name").values_list(self.code, "name")
        return list(rows[: CHOICES_LISTED_UP_TO + 1])

    def render(self, name, value, attrs=None, renderer=None):
        choices = listings_cached(f"search:choices:{self.kind}", self.listed)
        if len(choices) <= CHOICES_LISTED_UP_TO:
            widget = ListedSelect(choices, attrs=self.attrs)
        else:
            source = reverse("sites:search-suggestions", args=[self.kind])
            widget = SuggestInput(source, attrs=self.attrs)
        return widget.render(name, value, attrs, renderer)


class PlaceFilter(filters.ModelChoiceFilter):
    field_class = PlaceChoiceField

    def __init__(self, kind, *, code, queryset, **kwargs):
        super().__init__(
            to_field_name=code,
            queryset=queryset,
            empty_label=_("All"),
            widget=PlaceWidget(kind, queryset, code),
            **kwargs,
        )


class BboxField(forms.CharField):
    """`minLon,minLat,maxLon,maxLat` in WGS84, as Leaflet's `toBBoxString()`."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            numbers = [float(part) for part in value.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise ValidationError(_("Expected minLon,minLat,maxLon,maxLat."))
        west, south, east, north = numbers
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValidationError(_("The box is out of range or inverted."))
        return Polygon.from_bbox(numbers)


class BboxFilter(filters.Filter):
    field_class = BboxField

    """The plots meeting the map's view: candidates from the spatial index
    (SpatiaLite reads it only when asked, core.spatial), then the exact test,
    both in Lambert-93; a view outside Lambert-93's area finds nothing."""

    def filter(self, qs, value):
        if value is None:
            return qs
        outline = storage_outline(*value.extent)
        if outline is None:
            return qs.none()
        candidates = in_box(qs.model, "geom", outline.extent, outline.srid)
        return qs.filter(candidates).filter(geom__intersects=outline)


def within(qs, area):
    """The plots meeting `area` (Lambert-93), found through the spatial index
    on both databases (core.spatial; tests/sites/test_search_area.py reads the
    query plans), then tested exactly."""
    candidates = in_box(qs.model, "geom", area.extent, area.srid)
    return qs.filter(candidates, geom__intersects=area)


class AreaField(forms.CharField):
    """A polygon or a circle drawn on the search map (sites/areas.py)."""

    def to_python(self, value):
        value = super().to_python(value)
        return areas.area_parse(value) if value else None


class AreaFilter(filters.Filter):
    field_class = AreaField

    def filter(self, qs, value):
        return qs if value is None else within(qs, value)


class NearFilter(filters.ModelChoiceFilter):
    """Within `near_km` (a filter of its own, read here) of a commune, any of
    the dataset's: the drawn circle's keyboard twin. Always a text box with
    suggestions (thousands of communes), so rendering it reads nothing."""

    field_class = PlaceChoiceField
    DEFAULT_KM = 10

    def __init__(self, **kwargs):
        source = reverse_lazy("sites:search-suggestions", args=["near"])
        super().__init__(to_field_name="insee", widget=SuggestInput(source), **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        km = self.parent.form.cleaned_data.get("near_km") or self.DEFAULT_KM
        return within(qs, areas.circle_around(value.point, float(km) * 1000))


class SortField(BaseCSVField):
    """The sort's names, without the empty ones: `?sort=,` names no order, as
    `?sort=` does (an empty list would clear the default order, then leave
    IndexedOrdering no last order to end with the id)."""

    def clean(self, value):
        names = [name for name in super().clean(value) or [] if name]
        return names or None


class IndexedOrdering(filters.OrderingFilter):
    """Each order ends with the id, read in the direction the order's index
    (sites' migrations) stores it, so that pages never overlap and the
    database walks the index instead of sorting every match."""

    base_field_class = SortField

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if not value:
            return qs
        last = qs.query.order_by[-1]
        return qs.order_by(*qs.query.order_by, "pk" if last[0] == "-" else "-pk")


class DecimalFilter(filters.NumberFilter):
    """A figure's bound, read with a decimal comma or point (core.forms)."""

    field_class = DecimalCommaField


class OrOnRequest(DecimalFilter):
    """A bound on a value staff may leave empty ("on request"): those plots
    stay in the results, unless the visitor ticks `exclude_on_request`. An
    investor should ask about a plot whose price was not published, not miss it."""

    def filter(self, qs, value):
        if value is None:
            return qs
        bounded = Q(**{f"{self.field_name}__{self.lookup_expr}": value})
        if not self.parent.form.cleaned_data.get("exclude_on_request"):
            bounded |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(bounded)


class PowerAtLeast(OrOnRequest):
    """The park's power bound: only parks with electricity, their power given
    or on request. A park without it has no power to ask about: its page and
    the comparison say "Electricity: no", and a figure left in its power field
    is not shown there, so the search does not list it either (it was listed
    "power on request", or with a figure its pages deny). A bound of 0 asks
    for no power and still keeps every plot (sites.search's widenings count
    on it)."""

    REQUIRED = Q(park__has_power=True)  # also read by sites.search's widenings

    def filter(self, qs, value):
        if value:
            qs = qs.filter(self.REQUIRED)
        return super().filter(qs, value)


class ShownBound(DecimalFilter):
    """A bound on a figure the pages show rounded to `step` (halves up, as
    core.units.as_shown): it keeps what they show meeting it. "At least
    2.5 ha" keeps a plot of 2.4951 ha, shown 2.50 ha, and "at most 2.5 ha"
    keeps it too, but not one of 2.505 ha, shown 2.51 ha. A bound between
    two steps keeps the figures shown on its side ("at least 2.503" is a
    shown 2.51 or more). Still a range on the stored column, which its
    indexes serve."""

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step

    def kept(self, value):
        """The Q keeping the figures shown meeting the bound `value`."""
        # A figure half a step below a shown value is shown as it (halves
        # up), one half a step above it is not.
        half = self.step / 2
        if self.lookup_expr == "gte":
            lowest = value.quantize(self.step, rounding=ROUND_CEILING)
            return Q(**{f"{self.field_name}__gte": lowest - half})
        highest = value.quantize(self.step, rounding=ROUND_FLOOR)
        return Q(**{f"{self.field_name}__lt": highest + half})

    def shown(self, value):
        """`value` as the pages show it."""
        return as_shown(value, self.step)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(self.kept(value))


def number(field_name, lookup, label, maximum, filter_class=DecimalFilter, **extra):
    return filter_class(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        min_value=0,
        max_value=maximum,
        max_digits=12,
        decimal_places=4,
        **extra,
    )


def filter_is_set(value):
    """Whether a search's cleaned filter value was given. An unticked box is
    not; a bound of 0 is, though `Decimal(0) in (None, "", False)` is true
    (0 == False): a search for "at most 0" must not be read as no filter."""
    return value not in EMPTY_VALUES and value is not False


class SearchForm(forms.Form):
    def clean(self):
        # A repeated parameter is ambiguous: say so rather than pick one.
        for name in self.fields:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, _("This filter was given more than once."))
        return super().clean()


class PlotFilter(filters.FilterSet):
    surface_min = number(
        "surface_ha",
        "gte",
        _("Minimum surface (ha)"),
        MAX_HECTARES,
        ShownBound,
        step=HECTARES_SHOWN_TO,
    )
    surface_max = number(
        "surface_ha",
        "lte",
        _("Maximum surface (ha)"),
        MAX_HECTARES,
        ShownBound,
        step=HECTARES_SHOWN_TO,
    )
    organisation = PlaceFilter(
        "organisation",
        field_name="park__organisation",
        code="slug",
        queryset=Organisation.objects.members().only("slug", "name"),
        label=_("Territory"),
    )
    park = PlaceFilter(
        "park",
        code="slug",
        queryset=BusinessPark.objects.published().only("slug", "name"),
        label=_("Business park"),
    )
    commune = PlaceFilter(
        "commune",
        code="insee",
        queryset=Commune.objects.in_territory().only("insee", "name"),
        label=_("Commune"),
    )
    near = NearFilter(
        queryset=Commune.objects.only("insee", "name", "point"),
        label=_("Around the commune"),
    )
    near_km = filters.NumberFilter(
        label=_("Within (km)"),
        method="filter_nothing",  # read by `near`
        min_value=1,
        max_value=areas.MAX_RADIUS_KM,
        max_digits=4,
        decimal_places=1,
    )
    vocation = filters.ChoiceFilter(
        choices=VOCATIONS,
        method="filter_vocation",
        label=_("Target sector"),
        empty_label=_("All"),
    )
    ready_to_build = OnlyIfChecked(label=_("Ready to build (clé en main)"))
    rail = OnlyIfChecked(field_name="park__has_rail_siding", label=_("Rail siding"))
    canal = OnlyIfChecked(field_name="park__has_canal_quay", label=_("Canal quay"))
    icpe = OnlyIfChecked(field_name="icpe_allowed", label=_("ICPE accepted"))
    motorway_max_km = number(
        "park__motorway_km", "lte", _("Motorway junction within (km)"), 1_000
    )
    power_min_mva = number(
        "park__power_capacity_mva",
        "gte",
        _("Minimum electrical power (MVA)"),
        10_000,
        PowerAtLeast,
    )
    price_max = number(
        "price_per_m2",
        "lte",
        _("Price up to (€ excl. tax per m²)"),
        100_000,
        OrOnRequest,
    )
    # Read by the two filters above; filters nothing by itself.
    exclude_on_request = OnlyIfChecked(
        label=_("Exclude plots whose price or power is on request"),
        method="filter_nothing",
    )
    area = AreaFilter(label=_("Area drawn on the map"), widget=forms.HiddenInput)
    bbox = BboxFilter(
        label=_("Only in the map view"), max_length=MAX_TEXT, widget=forms.HiddenInput
    )
    sort = IndexedOrdering(
        fields=[("surface_ha", "surface"), ("updated_at", "updated")],
        field_labels={
            "surface_ha": _("Surface"),
            "updated_at": _("Last update"),
            # Lazy, unlike django-filter's own, formatted once in the language
            # active at import.
            "-surface": _("Surface (descending)"),
            "-updated": _("Last update (descending)"),
        },
        label=_("Sort by"),
        empty_label=_("Most recently updated"),
    )

    class Meta:
        form = SearchForm
        fields = []

    PLACES = ("organisation", "park", "commune", "near")
    # Filters on a park's own attributes: a park one of them keeps keeps all
    # its plots on offer, so a search on these alone can count whole parks
    # (sites.tiles reads sites.grid's counts per park).
    PARK_FILTERS = (
        "organisation",
        "park",
        "vocation",
        "rail",
        "canal",
        "motorway_max_km",
        "power_min_mva",
        "exclude_on_request",
    )
    # On their own, they change nothing of what is found.
    NEUTRAL = ("near_km", "sort")
    SURFACE = ("surface_min", "surface_max")

    def get_form_class(self):
        # django-filter builds the form's class, a field for each filter, for
        # every search; the fields are the same each time (lazy labels,
        # querysets copied with each form), so the class is built once per
        # process.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsCopiedLight(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class

    def near_circle(self):
        """The circle of `near` as "latitude,longitude,metres", for the map to
        draw ("" without one)."""
        data = getattr(self.form, "cleaned_data", {})
        if not data.get("near") or self.form.errors:
            return ""
        km = data.get("near_km") or NearFilter.DEFAULT_KM
        point = data["near"].point.transform(WGS84, clone=True)
        return f"{point.y:.5f},{point.x:.5f},{round(float(km) * 1000)}"

    def parks_only(self):
        """Whether this (valid) search filters on the parks' attributes alone."""
        return self._used() <= {*self.PARK_FILTERS, *self.NEUTRAL}

    def surface_left_out(self, plots):
        """For a (valid) search on the surface and the parks' attributes
        alone, with a surface bound: those of `plots` the bounds leave out
        (in any park). None for any other search."""
        used = self._used()
        bounds = used & set(self.SURFACE)
        if not bounds or not used <= {*self.SURFACE, *self.PARK_FILTERS, *self.NEUTRAL}:
            return None
        # What the surface filters keep, negated (the surface is never null).
        kept = Q()
        for name in bounds:
            kept &= self.filters[name].kept(self.form.cleaned_data[name])
        return plots.exclude(kept)

    def _used(self):
        """The names of the filters this (valid) search was given."""
        data = self.form.cleaned_data
        return {name for name, value in data.items() if filter_is_set(value)}

    def parks_filtered(self, queryset):
        """`queryset`, of a model with the plot's `park` key, narrowed by this
        search's park filters, as they narrow the plots."""
        data = self.form.cleaned_data
        for name in self.PARK_FILTERS:
            queryset = self.filters[name].filter(queryset, data.get(name))
        return queryset

    def filter_nothing(self, qs, name, value):
        return qs

    def filter_vocation(self, qs, name, value):
        return qs.filter(**{f"park__vocation_{value}": True})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-updated_at", "pk")
        return queryset


class _FiltersCopiedLight(dict):
    """A FilterSet's filters, which django-filter deep-copies for each search
    (each copy knows its search, `parent`): their querysets and lazy labels
    were copied too, hundreds of objects, a third of what validating a
    search cost. Nothing in a filter changes while it filters, so a shallow
    copy (with its own `extra`, which a place filter writes) is enough."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            clone = copies[name] = _copied(filter_)
            clone.extra = dict(filter_.extra)
            if filter_.method is not None:  # bound to the filter: bound again
                clone.method = filter_.method
        return copies


PlotFilter.base_filters = _FiltersCopiedLight(PlotFilter.base_filters)


class _FieldsCopiedLight(dict):
    """The search form's fields, which Django deep-copies for each form: with
    their choices' lazy labels, one by one, and a copy of each place's
    queryset (a third of building the form). A field's choices and queryset
    are only read, so each form's field gets what Field.__deepcopy__ gives
    it of its own (its widget, error messages and validators) and shares
    the rest."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, field in self.items():
            clone = copies[name] = _copied(field)
            clone.widget = _widget_copied(field.widget, memo)
            clone.error_messages = field.error_messages.copy()
            clone.validators = field.validators[:]
        return copies


def _copied(obj):
    """copy.copy(obj) for an object whose state is its __dict__ (a filter, a
    field, a widget: none has a copy method of its own), without copy's
    generic path (__reduce_ex__, copyreg): some 2 µs each, and a search
    copies some sixty of them."""
    clone = object.__new__(type(obj))
    clone.__dict__.update(obj.__dict__)
    return clone


def _widget_copied(widget, memo):
    """What Widget.__deepcopy__ and ChoiceWidget's give (their attributes,
    their choices' list of their own), through `_copied`."""
    if isinstance(widget, forms.MultiWidget):  # its widgets copied too
        return copy.deepcopy(widget, memo)
    clone = _copied(widget)
    clone.attrs = widget.attrs.copy()
    if isinstance(widget, forms.widgets.ChoiceWidget):
        clone.choices = copy.copy(widget.choices)
    return clone
