import csv
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_input import CheckedInputAdmin
from core.history import ScopedHistoryAdmin
from sites.models import Organisation, Plot
from sites.staff import (
    OrganisationScopedAdmin,
    in_scope,
    sees_organisation,
    staff_scope,
)

from . import selectors, services, shortlists
from .models import (
    INVESTOR_FIELDS,
    SHORTLIST_MAX_DAYS,
    SHORTLIST_MAX_PLOTS,
    Lead,
    LeadNote,
    Shortlist,
    ShortlistPlot,
    ShortlistVisit,
)

REQUEST_FIELDS = [*INVESTOR_FIELDS, "search", "consent_at"]
DELIVERY_FIELDS = [
    "organisation",
    "plot_shown",
    "park_shown",
    "recipient_addresses",
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
        "plot_name",
        "plot_reference",
        "park_name",
    ]
)
# The investor's figures as the reader writes numbers ("20 000" in French):
# the admin shows a read-only integer field ungrouped.
FIGURES_SHOWN = {
    "surface_needed_m2": "surface_needed_shown",
    "jobs_planned": "jobs_planned_shown",
}
REQUEST_SHOWN = [FIGURES_SHOWN.get(name, name) for name in REQUEST_FIELDS]


def csv_cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EMPTY = "—"


def listing_shown(listing, name_received, url_name):
    """A lead's plot or park: a link to it, or, deleted since, the name it had
    when the lead came."""
    if listing is not None:
        url = reverse(url_name, args=[listing.pk])
        return format_html('<a href="{}">{}</a>', url, listing)
    if not name_received:
        return EMPTY
    return format_html(
        "{} <em>({})</em>", name_received, _("deleted since the request")
    )


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


class LeadForm(forms.ModelForm):
    class Meta:
        # The admin reads a read-only field's help here when it is no model
        # field's (recipient_addresses shows the recipients).
        help_texts = {
            "recipient_addresses": Lead._meta.get_field("recipients").help_text
        }

    def clean_assignee(self):
        # The PMA's staff may pick any staff member; one who cannot see the
        # lead (another agglomeration's) would be given what they never find.
        assignee = self.cleaned_data["assignee"]
        lead_organisation = self.instance.organisation_id
        if assignee and not sees_organisation(assignee, lead_organisation):
            raise forms.ValidationError(
                _(
                    "This person does not see the leads of %(organisation)s: "
                    "choose one of its staff or of the PMA's."
                )
                % {"organisation": self.instance.organisation}
            )
        return assignee


class SuspectedSpamFilter(admin.SimpleListFilter):
    """Yes or no: the reason's field being 'empty' or 'not empty' was left to
    staff to read as 'no' or 'yes'."""

    title = _("suspected spam")
    parameter_name = "spam"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.flagged()
        if self.value() == "no":
            return queryset.filter(spam_reason="")
        return queryset


