"""The portal's URLs plus one view saying what the app sees of the request
behind the proxies: whether it came by HTTPS, and the client's address."""

from django.http import JsonResponse
from django.urls import path

from core.network import client_ip
from investinartois.urls import urlpatterns as portal


def seen(request):
    return JsonResponse({"secure": request.is_secure(), "client": client_ip(request)})


urlpatterns = [path("seen/", seen), *portal]
