from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Search alerts")

    def ready(self):
        from core.personal_data import holder_register

        from .models import Subscription
        from .services import person_erase

        # Exported and erased with the leads (leads_export_person).
        holder_register(
            "alert(s)",
            objects=lambda email: list(Subscription.objects.of_person(email)),
            erase=lambda email: person_erase(email=email),
        )
