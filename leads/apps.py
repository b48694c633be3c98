from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Investor leads")

    def ready(self):
        from sites.staff import developer_permissions_add

        from .tokens import form_slots_register

        # Notes are added, never changed or deleted (leads.admin.LeadNoteInline).
        developer_permissions_add(
            "leads", ["view_lead", "change_lead", "view_leadnote", "add_leadnote"]
        )
        form_slots_register()
