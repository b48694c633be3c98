"""Through a real nginx running the shipped deploy/nginx.conf: whatever
X-Forwarded-For a client sends, the lock-out and the leads' limit see its real
address (TRUSTED_PROXIES=1)."""

import gzip
import http.cookiejar
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from leads.models import Flag, Lead
from tests.factories import PlotFactory
from tests.leads.conftest import contact, form_data, free_port

PASSWORD = "correct horse battery staple"
WRONG = "Tr0ub4dor&3-guess"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(NGINX).exists(),
        reason="needs nginx (apt-get install nginx-light; CI installs it)",
    ),
]


def shipped_server_block(tmp_path, port, upstream):
    """deploy/nginx.conf as shipped, pointed at this test's ports and folders."""
    text = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "proxy_pass http://web:8000;": f"proxy_pass {upstream};",
        "alias /srv/media/;": f"alias {tmp_path}/media/;",
    }
    for old, new in replacements.items():
        assert old in text, old  # the shipped file still has this shape
        text = text.replace(old, new)
    return text


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    """nginx in front of the live server, and the app set for one proxy."""
    settings.TRUSTED_PROXIES = 1
    port = free_port()
    upstream = live_server.url.replace("localhost", "127.0.0.1")
    (tmp_path / "server.conf").write_text(
        shipped_server_block(tmp_path, port, upstream)
    )
    temp = "".join(
        f"{name}_temp_path {tmp_path}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {tmp_path}/nginx.pid;"
        f"error_log {tmp_path}/error.log;"
        "events { worker_connections 64; }"
        f"http {{ access_log off; {temp} include {tmp_path}/server.conf; }}"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(port, process):
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept, redirects not followed, any status returned."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        request = urllib.request.Request(
            self.base + path, data=body, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, path):
        status, html = self.request(path)
        assert status == 200, (status, html[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def forged(n):
    return {"X-Forwarded-For": f"10.{n}.0.1, 198.51.100.{n}"}


def test_forged_headers_through_nginx_lock_the_account_out(proxy):
    User.objects.create_user("dev-call", password=PASSWORD, is_staff=True)
    browser = Browser(proxy)
    login = reverse("admin:login")

    def log_in(password, n):
        data = {
            "csrfmiddlewaretoken": browser.csrf_token(login),
            "username": "dev-call",
            "password": password,
            "next": reverse("admin:index"),
        }
        return browser.request(login, data, forged(n))

    statuses = [log_in(WRONG, n)[0] for n in range(30)]

    # The form again with its error, then locked from the fifth failure on.
    assert statuses == [200] * 4 + [429] * 26
    status, html = log_in(PASSWORD, 99)
    assert status == 429
    assert settings.STAFF_SUPPORT_EMAIL in html
    (attempt,) = AccessAttempt.objects.filter(username="dev-call")
    assert attempt.ip_address == "127.0.0.1"  # what nginx saw, not a forged one


def test_leads_through_nginx_are_counted_for_the_real_client(proxy, settings):
    settings.LEADS_IP_PER_HOUR = 3
    contact("call", "dev@agglo-lenslievin.fr")
    plot = PlotFactory()
    browser = Browser(proxy)
    url = reverse("leads:plot", args=[plot.slug])

    for n in range(5):
        data = form_data(email=f"investor{n}@example.com")
        data["csrfmiddlewaretoken"] = browser.csrf_token(url)
        status, _html = browser.request(url, data, forged(n))
        assert status == 302

    flags = [lead.flags for lead in Lead.objects.order_by("pk")]
    assert flags == [[]] * 3 + [[Flag.IP_RATE]] * 2


def test_nginx_compresses_the_text_it_passes_on(proxy):
    """The live server sends static files uncompressed (whitenoise does not run
    here): the shipped gzip settings compress them."""
    request = urllib.request.Request(
        f"{proxy}/static/css/site.css", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        css = gzip.decompress(response.read())
    assert css == (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()


def test_the_queue_deadline_reads_nginx_s_stamp_not_the_client_s(
    proxy, settings, monkeypatch
):
    settings.REQUEST_QUEUE_TIMEOUT = 10
    # A client claiming its request has waited since 1970 is served...
    status, _ = Browser(proxy).request("/robots.txt", {}, {"X-Request-Start": "t=1"})
    assert status == 200
    # ...and nginx's own stamp is what the app reads: seen from 100 s later,
    # the request has waited too long.
    later = time.time
    monkeypatch.setattr(
        "investinartois.middleware.time", SimpleNamespace(time=lambda: later() + 100)
    )
    status, text = Browser(proxy).request("/robots.txt")
    assert status == 503 and "try again" in text
