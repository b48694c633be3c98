from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Sectors, success stories and innovation park")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sites.caching import listings_changed

        # Their pages are cached with the listings: an edit must show at once.
        for model in self.get_models():
            for signal in (post_save, post_delete):
                signal.connect(
                    listings_changed, sender=model, dispatch_uid=model._meta.label
                )
