from importlib import import_module

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings

from .freshness import stale_listings_remind

# Staff logins django-axes records (AccessLog: username, address, browser),
# kept a year for an investigation, then deleted: nothing else removes them.
STAFF_LOGINS_KEPT_DAYS = 365


@shared_task
def remind_stale_listings():
    return stale_listings_remind()


@shared_task
def staff_logins_purge():
    return AxesProxyHandler.reset_logs(age_days=STAFF_LOGINS_KEPT_DAYS)


@shared_task
def expired_sessions_clear():
    """Staff sessions past their age (Django's database sessions; visitors
    have none): Django only deletes them when asked (clearsessions)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
