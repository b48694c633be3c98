from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    # Label "sites" is ours: django.contrib.sites is deliberately not installed.
    name = "sites"
    verbose_name = _("Land and business parks")

    def ready(self):
        from .caching import listings_changed, signals_connect
        from .spatialite import spatial_indexes_restore
        from .staff import staff_groups_sync

        post_migrate.connect(spatial_indexes_restore, sender=self)
        # After every app's migrate: other apps' permissions join the group too.
        post_migrate.connect(staff_groups_sync, dispatch_uid="staff_groups_sync")
        signals_connect()
        # A deployment migrates: its new templates and data show at once.
        post_migrate.connect(listings_changed, dispatch_uid="listings_changed")
