"""The portal's URLs plus /bench/minimal/, the baseline every page is compared to.

The app's patterns are spliced in, not include()d: Django refuses i18n_patterns
in an included URLconf.
"""

from django.http import HttpResponse
from django.urls import path

from investinartois.urls import urlpatterns as portal_urlpatterns


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *portal_urlpatterns]
