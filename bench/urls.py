"""The portal's URLs plus the baselines: /bench/bare/ (served without any
middleware by bench/wsgi.py) and /bench/minimal/ (the same view through the
portal's middleware, to show what the middleware costs).

The app's patterns are spliced in, not include()d: Django refuses i18n_patterns
in an included URLconf.
"""

from unittest import mock

from django.http import HttpResponse
from django.urls import path

from investinartois.urls import urlpatterns as portal_urlpatterns
from leads import services, views


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


def lead_without_enqueue(request, slug):
    """The plot's contact form, minus the Celery enqueue: the baseline of the
    enqueue's cost. Safe with gunicorn's sync workers (one request at a time)."""
    with mock.patch.object(services, "lead_enqueue"):
        return views.plot_contact(request, slug)


urlpatterns = [
    path("bench/bare/", minimal),
    path("bench/minimal/", minimal),
    path("bench/lead-without-enqueue/<slug:slug>/", lead_without_enqueue),
    *portal_urlpatterns,
]
