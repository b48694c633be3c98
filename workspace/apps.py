from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The staff side: the dashboard, the stale-listing reminders, and what
    reads across apps for staff."""

    name = "workspace"
