import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from investinartois.env import env_bool, site_address

PROD_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "investinartois.fr",
    "DATABASE_URL": "postgis://portal@db/portal",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://investinartois.fr",
    "TRUSTED_PROXIES": "1",
    "STAFF_SUPPORT_EMAIL": "support@investinartois.fr",
}


class Loaded(NamedTuple):
    returncode: int
    stderr: str


def load_prod_settings(env):
    """The production settings run afresh under `env` alone, as a new process
    would run them: the settings package is imported again with only these
    variables set (a process started for each case cost about a second)."""
    package = "investinartois.settings"
    saved = {n: m for n, m in sys.modules.items() if n.startswith(package)}
    for name in saved:
        del sys.modules[name]
    try:
        with mock.patch.dict(os.environ, env, clear=True):
            importlib.import_module(f"{package}.prod")
        return Loaded(0, "")
    except Exception as error:  # what would stop the process, with its words
        return Loaded(1, f"{type(error).__name__}: {error}")
    finally:
        for name in [n for n in sys.modules if n.startswith(package)]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_production_starts_with_its_required_values():
    result = load_prod_settings(PROD_ENV)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_each_required_value():
    for name in PROD_ENV:
        env = {key: value for key, value in PROD_ENV.items() if key != name}
        result = load_prod_settings(env)
        assert result.returncode != 0
        assert f"The environment variable {name} is required." in result.stderr


def test_production_refuses_a_public_address_that_is_not_its_own_https():
    for site_url, error in [
        ("http://investinartois.fr", "SITE_URL must start with https://"),
        ("https://elsewhere.example", "SITE_URL's host must be one of ALLOWED_HOSTS"),
        ("https://investinartois.fr/fr/", "without path"),
        ("investinartois.fr", "without path"),
    ]:
        result = load_prod_settings({**PROD_ENV, "SITE_URL": site_url})
        assert result.returncode != 0, site_url
        assert error in result.stderr, (site_url, result.stderr)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://investinartois.fr", "https://investinartois.fr"),
        ("https://investinartois.fr/", "https://investinartois.fr"),
        ("  https://InvestInArtois.fr  ", "https://investinartois.fr"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_public_address_is_normalised(value, expected):
    assert site_address(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "investinartois.fr",
        "//investinartois.fr",
        "ftp://investinartois.fr",
        "javascript:alert(1)",
        "https://",
        "https://investinartois.fr/fr/",
        "https://investinartois.fr/index.html",
        "https://investinartois.fr?x=1",
        "https://investinartois.fr/?",
        "https://investinartois.fr#top",
        "https://user:pw@investinartois.fr",
        "https://invest inartois.fr",
        "https://investinartois.fr\n.evil.example",
        "https://invest\tinartois.fr",
        "https://investinartois.fr\x00",
        "https://investinartois.fr:99999",
        "https://investinartois.fr:port",
    ],
)
def test_public_address_refuses_anything_but_scheme_and_host(value):
    with pytest.raises(ImproperlyConfigured):
        site_address(value)


def test_production_refuses_to_trust_no_proxy_or_the_former_header_setting():
    result = load_prod_settings({**PROD_ENV, "TRUSTED_PROXIES": "0"})
    assert "TRUSTED_PROXIES must be at least 1 in production" in result.stderr
    for value in ("-1", "6", "one"):
        result = load_prod_settings({**PROD_ENV, "TRUSTED_PROXIES": value})
        assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr
    former = {**PROD_ENV, "RATELIMIT_IP_META_KEY": "HTTP_X_FORWARDED_FOR"}
    result = load_prod_settings(former)
    assert "RATELIMIT_IP_META_KEY is no longer read" in result.stderr


