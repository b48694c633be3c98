import importlib
import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sites.models import Plot
from tests.observatory import parse_csp, score
from tests.portal.sitemaps import sitemap_text
from tests.test_settings import PROD_ENV

pytestmark = pytest.mark.django_db
SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture
def production(settings, monkeypatch):
    """This test's settings take the production module's security values."""
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    prod = importlib.reload(importlib.import_module("investinartois.settings.prod"))
    for name in SECURITY_SETTINGS:
        setattr(settings, name, getattr(prod, name))
    settings.ROOT_URLCONF = "tests.urls_failing"
    return Client(raise_request_exception=False)


@pytest.fixture
def production_stack(production, settings, tmp_path):
    """The production settings' whole middleware, static files (whitenoise,
    here from the finders) included, for its one host."""
    prod = importlib.import_module("investinartois.settings.prod")
    settings.MIDDLEWARE = prod.MIDDLEWARE
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path
    for name in dir(prod):
        if name.startswith("WHITENOISE_"):
            setattr(settings, name, getattr(prod, name))
    settings.ALLOWED_HOSTS = prod.ALLOWED_HOSTS
    return Client(raise_request_exception=False, headers={"host": HOST})


HOST = "investinartois.fr"  # PROD_ENV's
PAGE_HEADERS = {
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
}


def pages():
    plot = Plot.objects.published().first()
    return {
        "home": reverse("portal:home"),
        "search": reverse("sites:search") + "?surface_min=10&rail=on",
        "plot": plot.get_absolute_url(),
        "contact": reverse("leads:contact"),
        "404": "/fr/nowhere/",
        "500": "/boom/",
    }


def test_every_page_scores_a_plus_on_the_observatory(production, demo):
    for name, url in pages().items():
        response = production.get(url, secure=True)
        expected = {"404": 404, "500": 500}.get(name, 200)
        assert response.status_code == expected, name
        total, results = score(response)
        assert total >= 100, (name, total, results)


def test_no_inline_script_and_no_unsafe_inline_for_scripts(production, demo):
    for name, url in pages().items():
        response = production.get(url, secure=True)
        policy = parse_csp(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'none'"]
        html = response.content.decode()
        for attributes in re.findall(r"<script([^>]*)>", html):
            data = ('type="application/json"', 'type="application/ld+json"')
            assert "src=" in attributes or any(t in attributes for t in data), (
                name,
                attributes,
            )


def test_error_pages_show_no_stack_trace(production):
    body = production.get("/boom/", secure=True).content.decode()
    assert "RuntimeError" not in body and "Traceback" not in body
    assert "indisponible" in body


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "investinartois.settings.prod", **PROD_ENV,
             "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("path", ["/.git/config", "/.git/", "/admin/doc/", "/admin/"])
def test_probes_find_nothing(client, path):
    assert client.get(path).status_code == 404


def test_a_form_with_too_many_fields_is_a_400(client):
    fields = {f"f{i}": "x" for i in range(1_100)}
    response = client.post(reverse("leads:contact"), fields)
    assert response.status_code == 400


def test_an_oversized_body_is_a_400(client):
    response = client.post(
        reverse("leads:contact"), {"message": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 400


def test_health_reports_database_and_redis(client, settings):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get(reverse("health")).json() == {
        "database": "ok",
        "redis": "down",
    }


def compose_healthcheck(service):
    """The command docker-compose.yml runs to see whether `service` is up."""
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    block = compose.split(f"\n  {service}:\n", 1)[1].split("\n\n", 1)[0]
    return json.loads(re.search(r"^ +test: (\[.*\])$", block, re.MULTILINE)[1])


@pytest.mark.django_db(transaction=True)
def test_the_web_containers_healthcheck_passes_the_host_check(live_server, settings):
    """Asked as the container asks (its own address, by plain HTTP), /health/
    would be a 400: the host is not the public one."""
    settings.ALLOWED_HOSTS = ["investinartois.fr"]
    command = compose_healthcheck("web")
    assert command[:3] == ["CMD", "python", "-c"]
    code = command[3].replace("http://127.0.0.1:8000", live_server.url)
    env = {"SITE_URL": "https://investinartois.fr", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for service in ("db", "redis", "cache"):
        assert compose_healthcheck(service)[0] == "CMD", service


def test_health_answers_a_monitor_asking_with_head(client):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


def test_robots_points_to_the_sitemap(client, site_url):
    body = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {site_url}/sitemap.xml" in body


def test_sitemap_lists_published_pages_in_each_language(client, demo, site_url):
    hidden = Plot.objects.first()
    hidden.is_published = False
    hidden.save()
    body = sitemap_text(client)
    for plot in Plot.objects.published():
        for code in ("fr", "en", "nl"):
            url = plot.get_absolute_url().replace("/fr/", f"/{code}/", 1)
            assert f"<loc>{site_url}{url}</loc>" in body
    assert hidden.slug not in body
    assert "testserver" not in body
    assert 'hreflang="x-default"' in body


def test_sitemap_lists_the_editorial_pages(client, demo_stories, site_url):
    from stories.models import Sector

    body = sitemap_text(client)
    sector = Sector.objects.published().first()
    assert f"{site_url}{sector.get_absolute_url()}" in body
    assert reverse("legal:notice") in body


def test_the_observatory_scorer_marks_down_a_bare_response():
    from django.http import HttpResponse

    bare = HttpResponse("<html><script src='http://cdn.example/x.js'></script>")
    total, results = score(bare)
    assert results["csp_modifier"] == -25
    assert results["hsts_modifier"] == -20
    assert results["frame_modifier"] == -20
    assert total < 50
    bare.set_cookie("sessionid", "x")
    assert score(bare)[1]["cookies_modifier"] == -40


def test_every_answer_refuses_the_browser_features_no_page_uses(production_stack, demo):
    addresses = {
        **pages(),
        "api": reverse("api-plots"),
        "tile": reverse("api-tiles", args=[10, 520, 340]),
        "login": reverse("admin:login"),
        "400": reverse("api-tiles", args=[10, 520, "x"]),
    }
    for name, url in addresses.items():
        response = production_stack.get(url, secure=True)
        assert PAGE_HEADERS <= set(response.headers), name
        features = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in features, name


def test_a_foreign_host_is_refused_before_anything_answers(production_stack, demo):
    """Whitenoise serves static files and the caches keep answers without
    asking the host: it is checked before them, and the 400 is a page like
    the others."""
    tile = reverse("api-tiles", args=[10, 520, 340])
    static = "/static/css/site.css"
    for url in (tile, static, reverse("portal:home"), reverse("health")):
        # Answered, and kept where it may be, for the portal's own host...
        assert production_stack.get(url, secure=True).status_code == 200, url
        # ...and refused for another, even with the answer kept.
        for host in ("evil.example", f"{HOST}.evil.example", "127.0.0.1"):
            response = production_stack.get(url, secure=True, headers={"host": host})
            assert response.status_code == 400, (url, host)
            assert PAGE_HEADERS <= set(response.headers), (url, host)
            assert host not in response.content.decode()


def test_static_files_are_never_sniffed(production_stack):
    for url in ("/static/css/site.css", "/static/js/maps.js"):
        response = production_stack.get(url, secure=True)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
