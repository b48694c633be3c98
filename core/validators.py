"""Web addresses: only http(s) links are accepted, and only they are shown."""

from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models

# Only links a browser follows as pages: no javascript:, data: or ftp: URLs.
HTTP_URL = URLValidator(schemes=["http", "https"])

# For an admin's formfield_overrides: typed without a scheme, a web address
# means https (Django 6.0's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def http_url(value):
    """The URL if it is an http(s) one, else "": a link field edited past its
    validator (an update in the shell, an import) never becomes a
    `javascript:` link."""
    value = str(value or "").strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else ""
