"""Project-wide endpoint: the health check."""

import functools

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@functools.lru_cache
def _redis(url):
    # One client (and its connection pool) per URL, reused by every probe.
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


@never_cache
@require_GET
def health(request):
    """200 when the database answers; Redis is reported, not required (leads
    wait in the database when it is down)."""
    status = {"database": "ok", "redis": "not configured"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        status["database"] = "down"
    if settings.REDIS_URL:
        try:
            _redis(settings.REDIS_URL).ping()
            status["redis"] = "ok"
        except redis.RedisError:
            status["redis"] = "down"
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)
