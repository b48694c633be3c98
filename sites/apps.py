from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    # Label "sites" is ours: django.contrib.sites is deliberately not installed.
    name = "sites"
    verbose_name = _("Land and business parks")

    def ready(self):
        from core.caching import listings_followed_by, shown_on_pages

        from .grid import REBUILD_DELAY
        from .selectors import KEY_FIGURES_DELAY
        from .staff import staff_groups_sync
        from .tasks import key_figures_task, tile_grid_build_task

        # After every app's migrate: other apps' permissions join the group too.
        post_migrate.connect(staff_groups_sync, dispatch_uid="staff_groups_sync")
        # The search map's cluster grid follows the listings (sites.grid).
        listings_followed_by(tile_grid_build_task, delay=REBUILD_DELAY)
        # The key figures too, before the home or a search sums the table.
        listings_followed_by(key_figures_task, delay=KEY_FIGURES_DELAY)
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