@pytest.mark.parametrize(
    "name, value, error",
    [
        # A typo turned the protection off: credentials in clear, plain HTTP.
        ("EMAIL_USE_TLS", "ture", "EMAIL_USE_TLS must be true or false"),
        ("SECURE_SSL_REDIRECT", "flase", "SECURE_SSL_REDIRECT must be true or false"),
        ("LISTINGS_PAGE_CACHE", "maybe", "LISTINGS_PAGE_CACHE must be true or false"),
        # Django refused the pair only when sending: every lead then failed.
        ("EMAIL_USE_SSL", "true", "cannot both be true"),
        # Every form, its confirmation too, sent back to confirm: no lead saved.
        ("LEADS_FORM_MAX_AGE", "0", "LEADS_FORM_MAX_AGE must be 3600 or more"),
        ("LEADS_EMAIL_PER_HOUR", "-1", "LEADS_EMAIL_PER_HOUR must be 0 or more"),
        ("LEADS_IP_PER_HOUR", "-1", "LEADS_IP_PER_HOUR must be 0 or more"),
        ("ALERTS_PER_ADDRESS", "-1", "ALERTS_PER_ADDRESS must be 0 or more"),
        ("ALERTS_CLIENT_PER_HOUR", "-1", "ALERTS_CLIENT_PER_HOUR must be 0 or more"),
        (
            "ALERTS_REFUSALS_BEFORE_STOP",
            "0",
            "ALERTS_REFUSALS_BEFORE_STOP must be 1 or more",
        ),
        # Every GET through the proxy answered 503.
        ("REQUEST_QUEUE_TIMEOUT", "-1", "REQUEST_QUEUE_TIMEOUT must be 0 or more"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS must be 0 or more"),
        # Guessable: sessions, the time trap and alert links are signed with it.
        ("SECRET_KEY", "ci", "SECRET_KEY must be 50 or more random characters"),
        ("SECRET_KEY", "ab" * 30, "SECRET_KEY must be 50 or more random characters"),
        # Any Host header: password reset links could name another site.
        ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS must name the hosts"),
        ("ALLOWED_HOSTS", "investinartois.fr,*", "ALLOWED_HOSTS must name the hosts"),
        # The first path scanners try; and without its slash the admin's
        # pages would be "gestionlogin/".
        ("ADMIN_URL", "admin/", "ADMIN_URL must be a path ending with a slash"),
        ("ADMIN_URL", "gestion", "ADMIN_URL must be a path ending with a slash"),
        ("ADMIN_URL", "/gestion/", "ADMIN_URL must be a path ending with a slash"),
        # Refused only later, in a library's words, or not at all: a socket
        # that never waits (every email fails), a cache that keeps nothing.
        ("DATABASE_CONN_MAX_AGE", "1m", "DATABASE_CONN_MAX_AGE must be a whole"),
        ("DATABASE_CONN_MAX_AGE", "-1", "DATABASE_CONN_MAX_AGE must be 0 or more"),
        ("DATABASE_REPLICA_LAG", "-1", "DATABASE_REPLICA_LAG must be 0 or more"),
        ("EMAIL_TIMEOUT", "0", "EMAIL_TIMEOUT must be 1 or more"),
        ("EMAIL_PORT", "0", "EMAIL_PORT must be 1 or more"),
        ("EMAIL_PORT", "70000", "EMAIL_PORT must be a port number"),
        ("LISTINGS_CACHE_SECONDS", "0", "LISTINGS_CACHE_SECONDS must be 1 or more"),
        ("LOG_LEVEL", "verbose", "LOG_LEVEL must be DEBUG, INFO"),
        # Every lead and alert sent from it, and refused.
        ("DEFAULT_FROM_EMAIL", "contact@", "DEFAULT_FROM_EMAIL must be an email"),
        ("DEFAULT_FROM_EMAIL", "Invest in Artois", "DEFAULT_FROM_EMAIL must be"),
        # Leads "sent" to the console: no one told.
        (
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend",
            "EMAIL_BACKEND must be left unset in production",
        ),
    ],
)
def test_production_refuses_a_wrong_value(name, value, error):
    env = {**PROD_ENV, "EMAIL_USE_TLS": "true", name: value}
    result = load_prod_settings(env)
    assert result.returncode != 0 and error in result.stderr, result.stderr


def test_production_refuses_a_relay_password_sent_in_clear():
    env = {**PROD_ENV, "EMAIL_HOST_USER": "portal", "EMAIL_HOST_PASSWORD": "pw"}
    result = load_prod_settings(env)
    assert result.returncode != 0
    assert "the password would be sent in clear" in result.stderr
    for tls in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        assert load_prod_settings({**env, tls: "true"}).returncode == 0, tls
    # Mailpit in the compose file, and a relay that trusts the network, ask none.
    assert load_prod_settings({**PROD_ENV, "EMAIL_HOST_USER": "x"}).returncode == 0


@pytest.mark.parametrize("value, expected", [("on", True), ("No", False), ("1", True)])
def test_production_reads_the_usual_words_for_yes_and_no(value, expected):
    env = {**PROD_ENV, "SECURE_SSL_REDIRECT": value}
    assert load_prod_settings(env).returncode == 0
    with mock.patch.dict(os.environ, {"SECURE_SSL_REDIRECT": value}):
        assert env_bool("SECURE_SSL_REDIRECT", not expected) is expected


# How the settings and gunicorn.conf.py read a variable.
READ = re.compile(
    r"""\b(?:env|env_bool|env_int|env_list|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)\""""
)
# Read only to refuse it (a former setting, named in "Client address").
FORMER = {"RATELIMIT_IP_META_KEY"}


def test_the_readme_configuration_table_names_every_variable_read():
    root = Path(settings.BASE_DIR)
    sources = [*(root / "investinartois").rglob("*.py"), root / "gunicorn.conf.py"]
    read = {name for path in sources for name in READ.findall(path.read_text())}
    readme = (root / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    named = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row)}
    assert "SECRET_KEY" in read and "GUNICORN_WORKERS" in read
    assert read - FORMER - named == set()


def dockerfile_collectstatic_env():
    """The variables the Dockerfile sets for its collectstatic step, and the
    settings module of its ENV line."""
    text = (Path(settings.BASE_DIR) / "Dockerfile").read_text().replace("\\\n", " ")
    (step,) = [line for line in text.splitlines() if "collectstatic" in line]
    assigned = dict(re.findall(r"\b([A-Z][A-Z0-9_]*)=(\S+)", step.split("python")[0]))
    (module,) = re.findall(r"DJANGO_SETTINGS_MODULE=(\S+)", text)
    return {**assigned, "DJANGO_SETTINGS_MODULE": module}


def test_production_static_files_build(tmp_path):
    """The image's collectstatic step, with the Dockerfile's own variables (it
    once lacked values the production settings require, and failed). The
    manifest storage follows every url() and sourceMappingURL: a missing
    vendored file would break the deployment."""
    env = dockerfile_collectstatic_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "investinartois.settings.prod"
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**env, "STATIC_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
