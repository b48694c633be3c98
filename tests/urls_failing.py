"""The portal's URLs plus one view that fails, to see the 500 page in tests."""

from django.urls import path

from investinartois.urls import urlpatterns as portal


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", broken), *portal]
