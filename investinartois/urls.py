from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from ambassadors import api as ambassadors_api
from core.views import units_switch
from portal.sitemaps import SITEMAPS
from portal.views import favicon, robots_txt, sitemap_index, sitemap_listings
from sites import api as sites_api
from workspace.views import dashboard as staff_dashboard

from .staff_accounts import StaffLoginForm, password_reset_urls
from .views import health, view_on_site

# In the visitor's language, which Django has not always chosen when it fails.
handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"

admin.site.site_header = _("Invest in Artois: staff")
admin.site.site_title = "Invest in Artois"
admin.site.login_form = StaffLoginForm

urlpatterns = [
    path(
        f"{settings.ADMIN_URL}tableau-de-bord/",
        admin.site.admin_view(staff_dashboard),
        name="staff-dashboard",
    ),
    # Before the admin's own URLs, whose catch-all would answer first.
    *password_reset_urls(settings.ADMIN_URL),
    # Before the admin's own "View on site", which any staff account could
    # point at any object (reverse("admin:view_on_site") gives this address).
    path(
        f"{settings.ADMIN_URL}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="staff-view-on-site",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("health/", health, name="health"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    # One address for every language: the page it goes back to has its own.
    path("unites/<slug:units>/", units_switch, name="units"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    # Before the sections' pattern, which would take "plots-3" for a section.
    path(
        "sitemap-<slug:section>-<int:page>.xml",
        sitemap_listings,
        name="sitemap-listings",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/v1/plots.geojson", sites_api.plots, name="api-plots"),
    path("api/v1/territory.geojson", sites_api.base_layer, name="api-base-layer"),
    # Any text in z/x/y reaches the view, which answers 400 to what is not a tile.
    re_path(
        r"^api/v1/tiles/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.pbf$",
        sites_api.tile,
        name="api-tiles",
    ),
    path(
        "api/v1/ambassadors.geojson",
        ambassadors_api.ambassadors,
        name="api-ambassadors",
    ),
]
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("ambassadeurs/", include("ambassadors.urls")),
    path("", include("stories.urls")),
    path("", include("portal.legal")),
    path("", include("leads.urls")),
    path("", include("alerts.urls")),
    path("", include("sites.urls")),
    path("", include("exchange.urls")),
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
