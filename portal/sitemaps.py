"""The sitemap: an index (/sitemap.xml) of bounded pages, every published page
in each language with its alternates.

The few pages of fixed size (the portal's own pages, organisations, stories...)
are Django sitemaps, one page each. Parks and plots can number a million: their
pages are ranges of primary keys (`PAGE_SIZE` keys each), from the range
holding the first published listing to the one holding the last, read by an
indexed range query for two columns and written as text without a reverse()
per link: a page costs the same at 100 listings and at a million, and the
index two queries that stop at their first row. Finding which ranges hold a
listing, or their latest change, would read the whole table (2.5 s at a
million plots on PostGIS), so the index gives no date for these pages (their
URLs have theirs) and a range left empty by deletions is an empty page.
"""

from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from ambassadors.models import Ambassador
from core.links import SiteUrlSitemap, absolute_url
from sites.models import BusinessPark, Organisation, Plot
from stories.sitemaps import SITEMAPS as EDITORIAL_SITEMAPS

# Listings per page: each gives one <url> per language, so 15,000 URLs a page,
# well under the protocol's 50,000 (and 50 MB), and quick to write.
PAGE_SIZE = 5000
# Lines written at once by the streamed listing pages.
_CHUNK = 500


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


class OrganisationsSitemap(PortalSitemap):
    def items(self):
        return Organisation.objects.only("slug").order_by("pk")

    def location(self, organisation):
        return reverse("sites:organisation", args=[organisation.slug])


class AmbassadorsSitemap(PortalSitemap):
    def items(self):
        return Ambassador.objects.published().only("slug").order_by("pk")


# Sections of a known, small size: Django's sitemap view serves them.
SITEMAPS = {
    "pages": PagesSitemap,
    "organisations": OrganisationsSitemap,
    "ambassadors": AmbassadorsSitemap,
    **EDITORIAL_SITEMAPS,
}


class ListingPages:
    """A table of listings cut into pages of `PAGE_SIZE` primary keys."""

    def __init__(self, url_name, published):
        self.url_name = url_name
        self.published = published  # a callable: the published queryset

    def pages(self):
        """The page numbers from the first published listing's to the last's."""
        keys = self.published().values_list("pk", flat=True)
        first = keys.order_by("pk").first()
        if first is None:
            return range(0)
        last = keys.order_by("-pk").first()
        return range(first // PAGE_SIZE, last // PAGE_SIZE + 1)

    def rows(self, page):
        """(slug, updated_at) of the page's listings, by primary key."""
        low = page * PAGE_SIZE
        return list(
            self.published()
            .filter(pk__gte=low, pk__lt=low + PAGE_SIZE)
            .order_by("pk")
            .values_list("slug", "updated_at")
        )

    def links(self):
        """Each language's address of a listing, as text around its slug:
        (language, prefix, suffix), the reverse() done once per page."""
        placeholder = "slug-placeholder"
        links = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                path = reverse(self.url_name, args=[placeholder])
            prefix, suffix = absolute_url(path).split(placeholder)
            links.append((code, escape(prefix), escape(suffix)))
        return links


LISTINGS = {
    "parks": ListingPages("sites:park", BusinessPark.objects.published),
    "plots": ListingPages("sites:plot", Plot.objects.published),
}

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def urlset(links, rows):
    """The page's text in chunks, as Django's sitemap template writes it: one
    <url> per listing and language, each with every language's alternate and
    the x-default: the LANGUAGE_FOR_OTHERS version, as core.links says."""
    alternates = list(links)
    alternates += [
        ("x-default", prefix, suffix)
        for code, prefix, suffix in links
        if code == settings.LANGUAGE_FOR_OTHERS
    ]
    yield _HEAD
    for start in range(0, len(rows), _CHUNK):
        lines = []
        for slug, updated_at in rows[start : start + _CHUNK]:
            slug = quote(slug)
            day = timezone.localtime(updated_at).date().isoformat()
            tail = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" '
                f'href="{prefix}{slug}{suffix}"/>'
                for code, prefix, suffix in alternates
            )
            lines.extend(
                f"<url><loc>{prefix}{slug}{suffix}</loc>"
                f"<lastmod>{day}</lastmod>{tail}</url>\n"
                for _code, prefix, suffix in links
            )
        yield "".join(lines)
    yield "</urlset>\n"
