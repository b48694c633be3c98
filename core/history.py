"""Who changed what and when on parks, plots and leads, in the admin
(django-simple-history).

The history list and a version's page go through the admin's own permission
checks, so `OrganisationScopedAdmin` bounds them as it bounds the change view.
Reverting needs one more check: a version may name a park of the user's
organisation while the object has since moved to another one.

Changes read as staff read the change form: choice labels rather than stored
codes, dates in the staff member's language and time zone, "—" for nothing.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def _deleted(model):
    # simple-history reads an empty foreign key as a deleted object without pk.
    return _("deleted user") if model is get_user_model() else _("no longer exists")


def readable(field, value):
    """A field's value as the change form would show it, in the active language."""
    if isinstance(value, DeletedObject):
        return EMPTY if value.pk is None else _deleted(value.model)
    if value is None or value == "" or value == []:
        return EMPTY
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return number_format(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


class ReadableChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return readable(self.model._meta.get_field(change.field), value)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """Mix in after OrganisationScopedAdmin."""

    object_history_template = "admin/history.html"
    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = unquote(object_id)
        exists = self.model._default_manager.filter(pk=pk).exists()
        if exists and not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
