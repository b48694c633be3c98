from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin_input import CheckedInputAdmin
from core.forms import DECIMALS
from core.history import ScopedHistoryAdmin
from core.photos import PHOTO_UPLOADS
from core.units import hectares_text
from core.validators import HTTPS_URLS

from .deletion import deletion_warnings
from .drawing import OutlineAdminMixin, OutlineFormMixin
from .models import (
    BusinessPark,
    Commune,
    Contact,
    Organisation,
    ParkPhoto,
    Plot,
    PlotPhoto,
    StaffMembership,
)
from .outlines import plot_park_found
from .staff import (
    EVERYTHING,
    OrganisationScopedAdmin,
    ReadOnlyAdmin,
    may_change_in_admin,
    staff_scope,
)
from .surfaces import hectares


class ContactInline(TranslationTabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(CheckedInputAdmin, OrganisationScopedAdmin, TranslationAdmin):
    organisation_path = "pk"
    list_display = ["short_name", "name", "kind", "siren", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "siren"]
    prepopulated_fields = {"slug": ["short_name"]}
    formfield_overrides = HTTPS_URLS
    inlines = [ContactInline]

    def has_add_permission(self, request):
        return staff_scope(request.user) == EVERYTHING and super().has_add_permission(
            request
        )

    def has_delete_permission(self, request, obj=None):
        # The metropolitan pole receives the general enquiries: it stays.
        if obj is not None and obj.is_metropolitan:
            return False
        return staff_scope(
            request.user
        ) == EVERYTHING and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # An agglomeration edits its presentation and contacts, not its identity.
        if staff_scope(request.user) != EVERYTHING:
            return ("slug", "name", "short_name", "kind", "siren")
        # Once created, the slug is in published addresses and the kind decides
        # who sees everything and where general enquiries go: neither changes.
        return ("slug", "kind") if obj else ()

    def get_prepopulated_fields(self, request, obj=None):
        if obj is None and staff_scope(request.user) == EVERYTHING:
            return self.prepopulated_fields
        return {}


@admin.register(StaffMembership)
class StaffMembershipAdmin(CheckedInputAdmin, admin.ModelAdmin):
    """Only superusers say who works for which organisation."""

    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = (
        has_view_permission
    )


# Django's own admins of users and groups (the memberships' user field
# searches the users) and django-axes' (superusers only), with the same checks.
for _model, _model_admin in (
    (User, UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if not admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN off
        continue
    admin.site.unregister(_model)
    admin.site.register(
        _model,
        type(
            _model_admin.__name__,
            (CheckedInputAdmin, _model_admin),
            {"__module__": __name__},
        ),
    )


@admin.register(Commune)
class CommuneAdmin(CheckedInputAdmin, ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: communes come from the official data (import_territory)."""

    list_display = ["name", "insee", "departement", "population", "organisation"]
    list_select_related = ["organisation"]
    list_filter = ["organisation", "departement"]
    search_fields = ["name", "insee"]
    fields = [
        "insee",
        "name",
        "departement",
        "population",
        "population_year",
        "organisation",
    ]


class ParkPhotoInline(TranslationTabularInline):
    model = ParkPhoto
    extra = 0
    formfield_overrides = PHOTO_UPLOADS


class PlotPhotoInline(TranslationTabularInline):
    model = PlotPhoto
    extra = 0
    formfield_overrides = PHOTO_UPLOADS


def hectares_shown(model, name):
    """A stored surface, read-only, as the public pages write it: the admin
    wrote a plot's four stored decimals ("0,9971" where the page says
    "1 ha"), ungrouped. The field keeps them, and the column sorts by it."""

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def shown(self, listing):
        value = getattr(listing, name)
        return self.get_empty_value_display() if value is None else hectares_text(value)

    return shown


class PlotInline(admin.TabularInline):
    """The park's plots, read-only, each a link to its own page (and map)."""

    model = Plot
    fields = ["name", "surface_shown", "marketing_stage", "is_published"]
    readonly_fields = fields
    surface_shown = hectares_shown(Plot, "surface_ha")
    show_change_link = True
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geom")

    def has_add_permission(self, request, obj=None):
        return False


class OutlineHistory:
    """An outline's change in the history reads as the surfaces drawn, as the
    drawing map measures them."""

    def history_geometry_text(self, geometry):
        return f"{number_format(round(hectares(geometry), 2), 2)} ha"


class PublicPageLink:
    """The admin's "View on site": a listing's public page, or, while it (or a
    plot's park) is unpublished, its preview (sites.previews), offered to
    those who may see it, staff who may change the listing; the others would
    find a 404 there."""

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        response = super().render_change_form(
            request, context, *args, obj=obj, **kwargs
        )
        if obj is not None and not self._page_shown(request, obj):
            response.context_data.update(has_absolute_url=False, absolute_url=None)
        return response

    def _page_shown(self, request, obj):
        published = self.model.objects.published().filter(pk=obj.pk).exists()
        return published or may_change_in_admin(request, obj)


class DeletionWarnings:
    """A delete confirmation, of one listing or of the selected ones, says what
    the deletion takes from the other apps' records (sites.deletion: the leads
    and shortlists in the staff member's scope) and what to do instead: their
    links would otherwise go without a word."""

    deletion_advice = ""

    def render_delete_form(self, request, context):
        listing = context.get("object")
        if listing is not None:
            listings = self.model.objects.filter(pk=listing.pk)
            context["deletion_warnings"] = self._deletion_warnings(request, listings)
        return super().render_delete_form(request, context)

    def get_actions(self, request):
        # The admin site's own action, by its name and description, with the
        # warnings (exchange's admins set `actions` after this one).
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _action, name, description = actions["delete_selected"]
            warned = type(self).delete_selected_warned
            actions["delete_selected"] = (warned, name, description)
        return actions

    def delete_selected_warned(self, request, queryset):
        response = delete_selected(self, request, queryset)
        if response is not None:  # the confirmation, not the deletion done
            warnings = self._deletion_warnings(request, queryset)
            response.context_data["deletion_warnings"] = warnings
        return response

    def _deletion_warnings(self, request, listings):
        scope = staff_scope(request.user)
        warnings = deletion_warnings(self.model, listings, scope)
        return [*warnings, self.deletion_advice] if warnings else []


class ParkAdminForm(OutlineFormMixin, forms.ModelForm):
    """The main commune may be left empty: it is found from the perimeter."""

    outline_field = "perimeter"

    class Meta:
        model = BusinessPark
        fields = ["perimeter", "commune"]  # the admin adds its fieldsets
        # Read-only: the admin reads its help here.
        help_texts = {"surface_gross_shown": _("Measured from the perimeter.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].required = False
        self.fields["commune"].help_text = _(
            "Left empty, it is the commune holding most of the perimeter."
        )
        if "surface_usable_ha" in self.fields:
            self.fields["surface_usable_ha"].help_text = _(
                "What can be sold to companies: the gross surface less roads, "
                "green spaces and shared facilities."
            )


@admin.register(BusinessPark)
class BusinessParkAdmin(
    CheckedInputAdmin,
    DeletionWarnings,
    PublicPageLink,
    OutlineHistory,
    OrganisationScopedAdmin,
    ScopedHistoryAdmin,
    OutlineAdminMixin,
    TranslationAdmin,
    LeafletGeoAdmin,
):
    form = ParkAdminForm
    deletion_advice = _(
        "A park no longer offered is better unpublished than deleted: investors "
        "no longer see it, and its leads keep their link to it."
    )
    list_display = [
        "name",
        "organisation",
        "commune",
        "surface_gross_shown",
        "has_rail_siding",
        "is_published",
        "updated_at",
    ]
    list_select_related = ["organisation", "commune"]
    list_filter = [
        # The organisations of the parks in scope only, not every one.
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "is_published",
        "is_demo",
        "has_rail_siding",
        "has_canal_quay",
        "vocation_industry",
        "vocation_logistics",
    ]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["surface_gross_shown", "updated_at"]
    surface_gross_shown = hectares_shown(BusinessPark, "surface_gross_ha")
    inlines = [ParkPhotoInline, PlotInline]
    formfield_overrides = {**HTTPS_URLS, **DECIMALS}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "organisation",
                    "commune",
                    "description",
                    "website",
                    ("is_published", "is_demo"),
                    "updated_at",
                ]
            },
        ),
        (
            _("Perimeter and surfaces"),
            {"fields": ["perimeter", "surface_gross_shown", "surface_usable_ha"]},
        ),
        (
            _("CNIG inventory"),
            {
                "fields": [
                    ("reference", "pole_reference"),
                    ("park_type", "state"),
                    ("dominant_vocation", "urban_growth"),
                    "owner_type",
                    "identified_on",
                ]
            },
        ),
        (
            _("Target sectors"),
            {
                "fields": [
                    (
                        "vocation_industry",
                        "vocation_logistics",
                        "vocation_tertiary",
                        "vocation_crafts",
                        "vocation_commercial",
                    )
                ]
            },
        ),
        (
            _("Networks"),
            {
                "fields": [
                    ("has_drinking_water", "has_sewage", "has_gas", "has_fibre"),
                    ("has_power", "power_capacity_mva"),
                    ("has_rail_siding", "has_canal_quay"),
                ]
            },
        ),
        (
            _("Access"),
            {
                "fields": [
                    "has_public_transport",
                    ("motorway_name", "motorway_km"),
                    ("station_name", "station_km"),
                    ("freight_station_name", "freight_station_km"),
                    ("airport_name", "airport_km"),
                    ("port_name", "port_km"),
                ]
            },
        ),
    ]

    def get_changeform_initial_data(self, request):
        # A developer's new park is their organisation's: the only choice
        # offered, and a required one, left on "---------" it was refused.
        initial = super().get_changeform_initial_data(request)
        scope = staff_scope(request.user)
        if isinstance(scope, Organisation):
            initial.setdefault("organisation", scope.pk)
        return initial


class PlotAdminForm(OutlineFormMixin, forms.ModelForm):
    """Commune and park may be left empty: they are found from the outline
    (the park here, among the staff member's; the commune by Plot.clean)."""

    class Meta:
        model = Plot
        fields = ["geom", "commune", "park"]  # the admin adds its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("commune", "park"):
            self.fields[name].required = False
            self.fields[name].help_text = _(
                "If left empty, it is worked out from the outline."
            )
        # The list and the pages show the marketing stage that follows from
        # this one (codes.STAGE_OF_COMMERCIAL): which to pick for "Under option"?
        if "commercial_stage" in self.fields:
            self.fields["commercial_stage"].help_text = _(
                "Investors see 'Available' for a plot for sale (with constraints "
                "or not), 'Under option' for one reserved (by an option or a "
                "decision of the EPCI), 'Sold' for one sold, and 'Not on the "
                "market' for any other stage."
            )

    def clean(self):
        data = super().clean()
        outline = data.get("geom")
        if not data.get("park") and "park" in self.fields:
            if outline is not None:
                data["park"] = self._park_found(outline)
            else:
                # No outline to find it from (the outline's field says why):
                # the plot keeps its park meanwhile, whose organisation the
                # admin checks the staff member's rights against.
                data.pop("park", None)
        return data

    def _park_found(self, outline):
        park = plot_park_found(outline, self.fields["park"].queryset)
        if park is None:
            other = plot_park_found(
                outline, BusinessPark.objects.select_related("organisation")
            )
            self.add_error(
                "park",
                _(
                    "This outline lies in a park of %(organisation)s, not in one "
                    "of yours."
                )
                % {"organisation": other.organisation.short_name}
                if other
                else _("No park of yours holds this outline: choose one."),
            )
        return park


@admin.register(Plot)
class PlotAdmin(
    CheckedInputAdmin,
    DeletionWarnings,
    PublicPageLink,
    OutlineHistory,
    OrganisationScopedAdmin,
    ScopedHistoryAdmin,
    OutlineAdminMixin,
    TranslationAdmin,
    LeafletGeoAdmin,
):
    organisation_path = "park__organisation"
    form = PlotAdminForm
    deletion_advice = _(
        "A plot no longer on offer is better kept than deleted: set its "
        "marketing stage to sold or not marketed, or unpublish it. Investors "
        "then see it as such, or no longer see it, and its leads and "
        "shortlists keep their link to it."
    )
    # Stage and publication before the rest: after the park's long name they
    # were past the right edge of a 1366 px screen.
    list_display = [
        "name",
        "park",
        "marketing_stage",
        "is_published",
        "organisation",
        "commune",
        "surface_shown",
        "ready_to_build",
        "updated_at",
    ]
    list_select_related = ["park__organisation", "commune"]
    list_filter = [
        ("park__organisation", admin.RelatedOnlyFieldListFilter),
        ("park", admin.RelatedOnlyFieldListFilter),
        "marketing_stage",
        "commercial_stage",
        "development_stage",
        "ready_to_build",
        "is_published",
        "is_demo",
    ]
    search_fields = ["name", "reference", "park__name", "commune__name"]
    autocomplete_fields = ["park", "commune"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["computed_surface_shown", "surface_shown", "updated_at"]
    computed_surface_shown = hectares_shown(Plot, "computed_surface_ha")
    surface_shown = hectares_shown(Plot, "surface_ha")
    inlines = [PlotPhotoInline]
    formfield_overrides = DECIMALS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "reference",
                    "park",
                    "commune",
                    "description",
                    ("is_published", "is_demo"),
                    "updated_at",
                ]
            },
        ),
        (
            _("Outline and surface"),
            {
                "fields": [
                    "geom",
                    ("computed_surface_shown", "cadastral_surface_ha", "surface_shown"),
                ]
            },
        ),
        (
            _("Marketing"),
            {
                "fields": [
                    ("commercial_stage", "development_stage"),
                    "ready_to_build",
                    ("is_divisible", "minimum_lot_ha"),
                    "price_per_m2",
                ]
            },
        ),
        (
            _("Planning rules"),
            {"fields": ["zoning", ("icpe_allowed", "seveso_allowed")]},
        ),
        (
            _("CNIG inventory"),
            {
                "fields": [
                    ("land_owner", "occupation", "land_use"),
                    "cadastral_refs",
                    "identified_on",
                ]
            },
        ),
    ]

    @admin.display(description=_("organisation"), ordering="park__organisation")
    def organisation(self, plot):
        return plot.park.organisation

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_published and not obj.park.is_published:
            message = _(
                "This plot is published, but the portal shows it only once its "
                "park, %(park)s, is published too."
            )
            self.message_user(request, message % {"park": obj.park}, messages.WARNING)
