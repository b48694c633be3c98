from celery import shared_task

from .grid import grid_rebuild
from .selectors import key_figures_refresh


@shared_task(ignore_result=True)
def tile_grid_build_task():
    """The search map's cluster grid counted again (sites.grid), unless it is
    current already."""
    grid_rebuild()


@shared_task(ignore_result=True)
def key_figures_task():
    """The key figures computed for the current listings (sites.selectors),
    before a home or a search asks for them."""
    key_figures_refresh()
