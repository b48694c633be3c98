from celery import shared_task

from core.caching import listings_follower_started

from .grid import grid_rebuild
from .selectors import key_figures


@shared_task(ignore_result=True)
def tile_grid_build_task():
    """The search map's cluster grid counted again (sites.grid), unless it is
    current already."""
    listings_follower_started(tile_grid_build_task)
    grid_rebuild()


@shared_task(ignore_result=True)
def key_figures_task():
    """The key figures computed for the current listings (sites.selectors),
    before a home or a search asks for them."""
    listings_follower_started(key_figures_task)
    key_figures()
