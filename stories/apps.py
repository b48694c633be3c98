from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Sectors, success stories and innovation park")
    # Their pages are cached with the listings: sites.caching.SHOWN_MODELS
    # lists them, so that an edit shows at once.
