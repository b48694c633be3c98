from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public shell: home page, sitemaps, robots.txt, legal pages, demo."""

    name = "portal"
