"""Absolute links, all built from settings.SITE_URL.

Emails have no request to take a host from, and a page's canonical, sharing and
sitemap links must name the public address whatever Host header or proxy
brought the request in: one helper, so no link is ever built another way.
"""

from email.utils import make_msgid
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language


def absolute_url(path):
    """SITE_URL + `path` (a site-relative path such as reverse() gives).

    An address that is already absolute (a CDN's, a partner's) is returned as is.
    """
    path = str(path)
    if urlsplit(path).scheme in ("http", "https"):
        return path
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{settings.SITE_URL}{path}"


def reverse_kept(name, *args):
    """reverse(name, args=args), remembered per process for the active
    language, URLconf and script prefix: reversing costs some 10 µs, for
    an address that never changes while the process runs (the links a
    page builds for each visitor, such as the units switch's)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, args, get_language(), urlconf, get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(name, args, language, urlconf, prefix):
    return reverse(name, args=args, urlconf=urlconf)


def message_id(of=None):
    """A Message-ID on the portal's own domain. Django's default names the
    machine (a container id, or "localhost"), which tells recipients nothing and
    shows our infrastructure.

    `of` names what the message is (e.g. "lead-12-notification-fr"): each
    sending of it then carries the same Message-ID. A server that drops the
    connection after it had the message, before its "250 OK", leaves the
    sender no way to know it was accepted, so it is sent again (RFC 5321's
    duplicate rather than a loss), and the reader's mail system can tell the
    copy for the same message. Keyed with SECRET_KEY: another deployment's
    message of the same name has another Message-ID."""
    domain = urlsplit(settings.SITE_URL).hostname
    if of is None:
        return make_msgid(domain=domain)
    digest = salted_hmac("core.links.message_id", of).hexdigest()[:32]
    return f"<{digest}@{domain}>"


class SiteUrlSitemap(Sitemap):
    """A sitemap whose <loc> and alternates are on SITE_URL, not the request's host.

    Its x-default is the LANGUAGE_FOR_OTHERS version, as in the pages' links
    (core.templatetags.languages), not Django's unprefixed address, which
    redirects by the browser's language.
    """

    x_default = False  # Django's; ours is added by get_urls()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            others = [
                alternate
                for alternate in url.get("alternates", ())
                if alternate["lang_code"] == settings.LANGUAGE_FOR_OTHERS
            ]
            url["alternates"] += [
                {"location": alternate["location"], "lang_code": "x-default"}
                for alternate in others
            ]
        return urls

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc
