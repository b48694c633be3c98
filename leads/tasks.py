import logging
import random

from celery import shared_task
from django.conf import settings

from . import services
from .models import Lead

logger = logging.getLogger(__name__)


def retry_delay(retries):
    """Exponential backoff with jitter, so that retries after an outage do not
    all hit the mail server in the same second."""
    ceiling = settings.LEADS_DELIVERY_BACKOFF * 2**retries
    ceiling = min(ceiling, settings.LEADS_DELIVERY_BACKOFF_MAX)
    return random.uniform(ceiling / 2, ceiling)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.LEADS_DELIVERY_MAX_RETRIES,
)
def lead_deliver_task(self, lead_id):
    status = services.lead_deliver(lead_id=lead_id)
    if status == Lead.Delivery.PENDING and _may_retry(self, lead_id):
        raise self.retry(countdown=retry_delay(self.request.retries))
    return status


def _may_retry(task, lead_id):
    # Run in-process (no broker), a retry would block the investor's request:
    # the lead waits, pending, for the periodic job instead.
    if task.request.is_eager:
        return False
    if task.request.retries >= task.max_retries:
        logger.warning("lead %s: retries exhausted, left pending", lead_id)
        return False
    return True


@shared_task
def leads_deliver_pending_task():
    return services.leads_deliver_pending()


@shared_task
def leads_purge_task():
    return services.leads_purge(), services.shortlists_purge()


@shared_task
def leads_digest_task():
    return services.leads_digest_send()
