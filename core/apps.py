from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every app uses and that knows nothing of the territory: the page
    cache, the photo pipeline, WGS84 and GeoJSON, shared template tags."""

    name = "core"

    def ready(self):
        from .caching import listings_changed
        from .spatialite import spatial_indexes_restore

        # core has no models, so it is never post_migrate's sender: these run
        # after each app's migrate, and do nothing once done.
        post_migrate.connect(spatial_indexes_restore, dispatch_uid="spatial_indexes")
        # A deployment migrates: its new templates and data show at once.
        post_migrate.connect(listings_changed, dispatch_uid="listings_changed")
