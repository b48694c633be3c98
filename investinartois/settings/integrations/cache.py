"""The cache: Redis when REDIS_URL is set (shared by every web worker), else
in-process memory, so the embedded setup still needs no server."""

from investinartois.env import env, env_bool, env_int

REDIS_URL = env("REDIS_URL", None)
# The cache's own Redis database. Production keeps it apart from the broker's
# (settings/prod.py): evicting cache entries under memory pressure must never
# drop a queued task, and a flood of entries must not starve the broker.
CACHE_URL = env("CACHE_URL", REDIS_URL)

if CACHE_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis outage is a miss, not a 500.
            "BACKEND": "investinartois.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "investinartois"),
            # A stuck Redis must fail a request fast, not hold a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Pages and data about the listings are invalidated when staff edit (see
# core/caching.py); this bound only covers what no edit signals, such as a
# deployment that changes a template.
LISTINGS_CACHE_SECONDS = env_int("LISTINGS_CACHE_SECONDS", 3600, minimum=1)
# Whole pages cached (core.caching.cache_listings_page); off, every request
# builds its page, as a first visit does (the benchmark's cache misses).
LISTINGS_PAGE_CACHE = env_bool("LISTINGS_PAGE_CACHE", True)
