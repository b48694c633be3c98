"""sitemap.xml sections for the editorial pages (part of portal/sitemaps.py)."""

from django.urls import reverse

from core.links import SiteUrlSitemap

from .models import InnovationPark, Sector, SuccessStory


class EditorialSitemap(SiteUrlSitemap):
    i18n = True
    alternates = True


class StoryPagesSitemap(EditorialSitemap):
    """The lists and the innovation park (if published)."""

    def items(self):
        names = ["stories:sectors", "stories:stories"]
        if InnovationPark.objects.published().exists():
            names.append("stories:innovation")
        return names

    def location(self, item):
        return reverse(item)


class SectorsSitemap(EditorialSitemap):
    def items(self):
        return Sector.objects.published().only("slug").order_by("pk")


class SuccessStoriesSitemap(EditorialSitemap):
    def items(self):
        return SuccessStory.objects.published().only("slug").order_by("pk")


SITEMAPS = {
    "editorial": StoryPagesSitemap,
    "sectors": SectorsSitemap,
    "stories": SuccessStoriesSitemap,
}
