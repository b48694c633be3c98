from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """The CNIG table, imports (files, dry run, admin screens), exports and the
    open data."""

    name = "exchange"
