"""Territory-wide content is the PMA's: agglomeration staff do not edit it."""

from sites.staff import EVERYTHING, staff_scope


class PmaOnlyAdmin:
    """Mix into a ModelAdmin: superusers and PMA staff may view and edit, no one
    else, whatever their group's permissions."""

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
