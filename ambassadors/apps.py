from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self):
        from core.caching import shown_on_pages

        shown_on_pages(self.get_model("Ambassador"))
