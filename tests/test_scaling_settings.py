"""Production's bounds: the cache beside (never on) the broker's Redis
database, every statement under a timeout, PostgreSQL's JIT and parallel query
off, responses compressed."""

import gzip
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.test_settings import PROD_ENV

POSTGRES = connection.vendor == "postgresql"


def prod(code, **env):
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; {code}"],
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "investinartois.settings.prod",
            **PROD_ENV,
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_the_cache_has_a_redis_database_of_its_own():
    shown = prod(
        "print(settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL)"
    )
    assert shown.stdout.split() == ["redis://redis:6379/1", "redis://redis:6379/0"]
    chosen = prod(
        "print(settings.CACHES['default']['LOCATION'])",
        CACHE_URL="redis://cache:6379/0",
    )
    assert chosen.stdout.strip() == "redis://cache:6379/0"
    for same in ("redis://redis:6379/0", "redis://redis:6379", "redis://redis/0"):
        refused = prod("settings.DEBUG", CACHE_URL=same)
        assert refused.returncode != 0
        assert "CACHE_URL must name another Redis database" in refused.stderr


def test_statements_are_bounded_and_jit_is_off():
    shown = prod("print(settings.DATABASES['default']['OPTIONS']['options'])")
    assert shown.stdout.split() == [
        "-c",
        "statement_timeout=20000",
        "-c",
        "jit=off",
        "-c",
        "max_parallel_workers_per_gather=0",
    ]
    off = prod(
        "print(settings.DATABASES['default']['OPTIONS']['options'])",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    assert "statement_timeout=0 " in off.stdout
    refused = prod("settings.DEBUG", DATABASE_STATEMENT_TIMEOUT="-1")
    assert refused.returncode != 0
    parallel = prod(
        "print(settings.DATABASES['default']['OPTIONS']['options'])",
        DATABASE_PARALLEL_WORKERS="2",
    )
    assert "max_parallel_workers_per_gather=2" in parallel.stdout.split()
    refused = prod("settings.DEBUG", DATABASE_PARALLEL_WORKERS="-1")
    assert "DATABASE_PARALLEL_WORKERS must be 0 or more" in refused.stderr


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's own settings")
def test_postgresql_cuts_a_statement_at_the_timeout():
    database = settings.DATABASES["default"]
    url = (
        f"postgis://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "c = connection.cursor(); c.execute('SHOW jit'); print(c.fetchone()[0])\n"
        "c.execute('SHOW max_parallel_workers_per_gather'); print(c.fetchone()[0])\n"
        "c.execute('SELECT pg_sleep(3)')"
    )
    result = prod(
        code,
        DATABASE_URL=url,
        DATABASE_STATEMENT_TIMEOUT="1",
    )
    assert result.stdout.split() == ["off", "0"], result.stderr
    assert "canceling statement due to statement timeout" in result.stderr


@pytest.mark.django_db
def test_pages_and_apis_are_compressed(client, demo):
    for url in (reverse("sites:search"), reverse("api-plots")):
        plain = client.get(url)
        packed = client.get(url, headers={"accept-encoding": "gzip"})
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert len(packed.content) < len(plain.content) / 3
        assert gzip.decompress(packed.content) == plain.content


S3 = {
    "MEDIA_S3_BUCKET": "portal-media",
    "MEDIA_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "MEDIA_S3_REGION": "fr-par",
    "MEDIA_S3_ACCESS_KEY_ID": "key-id",
    "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
}


def test_media_go_to_s3_compatible_storage_when_configured():
    files = prod("print(settings.STORAGES['default']['BACKEND'])")
    assert files.stdout.strip() == "django.core.files.storage.FileSystemStorage"
    shown = prod(
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])",
        **S3,
    )
    assert shown.stdout.split() == [
        "S3Storage",
        "portal-media",
        "https://s3.fr-par.scw.cloud",
        "https://s3.fr-par.scw.cloud",
    ], shown.stderr
    domain = prod(
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(s.url('photos/a.jpg'))",
        **S3,
        MEDIA_S3_CUSTOM_DOMAIN="media.investinartois.fr",
    )
    assert domain.stdout.strip() == "https://media.investinartois.fr/photos/a.jpg"


def test_a_bucket_without_its_keys_is_refused():
    for missing in ("MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY"):
        env = {k: v for k, v in S3.items() if k != missing}
        refused = prod("settings.DEBUG", **env)
        assert refused.returncode != 0
        assert f"The environment variable {missing} is required." in refused.stderr
