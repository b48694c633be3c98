import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process even when REDIS_URL is set: the tests that need a real
# broker or worker switch this off themselves (tests/leads/).
CELERY_TASK_ALWAYS_EAGER = True
# This run's own cache keys (tests/conftest.py empties them before each test):
# the benchmark, Celery and other test runs may share the Redis database.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
# SpatiaLite's test database in memory, one per pytest-xdist worker: named,
# pytest-xdist would give each worker a file under a path built from NAME.
if DATABASES["default"]["ENGINE"].endswith("spatialite"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
