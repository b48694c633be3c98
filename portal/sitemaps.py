"""sitemap.xml: every published page, in each language, with its alternates."""

from django.urls import reverse

from ambassadors.models import Ambassador
from core.links import SiteUrlSitemap
from sites.models import BusinessPark, Organisation, Plot
from stories.sitemaps import SITEMAPS as EDITORIAL_SITEMAPS


class PortalSitemap(SiteUrlSitemap):
    i18n = True
    alternates = True


class PagesSitemap(PortalSitemap):
    def items(self):
        return [
            "portal:home",
            "sites:search",
            "ambassadors:list",
            "legal:notice",
            "legal:accessibility",
            "leads:privacy",
        ]

    def location(self, item):
        return reverse(item)


class PlotsSitemap(PortalSitemap):
    def items(self):
        return Plot.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, plot):
        return plot.updated_at


class ParksSitemap(PortalSitemap):
    def items(self):
        return (
            BusinessPark.objects.published().only("slug", "updated_at").order_by("pk")
        )

    def lastmod(self, park):
        return park.updated_at


class OrganisationsSitemap(PortalSitemap):
    def items(self):
        return Organisation.objects.only("slug").order_by("pk")

    def location(self, organisation):
        return reverse("sites:organisation", args=[organisation.slug])


class AmbassadorsSitemap(PortalSitemap):
    def items(self):
        return Ambassador.objects.published().only("slug").order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "plots": PlotsSitemap,
    "parks": ParksSitemap,
    "organisations": OrganisationsSitemap,
    "ambassadors": AmbassadorsSitemap,
    **EDITORIAL_SITEMAPS,
}
