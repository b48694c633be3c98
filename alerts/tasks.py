from celery import shared_task

from . import services


@shared_task
def alerts_digest_task():
    return services.alerts_digest_send()


@shared_task
def alerts_purge_task():
    return services.alerts_purge()
