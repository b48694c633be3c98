"""Typed access to the environment, the only source of configuration."""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env(name, default=_MISSING):
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return default


def env_bool(name, default=False):
    value = env(name, None)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(env(name, default))


def env_list(name, default=()):
    value = env(name, None)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
