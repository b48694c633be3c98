"""Project-wide endpoints: the health check, the admin's "View on site"."""

import functools

import redis
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@functools.lru_cache
def _redis(url):
    # One client (and its connection pool) per URL, reused by every probe.
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


@never_cache
@require_safe  # a monitor may ask with HEAD
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


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" (`admin:view_on_site`) for what the staff
    member may see in the admin only. Django's own redirected any object's id
    to its page, whose address names it: another organisation's unpublished
    plot or park included."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    obj = model_admin.get_object(request, str(object_id))
    if obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
