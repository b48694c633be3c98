from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Sectors, success stories and innovation park")

    def ready(self):
        from core.caching import shown_on_pages

        shown_on_pages(
            *(
                self.get_model(name)
                for name in (
                    "Sector",
                    "SuccessStory",
                    "InnovationPark",
                    "InnovationSite",
                )
            )
        )
