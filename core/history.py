"""Who changed what and when on parks, plots and leads, in the admin
(django-simple-history).

The history list and a version's page go through the admin's own permission
checks, so `OrganisationScopedAdmin` bounds them as it bounds the change view.
Reverting needs one more check: a version may name a park of the user's
organisation while the object has since moved to another one.

Changes read as staff read the change form: choice labels rather than stored
codes, dates in the staff member's language and time zone, "—" for nothing.

Bulk writes (imports) record their history with `history_bulk_record`: the
rows simple-history's bulk_history_create would write, copied by the database.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"
CREATED, CHANGED = "+", "~"  # simple-history's history_type
HISTORY_BATCH = 500  # primary keys per INSERT ... SELECT


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
    def __init__(self, model, historical_record, *, geometry_text):
        super().__init__(model, historical_record)
        self.geometry_text = geometry_text

    def context_for_delta_changes(self, delta):
        # NULL and "" both read "—" (an empty text imported, then saved by the
        # admin): no change to list.
        changes = super().context_for_delta_changes(delta)
        return [c for c in changes if not c["old"] == c["new"] == EMPTY]

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, GEOSGeometry):
            return self.geometry_text(value)
        return readable(self.model._meta.get_field(change.field), value)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """Mix in after OrganisationScopedAdmin."""

    object_history_template = "admin/history.html"
    object_history_list_template = "admin/history_list.html"
    object_history_form_template = "admin/history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(
            self.model, historical_record, geometry_text=self.history_geometry_text
        )

    def history_geometry_text(self, geometry):
        """A changed geometry as the history says it: its coordinates, which
        simple-history would print (cut short), read as nothing."""
        return _("changed")

    def history_form_view_title(self, request, obj):
        # simple-history's "Revert %s" has no Dutch: Dutch staff read French.
        return _("Version of %(object)s") % {"object": obj}

    def history_view(self, request, object_id, extra_context=None):
        self._pk_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def _pk_or_404(self, object_id):
        """The primary key the address names; a 404 for one that cannot be
        (simple-history filters on it as given: "x" was a 500)."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = self._pk_or_404(object_id)
        try:
            int(version_id)
        except ValueError:
            raise Http404 from None
        exists = self.model._default_manager.filter(pk=pk).exists()
        if exists and not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404
        if not exists and not self._last_version_seen(request, pk):
            # Deleted: judged as it last was, as its history list is. An old
            # version in the staff member's scope would bring back a plot
            # moved out of it, then deleted by the organisation it went to.
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _last_version_seen(self, request, pk):
        versions = self.model.history.filter(**{self.model._meta.pk.attname: pk})
        last = versions.order_by("-history_date", "-history_id").first()
        return last is None or self.has_view_or_change_permission(
            request, last.instance
        )


def history_bulk_record(model, objs, *, history_type):
    """One history record for each of `objs` (saved instances of `model`), as
    the database now holds them: what simple-history's bulk_history_create
    writes (every tracked field, the request's user, no change reason), one
    date for the batch. The database copies each row in INSERT ... SELECT
    statements: no historical instance is built and no value (an outline)
    travels back to it, which made up half an import's writing time."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    user = history.get_default_history_user(objs[0])
    columns = [field.column for field in history.tracked_fields]
    extra = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": None,
        "history_type": history_type,
        history._meta.get_field("history_user").column: getattr(user, "pk", None),
    }
    quote = connection.ops.quote_name
    target = ", ".join(quote(name) for name in [*columns, *extra])
    selected = ", ".join([*(quote(name) for name in columns), *["%s"] * len(extra)])
    pk_column = quote(model._meta.pk.column)
    pks = [obj.pk for obj in objs]
    if None in pks:
        raise ValueError("history_bulk_record needs saved objects")
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_BATCH):
            chunk = pks[start : start + HISTORY_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({target}) "
                f"SELECT {selected} FROM {quote(model._meta.db_table)} "
                f"WHERE {pk_column} IN ({', '.join(['%s'] * len(chunk))}) "
                f"ORDER BY {pk_column}",
                [*extra.values(), *chunk],
            )
