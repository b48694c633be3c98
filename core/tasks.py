from celery import shared_task


@shared_task(ignore_result=True)
def listings_version_bump():
    """The listings version bumped again once a replica has caught up
    (core.replica): what was cached from its older rows meanwhile is dropped."""
    from .caching import _version_bump

    _version_bump()
