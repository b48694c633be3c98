"""The pages a French public body's site must have: legal notice and
accessibility statement (the privacy notice is the leads app's)."""

from django.shortcuts import render
from django.urls import path

from core.caching import cache_listings_page


def page(template):
    @cache_listings_page
    def view(request):
        return render(request, template)

    return view


app_name = "legal"
urlpatterns = [
    path("mentions-legales/", page("legal/notice.html"), name="notice"),
    path("accessibilite/", page("legal/accessibility.html"), name="accessibility"),
]
