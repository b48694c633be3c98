import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.history import ScopedHistoryAdmin
from sites.staff import OrganisationScopedAdmin

from . import selectors, services
from .models import INVESTOR_FIELDS, Lead, LeadNote

REQUEST_FIELDS = [*INVESTOR_FIELDS, "search", "consent_at"]
DELIVERY_FIELDS = [
    "organisation",
    "plot",
    "park",
    "recipients",
    "flags",
    "delivery_status",
    "delivery_attempts",
    "delivery_error",
    "notified_at",
    "acknowledged_at",
    "created_at",
]
CSV_COLUMNS = (
    ["id", "created_at", "status", "assignee"]
    + REQUEST_FIELDS
    + [
        "organisation",
        "plot",
        "park",
        "delivery_status",
        "last_contact_at",
    ]
)


def csv_cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EMPTY = "—"


class LeadNoteInline(admin.TabularInline):
    """The lead's activity log: staff add entries; what is written stays."""

    model = LeadNote
    fields = ["created_at", "author_name", "text"]
    readonly_fields = ["created_at", "author_name"]
    extra = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False  # existing entries are shown read-only

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("author"))
    def author_name(self, note):
        # No author: written before the log existed, or the account is gone.
        author = note.author if note.pk else None
        return (author.get_full_name() or author.get_username()) if author else EMPTY


@admin.register(Lead)
class LeadAdmin(OrganisationScopedAdmin, ScopedHistoryAdmin):
    # Each organisation sees the leads routed to it; the PMA sees them all.
    organisation_path = "organisation"
    list_display = [
        "created_at",
        "company",
        "name",
        "organisation",
        "plot",
        "park",
        "status",
        "assignee",
        "delivery_status",
        "delivery_attempts",
    ]
    list_filter = [
        "status",
        "delivery_status",
        ("spam_reason", admin.EmptyFieldListFilter),
        "organisation",
        "project_type",
        "language",
        # Only the assignees of the leads in scope, not every user.
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["organisation", "plot", "park", "assignee"]
    search_fields = ["company", "name", "email"]
    date_hierarchy = "created_at"
    readonly_fields = REQUEST_FIELDS + DELIVERY_FIELDS
    fieldsets = [
        (_("Pipeline"), {"fields": ["status", "assignee", "last_contact_at"]}),
        (_("The investor's request"), {"fields": REQUEST_FIELDS}),
        (_("Routing and delivery"), {"fields": DELIVERY_FIELDS}),
    ]
    inlines = [LeadNoteInline]
    actions = ["export_csv", "deliver_again"]

    def has_add_permission(self, request):
        return False  # leads come from investors, through the form

    @admin.display(description=_("suspected spam"))
    def flags(self, lead):
        return ", ".join(lead.flag_labels) or "—"

    def save_model(self, request, obj, form, change):
        services.lead_pipeline_update(lead=obj, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is not LeadNote:
            return super().save_formset(request, form, formset, change)
        # Only new entries, written by whoever saves (an existing entry's form
        # is read-only and unchanged whatever was posted for it).
        for note in formset.save(commit=False):
            if note.pk is None:
                services.lead_note_add(
                    lead=form.instance, author=request.user, text=note.text
                )

    @admin.action(description=_("Export the selected leads as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="leads-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for lead in selectors.leads_with_relations(queryset):
            writer.writerow([csv_cell(getattr(lead, c)) for c in CSV_COLUMNS])
        return response

    @admin.action(description=_("Send again (held or failed leads)"))
    def deliver_again(self, request, queryset):
        leads = queryset.filter(delivery_status__in=services.REDELIVERABLE)
        count = sum(services.lead_redeliver(lead=lead) for lead in leads)
        self.message_user(
            request,
            ngettext("%(count)s lead queued.", "%(count)s leads queued.", count)
            % {"count": count},
            messages.INFO,
        )
