from celery import shared_task

from .grid import grid_rebuild


@shared_task(ignore_result=True)
def tile_grid_build_task():
    """The search map's cluster grid counted again (sites.grid), unless it is
    current already."""
    grid_rebuild()