@admin.register(Lead)
class LeadAdmin(CheckedInputAdmin, OrganisationScopedAdmin, ScopedHistoryAdmin):
    # Each organisation sees the leads routed to it; the PMA sees them all.
    organisation_path = "organisation"
    form = LeadForm
    # The pipeline's columns first: after the plot's and park's long names,
    # they were past the right edge of a 1366 px screen.
    list_display = [
        "created_at",
        "company",
        "name",
        "status",
        "assignee",
        "organisation",
        "plot_listed",
        "park_listed",
        "delivery_status",
        "delivery_attempts",
    ]
    list_filter = [
        "status",
        "delivery_status",
        SuspectedSpamFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "project_type",
        "language",
        # Only the assignees of the leads in scope, not every user.
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["organisation", "plot", "park", "assignee"]
    # The names as received too: a lead whose plot was deleted since is
    # still found by it.
    search_fields = [
        "company",
        "name",
        "email",
        "plot__name",
        "park__name",
        "plot_name",
        "plot_reference",
        "park_name",
    ]
    date_hierarchy = "created_at"
    readonly_fields = REQUEST_SHOWN + DELIVERY_FIELDS + ["shortlist_links"]
    fieldsets = [
        (_("Pipeline"), {"fields": ["status", "assignee", "last_contact_at"]}),
        (_("The investor's request"), {"fields": REQUEST_SHOWN}),
        (_("Routing and delivery"), {"fields": DELIVERY_FIELDS}),
        (_("Shortlists"), {"fields": ["shortlist_links"]}),
    ]
    inlines = [LeadNoteInline]
    actions = ["export_csv", "deliver_again"]

    def has_add_permission(self, request):
        return False  # leads come from investors, through the form

    @admin.display(description=_("shortlists"))
    def shortlist_links(self, lead):
        # Starting one here prefills the investor, the language and the
        # organisation (ShortlistAdmin.get_changeform_initial_data).
        start = format_html(
            '<a class="button" href="{}?lead={}">{}</a>',
            reverse("admin:leads_shortlist_add"),
            lead.pk,
            _("Start a shortlist for this lead"),
        )
        existing = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("admin:leads_shortlist_change", args=[s.pk]), str(s))
                for s in lead.shortlists.all()
            ),
        )
        return format_html("{}<ul>{}</ul>", start, existing) if existing else start

    @admin.display(description=_("plot"), ordering="plot__name")
    def plot_listed(self, lead):
        return listing_shown(lead.plot, lead.plot_name, "admin:sites_plot_change")

    @admin.display(description=_("business park"), ordering="park__name")
    def park_listed(self, lead):
        return listing_shown(
            lead.park, lead.park_name, "admin:sites_businesspark_change"
        )

    @admin.display(description=_("plot"))
    def plot_shown(self, lead):
        name = lead.plot_name
        if lead.plot_reference:
            name = f"{name} ({lead.plot_reference})"
        return listing_shown(lead.plot, name, "admin:sites_plot_change")

    @admin.display(description=_("business park"))
    def park_shown(self, lead):
        return self.park_listed(lead)

    @admin.display(description=Lead._meta.get_field("surface_needed_m2").verbose_name)
    def surface_needed_shown(self, lead):
        return self._figure(lead.surface_needed_m2)

    @admin.display(description=Lead._meta.get_field("jobs_planned").verbose_name)
    def jobs_planned_shown(self, lead):
        return self._figure(lead.jobs_planned)

    def _figure(self, value):
        # Nothing given: the admin's "-", as the investor's other empty fields.
        if value is None:
            return self.get_empty_value_display()
        return number_format(value, force_grouping=True)

    @admin.display(description=Lead._meta.get_field("recipients").verbose_name)
    def recipient_addresses(self, lead):
        # Not the stored JSON list: ["dev@example.org"].
        return ", ".join(lead.recipients) or EMPTY

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


class ShortlistPlotFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        chosen = [
            form.cleaned_data["plot"]
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("plot") is not None
            and not form.cleaned_data.get("DELETE")
        ]
        if len(chosen) > SHORTLIST_MAX_PLOTS:
            raise forms.ValidationError(
                _(
                    "A shortlist holds at most %(max)s plots; this one would "
                    "hold %(count)s."
                )
                % {"max": SHORTLIST_MAX_PLOTS, "count": len(chosen)}
            )
        # Filed under an agglomeration or SIZIAF, a shortlist holds its plots
        # only: its staff, who see and edit it, could not save one holding
        # another's (the PMA's staff may pick any plot, and file it there).
        organisation = getattr(self.instance, "organisation", None)
        if organisation is None or organisation.is_metropolitan:
            return
        for form in self.forms:
            plot = form.cleaned_data.get("plot") if form.is_valid() else None
            if form.cleaned_data.get("DELETE") or plot is None:
                continue
            if plot.park.organisation_id != organisation.pk:
                form.add_error(
                    "plot",
                    _(
                        "This plot is managed by an organisation other than "
                        "the shortlist's."
                    ),
                )


