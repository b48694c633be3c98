"""Who manages what: each staff user works for one organisation.

Staff of CABBALR, CALL, CAHC and SIZIAF manage only their own listings and leads;
staff of the PMA (and superusers) manage everything. The admin classes get this
from `OrganisationScopedAdmin`, on every path: change lists, change, delete and
history views, autocomplete, bulk actions and foreign-key choices.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist

from .models import BusinessPark, Organisation, Plot, StaffMembership

EVERYTHING = "everything"

# How to reach the managing organisation from each model a form may point to.
ORGANISATION_PATHS = {
    Organisation: "pk",
    BusinessPark: "organisation",
    Plot: "park__organisation",
}


def staff_scope(user):
    """EVERYTHING, the user's Organisation, or None (nothing at all)."""
    if user.is_superuser:
        return EVERYTHING
    try:
        membership = user.membership
    except StaffMembership.DoesNotExist:
        return None
    return EVERYTHING if membership.sees_everything else membership.organisation


def sees_organisation(user, organisation_id):
    """Whether `user` manages what organisation `organisation_id` does (its
    own staff; the PMA's and superusers manage every organisation's)."""
    scope = staff_scope(user)
    return scope == EVERYTHING or getattr(scope, "pk", None) == organisation_id


def may_change_in_admin(request, obj):
    """Whether the staff member of `request` may change `obj` in the admin:
    asked of the admin itself (its site's access, then the model's
    `has_change_permission`, scoped by OrganisationScopedAdmin), so that what
    the portal lets staff do outside the admin follows the same rules."""
    site = admin.site
    if not site.is_registered(type(obj)) or not site.has_permission(request):
        return False
    return site.get_model_admin(type(obj)).has_change_permission(request, obj)


def organisation_id_of(obj, path):
    """The id of the organisation managing `obj`; None when the way to it is
    gone (a deleted plot's version, whose park was deleted since): then only
    those who manage everything do."""
    *relations, last = path.split("__")
    try:
        for relation in relations:
            obj = getattr(obj, relation)
    except ObjectDoesNotExist:
        return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


def in_scope(queryset, path, scope):
    if scope == EVERYTHING:
        return queryset
    if scope is None:
        return queryset.none()
    return queryset.filter(**{path: scope.pk})


class OrganisationScopedAdmin:
    """Mix into a ModelAdmin, and set `organisation_path` for its model."""

    organisation_path = "organisation"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return in_scope(queryset, self.organisation_path, staff_scope(request.user))

    def owns(self, request, obj):
        if obj is None:
            return staff_scope(request.user) is not None
        organisation_id = organisation_id_of(obj, self.organisation_path)
        return sees_organisation(request.user, organisation_id)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.owns(request, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self.owns(request, None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = ORGANISATION_PATHS.get(db_field.related_model)
        if path is not None:
            queryset = kwargs.get("queryset", db_field.related_model._default_manager)
            kwargs["queryset"] = in_scope(
                queryset.all(), path, staff_scope(request.user)
            )
        elif db_field.related_model is get_user_model():
            kwargs["queryset"] = staff_of_same_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def staff_of_same_scope(user):
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    scope = staff_scope(user)
    return in_scope(staff, "membership__organisation", scope)


# The economic developers' permissions; PMA staff get the same, and see more.
# Other apps add theirs from their AppConfig.ready() (developer_permissions_add).
DEVELOPER_GROUP = "Développement économique"
DEVELOPER_PERMISSIONS = {
    "sites": [
        "view_organisation",
        "change_organisation",
        "view_contact",
        "add_contact",
        "change_contact",
        "delete_contact",
        "view_commune",
        "view_businesspark",
        "add_businesspark",
        "change_businesspark",
        "view_plot",
        "add_plot",
        "change_plot",
        "delete_plot",
        "view_parkphoto",
        "add_parkphoto",
        "change_parkphoto",
        "delete_parkphoto",
        "view_plotphoto",
        "add_plotphoto",
        "change_plotphoto",
        "delete_plotphoto",
    ],
}


def developer_permissions_add(app_label, codenames):
    DEVELOPER_PERMISSIONS.setdefault(app_label, []).extend(codenames)


def staff_groups_sync(**kwargs):
    """Create or refresh the staff group after each migrate (permissions exist
    by then)."""
    group, _ = Group.objects.get_or_create(name=DEVELOPER_GROUP)
    permissions = [
        permission
        for app_label, codenames in DEVELOPER_PERMISSIONS.items()
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    ]
    group.permissions.set(permissions)


class ReadOnlyAdmin:
    """Mix in first: rows shown, never added, changed or deleted in the admin
    (they come from elsewhere: official data, a person's own links)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PmaOnlyAdmin:
    """Territory-wide content is the PMA's: mix into a ModelAdmin, and only
    superusers and PMA staff may view and edit, whatever their group's
    permissions."""

    def _is_pma(self, request):
        user = request.user
        return user.is_active and user.is_staff and staff_scope(user) == EVERYTHING

    def has_module_permission(self, request):
        return self._is_pma(request)

    def has_view_permission(self, request, obj=None):
        return self._is_pma(request)

    def has_add_permission(self, request, *args):
        return self._is_pma(request)

    def has_change_permission(self, request, obj=None):
        return self._is_pma(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_pma(request)
