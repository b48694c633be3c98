"""Settings shared by every environment; dev, test and prod import from here."""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from investinartois.env import env, env_bool, env_int, env_list, site_address

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The public address. Every absolute link (emails, sitemap, canonical and
# sharing links) is built from it by core.links.absolute_url, never
# from the request's Host: emails have no request, and a page must name the
# same address whatever host or proxy served it. Production requires it.
SITE_URL = site_address(env("SITE_URL", "http://127.0.0.1:8000"))

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "django_filters",
    "leaflet",
    "simple_history",
    "axes",
    "core",
    "sites",
    "exchange",
    "ambassadors",
    "leads",
    "alerts",
    "stories",
    "workspace",
    "portal",
]

MIDDLEWARE = [
    # First: a foreign Host is refused before anything, the caches and the
    # static files included, could answer it.
    "investinartois.middleware.host_allowed",
    # A request that waited too long for a worker is answered at once.
    "investinartois.middleware.queue_deadline",
    # A cached answer with nothing of its visitor's (a map tile, an API's
    # answer) is served here, whole, as the middleware below sent it.
    "core.caching.AnswerCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after the security headers (and whitenoise in production,
    # whose static files come compressed already): it compresses what every
    # other middleware has written. BREACH: Django masks the CSRF token anew in
    # each response and pads the gzip header with random bytes (Heal The
    # Breach), and no other secret is in a page, so every type is compressed.
    "django.middleware.gzip.GZipMiddleware",
    # The language (the path's, or the browser's for the APIs) is part of a
    # cached page's key: it is known before the page cache is asked. Ours reads
    # no session, so it needs no SessionMiddleware before it.
    "investinartois.middleware.LocaleMiddleware",
    # A cached page for an anonymous visitor is served here, as the middleware
    # below left it (core/caching.py).
    "core.caching.PageCacheMiddleware",
    "investinartois.middleware.CSPMiddleware",  # django-csp's, header built once
    "investinartois.middleware.cross_origin_resource_policy",
    "investinartois.middleware.browser_features",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Seconds a GET may have waited for a worker since the proxy passed it on
# (X-Request-Start, deploy/nginx.conf) before it is answered 503 at once: in a
# peak, the workers serve those still waiting rather than those who left.
REQUEST_QUEUE_TIMEOUT = env_int("REQUEST_QUEUE_TIMEOUT", 10, minimum=0)

# Django's cookie-then-session storage, made only when a request uses messages.
MESSAGE_STORAGE = "investinartois.messages.LazyFallbackStorage"

ROOT_URLCONF = "investinartois.urls"
# A form refused for its missing CSRF cookie: a page of the portal, translated.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Not /admin/: the first place scanners knock. A path segment and its slash
# ("gestion/"): without it the admin's pages would be "gestionlogin/".
ADMIN_URL = env("ADMIN_URL", "gestion/")
if (
    not re.fullmatch(r"(?:[A-Za-z0-9_-]+/)+", ADMIN_URL)
    or ADMIN_URL.lower() == "admin/"
):
    raise ImproperlyConfigured(
        "ADMIN_URL must be a path ending with a slash, such as 'gestion/', and "
        "not 'admin/'."
    )
WSGI_APPLICATION = "investinartois.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "investinartois.context_processors.csp_nonce",
            ],
        },
    },
]

# SpatiaLite under var/ is the embedded default: a newcomer needs no server.
# Production sets DATABASE_URL=postgis://...
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"spatialite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
# An optional read replica of it for the search, the map and the sitemap
# (core/replica.py); tests read it through the primary's connection.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", None)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# Seconds after a change when the pages are rebuilt once more, from a replica
# that has caught up by then.
DATABASE_REPLICA_LAG = env_int("DATABASE_REPLICA_LAG", 10, minimum=0)
# Debian 12 ships GDAL 3.6, which cannot block file/network access from spatial
# references. The only uploads GDAL reads are staff's zipped Shapefiles, and
# exchange/import_files.py hands it nothing but a checked .shp (magic number, its
# .prj, no links or paths out of a fresh temporary directory): never a VRT or
# a spatial reference given as a file name or URL.
# models.W040: the index of the search by surface and of the map's counts
# (sites.models, plot_surface_order) includes columns for PostgreSQL's
# index-only scans; SQLite, which cannot, builds it without them, as intended.
SILENCED_SYSTEM_CHECKS = ["gis.W001", "models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": name}
    for name in (
        "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Django's minimum length (8), refused in Dutch too.
        "investinartois.staff_accounts.MinimumLengthValidator",
        "django.contrib.auth.password_validation.CommonPasswordValidator",
        "django.contrib.auth.password_validation.NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("nl", "Nederlands")]
# For a browser asking only for languages we do not have (de, es...): read
# more widely than French by our investors, and the sitemap's and pages'
# x-default (investinartois/middleware.py, core/links.py).
LANGUAGE_FOR_OTHERS = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content translations: French is the source, and what a visitor sees when a
# text has no English or Dutch version yet.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# The open-data files, written by a background job (exchange/opendata.py): a
# local directory every web worker reads (a shared volume in docker-compose).
OPEN_DATA_ROOT = Path(env("OPEN_DATA_ROOT", VAR_DIR / "opendata"))

# Lambert-93: metric everywhere in the Artois, so areas and distances are exact
# planar computations on both database backends.
STORAGE_SRID = 2154


from investinartois.settings.integrations.alerts import *  # noqa: E402,F403
from investinartois.settings.integrations.cache import *  # noqa: E402,F403
from investinartois.settings.integrations.celery import *  # noqa: E402,F403
from investinartois.settings.integrations.csp import *  # noqa: E402,F403
from investinartois.settings.integrations.email import *  # noqa: E402,F403
from investinartois.settings.integrations.leads import *  # noqa: E402,F403
from investinartois.settings.integrations.maps import *  # noqa: E402,F403
from investinartois.settings.integrations.security import *  # noqa: E402,F403
from investinartois.settings.integrations.storage import *  # noqa: E402,F403

STORAGES = {
    "default": MEDIA_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if MEDIA_HOST:  # noqa: F405
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_HOST)  # noqa: F405