class ShortlistPlotInline(admin.TabularInline):
    model = ShortlistPlot
    formset = ShortlistPlotFormSet
    fields = ["plot", "note", "position"]
    extra = 3
    max_num = SHORTLIST_MAX_PLOTS  # no blank rows offered beyond; checked in clean

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A developer picks among their organisation's plots; the PMA among all.
        if db_field.name == "plot":
            plots = Plot.objects.select_related("park").order_by("park__name", "name")
            kwargs["queryset"] = in_scope(
                plots, "park__organisation", staff_scope(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ShortlistVisitInline(admin.TabularInline):
    """When the investor opened the page or its PDF: recorded, never edited."""

    model = ShortlistVisit
    fields = ["visited_at", "kind"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShortlistForm(forms.ModelForm):
    class Meta:
        model = Shortlist
        fields = ["organisation", "lead", "investor", "language", "expires_at"]

    def clean(self):
        # The shortlist is filed under its organisation, whose staff see it
        # and its lead: a lead sent to another organisation (which the PMA's
        # staff can pick) would be shown to them.
        cleaned = super().clean()
        lead, organisation = cleaned.get("lead"), cleaned.get("organisation")
        if lead and organisation and lead.organisation_id != organisation.pk:
            self.add_error(
                "lead",
                _("This lead was sent to an organisation other than the shortlist's."),
            )
        return cleaned

    def clean_expires_at(self):
        # Only a date being set must be ahead: an expired shortlist's other
        # fields can still be edited.
        expires_at = self.cleaned_data["expires_at"]
        if "expires_at" not in self.changed_data:
            return expires_at
        now = timezone.now()
        if expires_at <= now:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if expires_at > now + timedelta(days=SHORTLIST_MAX_DAYS):
            raise forms.ValidationError(
                _(
                    "The link can be valid for a year at most; it can be "
                    "extended again later."
                )
            )
        return expires_at


@admin.register(Shortlist)
class ShortlistAdmin(CheckedInputAdmin, OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_path = "organisation"
    form = ShortlistForm
    list_display = [
        "investor",
        "organisation",
        "language",
        "expires_at",
        "state",
        "visit_count",
        "last_visit",
        "created_at",
    ]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "language"]
    list_select_related = ["organisation"]
    search_fields = ["investor"]
    fields = [
        "organisation",
        "lead",
        "investor",
        "language",
        "expires_at",
        "state",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["state", "created_by", "created_at"]
    inlines = [ShortlistPlotInline, ShortlistVisitInline]
    actions = ["revoke", "new_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(visit_count=Count("visits"), last_visit=Max("visits__visited_at"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            kwargs["queryset"] = in_scope(
                Lead.objects.all(), "organisation", staff_scope(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        scope = staff_scope(request.user)
        if isinstance(scope, Organisation):
            initial["organisation"] = scope.pk
        lead_id = request.GET.get("lead", "")
        lead = (
            in_scope(Lead.objects.all(), "organisation", scope)
            .filter(pk=lead_id)
            .first()
            if lead_id.isdigit()
            else None
        )
        if lead is not None:
            initial |= {
                "lead": lead.pk,
                "investor": lead.company or lead.name,
                "language": lead.language,
                "organisation": lead.organisation_id,
            }
        else:
            initial.pop("lead", None)
        return initial

    @admin.display(description=_("link"))
    def state(self, shortlist):
        if shortlist.pk is None:
            return _("Shown once the shortlist is saved")
        if shortlist.revoked_at:
            return _("Revoked")
        if not shortlist.is_open():
            return _("Expired")
        return _("Open")

    @admin.display(description=_("visits"), ordering="visit_count")
    def visit_count(self, shortlist):
        return shortlist.visit_count

    @admin.display(description=_("last visit"), ordering="last_visit")
    def last_visit(self, shortlist):
        return shortlist.last_visit or EMPTY

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        token = shortlists.token_issue(obj)
        super().save_model(request, obj, form, change)
        self._link_message(request, obj, shortlists.shortlist_url(obj, token))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The page and the PDF show the published plots only (shortlist_plots):
        # one the staff chose, and maybe wrote a note for, left out silently.
        hidden = (
            form.instance.items.exclude(plot__in=Plot.objects.published())
            .order_by("plot__name")
            .values_list("plot__name", flat=True)
        )
        if hidden:
            self.message_user(
                request,
                _(
                    "Not on the investor's page or PDF until they are published "
                    "(the plot and its park): %(plots)s."
                )
                % {"plots": ", ".join(hidden)},
                messages.WARNING,
            )

    def _link_message(self, request, shortlist, url):
        # The only time the link is shown: only its hash is kept.
        self.message_user(
            request,
            format_html(
                '{} <a class="shortlist-link" href="{}">{}</a>',
                _(
                    "The private link for %(investor)s (copy it now: it will not "
                    "be shown again):"
                )
                % {"investor": shortlist.investor},
                url,
                url,
            ),
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Revoke the links of the selected shortlists"),
        permissions=["change"],
    )
    def revoke(self, request, queryset):
        count = shortlists.shortlists_revoke(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)s link revoked.", "%(count)s links revoked.", count)
            % {"count": count},
            messages.INFO,
        )

    @admin.action(
        description=_("Issue a new link (the previous one stops working)"),
        permissions=["change"],
    )
    def new_link(self, request, queryset):
        # A revoked shortlist stays closed: a new one is made instead.
        for shortlist in queryset.filter(revoked_at__isnull=True):
            url = shortlists.shortlist_new_link(shortlist=shortlist)
            self._link_message(request, shortlist, url)
