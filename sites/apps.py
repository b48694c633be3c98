from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    # Label "sites" is ours: django.contrib.sites is deliberately not installed.
    name = "sites"
    verbose_name = _("Land and business parks")

    def ready(self):
        from core.caching import listings_committed_subscribe, shown_on_pages

        from .grid import grid_rebuild_soon
        from .selectors import key_figures_soon
        from .staff import staff_groups_sync

        # After every app's migrate: other apps' permissions join the group too.
        post_migrate.connect(staff_groups_sync, dispatch_uid="staff_groups_sync")
        # The search map's cluster grid follows the listings (sites.grid).
        listings_committed_subscribe(grid_rebuild_soon)
        # The key figures too, before the home or a search sums the table.
        listings_committed_subscribe(key_figures_soon)
        shown_on_pages(
            *(
                self.get_model(name)
                for name in (
                    "Organisation",
                    "Contact",
                    "Commune",
                    "BusinessPark",
                    "Plot",
                    "ParkPhoto",
                    "PlotPhoto",
                )
            )
        )
