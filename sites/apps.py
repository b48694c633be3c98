from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    # Label "sites" is ours: django.contrib.sites is deliberately not installed.
    name = "sites"
    verbose_name = _("Land and business parks")

    def ready(self):
        from .spatialite import spatial_indexes_restore

        post_migrate.connect(spatial_indexes_restore, sender=self)
