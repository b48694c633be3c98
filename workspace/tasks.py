from celery import shared_task

from .freshness import stale_listings_remind


@shared_task
def remind_stale_listings():
    return stale_listings_remind()
