"""The portal's URLs plus one view that fails, to see the 500 page in tests:
at /boom/ and under each language's prefix (/en/boom/)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from investinartois.urls import handler400, handler500  # noqa: F401
from investinartois.urls import urlpatterns as portal


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", broken), *i18n_patterns(path("boom/", broken)), *portal]
