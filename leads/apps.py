from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Investor leads")

    def ready(self):
        from sites.deletion import deletion_warning_register
        from sites.staff import developer_permissions_add

        from .selectors import listing_deletion_warnings
        from .tokens import form_slots_register

        # Notes are added, never changed or deleted (leads.admin.LeadNoteInline).
        developer_permissions_add(
            "leads", ["view_lead", "change_lead", "view_leadnote", "add_leadnote"]
        )
        # Shortlists: visits are recorded by the page, only viewed by staff.
        developer_permissions_add(
            "leads",
            [
                *(f"{a}_shortlist" for a in ("view", "add", "change", "delete")),
                *(f"{a}_shortlistplot" for a in ("view", "add", "change", "delete")),
                "view_shortlistvisit",
            ],
        )
        form_slots_register()
        # Deleting a plot or park unlinks its leads and empties it out of
        # shortlists: the admin's confirmation says how many, first.
        deletion_warning_register(listing_deletion_warnings)
