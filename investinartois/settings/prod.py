"""Production: every value that matters comes from the environment, or it fails."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from core.staticfiles import static_file_headers
from investinartois.env import (
    env,
    env_bool,
    env_int,
    env_list,
    redis_database,
    redis_paired,
    site_address,
)

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Django's own measure of a key that could be guessed (check --deploy only
# warns): it signs sessions, the contact form's time trap and alert links.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY must be 50 or more random characters in production."
    )
# base.py already read these; here they must be set, not defaulted.
env("DATABASE_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env("ALLOWED_HOSTS")]
if "*" in ALLOWED_HOSTS:
    # Any Host header accepted: links built from it (password resets) could
    # point elsewhere.
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts, not '*'.")
# Leads and alerts are sent by SMTP through leads.mail, which records the
# recipients a server refuses; a console, file or memory backend would mark
# a lead sent when nothing left.
if EMAIL_BACKEND != "leads.mail.EmailBackend":  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be left unset in production (leads.mail.EmailBackend)."
    )
REDIS_URL = env("REDIS_URL")
# Links in emails and feeds: without it they would point at a developer's
# machine. HTTPS only (HSTS below), on a host this deployment answers to.
SITE_URL = site_address(env("SITE_URL"))
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must start with https:// in production.")
if not validate_host(urlsplit(SITE_URL).hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured("SITE_URL's host must be one of ALLOWED_HOSTS.")
# Persistent connections: opening one per request costs more than most pages.
# Copies: base's dicts are the ones django.conf.settings holds when this module
# is loaded again in a running process (tests/test_security.py).
DATABASES = {alias: dict(db) for alias, db in DATABASES.items()}  # noqa: F405
CACHES = {alias: dict(cache) for alias, cache in CACHES.items()}  # noqa: F405
for _database in DATABASES.values():  # the primary, and any replica
    _database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    _database["CONN_HEALTH_CHECKS"] = True
# No statement runs unbounded: a request is cut by gunicorn at 30 s, its query
# at DATABASE_STATEMENT_TIMEOUT (0: none, for one-off commands such as
# migrate). PostgreSQL's JIT compiles the map's high-cost plans and adds more
# than it saves (docs/performance.md): off.
STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 20, minimum=0)
# Parallel query: starting workers costs more than most of the map's and the
# search's queries, and a parallel hash join runs its inner side in each
# process. At a million plots, filtered tiles cost PostgreSQL 1.5 to 7 times
# less CPU without it (one zoom-5 tile twice as much), which a loaded web
# server needs more than one request's speed (docs/performance.md).
PARALLEL_WORKERS = env_int("DATABASE_PARALLEL_WORKERS", 0, minimum=0)
POSTGRES_OPTIONS = (
    f"-c statement_timeout={STATEMENT_TIMEOUT * 1000} -c jit=off"
    f" -c max_parallel_workers_per_gather={PARALLEL_WORKERS}"
)
for _database in DATABASES.values():
    if "postgis" in _database["ENGINE"]:
        _database["OPTIONS"] = {
            **_database.get("OPTIONS", {}),
            "options": POSTGRES_OPTIONS,
        }
CELERY_BROKER_URL = REDIS_URL
# The cache on a database of its own (by default the broker's paired one, 0
# with 1...), whose entries may be evicted (README, Deployment); never the
# broker's.
CACHE_URL = env("CACHE_URL", redis_paired(REDIS_URL))
if redis_database(CACHE_URL) == redis_database(REDIS_URL):
    raise ImproperlyConfigured(
        "CACHE_URL must name another Redis database than REDIS_URL (the broker's)."
    )
CACHES["default"]["LOCATION"] = CACHE_URL
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_HOST = env("EMAIL_HOST")
# A relay that asks for a password is reached over TLS: without it, the
# password and every lead would cross the network in clear.
if EMAIL_HOST_PASSWORD and not (EMAIL_USE_TLS or EMAIL_USE_SSL):  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_HOST_PASSWORD is set without EMAIL_USE_TLS (STARTTLS, port 587) or "
        "EMAIL_USE_SSL (port 465): the password would be sent in clear."
    )
# Named on the login and lock-out pages: a real mailbox of the portal's team.
STAFF_SUPPORT_EMAIL = env("STAFF_SUPPORT_EMAIL")
# Production answers behind the TLS proxy (it trusts X-Forwarded-Proto below):
# with 0 trusted proxies every visitor would have the proxy's address, and one
# person's failed logins would lock everyone out.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES")
if TRUSTED_PROXIES < 1:
    raise ImproperlyConfigured(
        "TRUSTED_PROXIES must be at least 1 in production (1 with deploy/nginx.conf)."
    )

# Compressed, content-hashed static files served by the web workers themselves
# (dev and tests use runserver's and Django's own static handling).
# After the host check and the queue's shedding.
MIDDLEWARE = MIDDLEWARE.copy()  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("investinartois.middleware.queue_deadline") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# Scripts and styles are run only as the type they are sent with.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405 (files, or S3: integrations/storage.py)
    "staticfiles": {
        # whitenoise's CompressedManifestStaticFilesStorage, URLs kept.
        "BACKEND": "core.staticfiles.HashedStaticFilesStorage"
    },
}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Eligible for the browsers' preload list: investinartois.fr is HTTPS only.
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Refused here in words; logging's own refusal comes later, as a traceback.
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "investinartois.logging.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Request errors are logged with the path only, by the JSON formatter.
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}},
}
