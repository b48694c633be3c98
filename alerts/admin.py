from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_input import CheckedInputAdmin
from sites.staff import PmaOnlyAdmin, ReadOnlyAdmin

from .models import Subscription


class StoppedFilter(admin.SimpleListFilter):
    title = _("stopped")
    parameter_name = "stopped"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stopped_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(stopped_at=None)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(
    CheckedInputAdmin, ReadOnlyAdmin, PmaOnlyAdmin, admin.ModelAdmin
):
    """Investors' addresses across the territory: the PMA's (superusers and
    its staff), never an agglomeration's, and read-only: alerts end by the
    unsubscribe link, the purge or leads_export_person --erase."""

    list_display = [
        "email",
        "language",
        "confirmed_at",
        "digest_day",
        "refusals",
        "stopped_at",
        "last_refusal",
    ]
    list_filter = [StoppedFilter, "language", "confirmed_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    # Not the key (it signs the links) nor the announced plots (a select
    # of every plot).
    fields = [
        "email",
        "query",
        "language",
        "created_at",
        "renewed_at",
        "confirmed_at",
        "digest_day",
        "refusals",
        "last_refusal",
        "stopped_at",
    ]
