from celery import shared_task

from .opendata import open_data_write


@shared_task
def open_data_write_task():
    return open_data_write()
