"""Who changed what and when on parks and plots, in the admin (django-simple-history).

The history list and a version's page go through the admin's own permission
checks, so `OrganisationScopedAdmin` bounds them as it bounds the change view.
Reverting needs one more check: a version may name a park of the user's
organisation while the object has since moved to another one.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """Mix in after OrganisationScopedAdmin."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = unquote(object_id)
        exists = self.model._default_manager.filter(pk=pk).exists()
        if exists and not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
