"""Typed access to the environment, the only source of configuration."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env(name, default=_MISSING):
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return default


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    """A word of TRUE_WORDS or FALSE_WORDS; any other refused: a typo
    (`EMAIL_USE_TLS=ture`) must stop the start, not turn a protection off."""
    value = env(name, None)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false "
        "(or 1/0, yes/no, on/off)."
    )


def env_int(name, default=_MISSING, *, minimum=None):
    value = env(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number."
        ) from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more.")
    return number


def env_list(name, default=()):
    value = env(name, None)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def site_address(value, *, name="SITE_URL"):
    """The portal's public address, checked: scheme and host, nothing after.

    Emails and feeds prefix their paths with it, so a path, query, credentials
    or stray characters would corrupt every link.
    """
    example = "for example https://investinartois.fr"
    text = str(value).strip()
    if not text or any(char.isspace() or ord(char) < 32 for char in text):
        raise ImproperlyConfigured(f"{name} must be an address, {example}.")
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} has an invalid port ({example}).") from exc
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or text.endswith(("?", "#"))
    ):
        raise ImproperlyConfigured(
            f"{name} must be an absolute http(s) address without path, query or "
            f"credentials, {example}."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def redis_database(url):
    """(host, port, database number) of a redis:// address."""
    parts = urlsplit(url)
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(f"{url!r} does not name a Redis database number.")
    return parts.hostname, parts.port or 6379, int(number)


def redis_paired(url):
    """The same Redis server's paired database (0 and 1, 2 and 3... 14 and 15):
    where the cache goes by default, beside the broker's."""
    parts = urlsplit(url)
    number = redis_database(url)[2] ^ 1
    return urlunsplit(parts._replace(path=f"/{number}"))
