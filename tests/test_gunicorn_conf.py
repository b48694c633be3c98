"""gunicorn.conf.py, as gunicorn reads it."""

import gc
import runpy

from django.conf import settings


def test_a_worker_freezes_what_it_loaded_for_the_collector():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
