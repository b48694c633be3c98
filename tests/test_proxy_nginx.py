"""Through a real nginx running the shipped deploy/nginx.conf: whatever
X-Forwarded-For a client sends, the lock-out and the leads' limit see its real
address (TRUSTED_PROXIES=1), whether it connects directly or through the TLS
proxy in front."""

import gzip
import http.cookiejar
import json
import re
import shutil
import socket
import subprocess
import tempfile
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
# The TLS proxy's address in these tests: the only one deploy/nginx.conf trusts
# here. Clients connect from 127.0.0.1, as from anywhere else.
TLS_PROXY = "127.0.0.2"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(NGINX).exists(),
        reason="needs nginx (apt-get install nginx-light; CI installs it)",
    ),
]


def trusted_addresses(text):
    """The addresses deploy/nginx.conf takes the client's address from, and
    those it takes X-Forwarded-Proto from."""
    realip = re.findall(r"^set_real_ip_from (\S+);", text, re.MULTILINE)
    geo = text.split("geo $realip_remote_addr", 1)[1].split("}", 1)[0]
    return realip, re.findall(r"^\s+(\S+) 1;", geo, re.MULTILINE)


def shipped_server_block(media, port, upstream):
    """deploy/nginx.conf as shipped, pointed at this test's ports and folders,
    trusting this test's TLS proxy instead of the host and private networks."""
    text = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "proxy_pass http://web:8000;": f"proxy_pass {upstream};",
        "alias /srv/media/;": f"alias {media}/;",
    }
    for old, new in replacements.items():
        assert old in text, old  # the shipped file still has this shape
        text = text.replace(old, new)
    realip, geo = trusted_addresses(text)
    assert realip and realip == geo
    text = re.sub(r"^set_real_ip_from \S+;\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s+)\S+ 1;\n", "", text, flags=re.MULTILINE)
    text = text.replace("default 0;", f"default 0; {TLS_PROXY} 1;")
    return f"set_real_ip_from {TLS_PROXY};\n{text}"


def tls_proxy_block(port, proxy_port):
    """A TLS proxy as deployments put in front (here without TLS): it appends
    the address it sees to X-Forwarded-For and says the request came by HTTPS."""
    return f"""
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{proxy_port};
            proxy_bind {TLS_PROXY};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
    """


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    """nginx in front of the live server, and the app set for one proxy."""
    settings.TRUSTED_PROXIES = 1
    port, tls_port = free_port(), free_port()
    upstream = live_server.url.replace("localhost", "127.0.0.1")
    # Where nginx's workers can read it: run by root, they run as nobody, and
    # pytest's temporary folders are their owner's alone.
    media = Path(tempfile.mkdtemp(prefix="media-"))
    media.chmod(0o755)
    (tmp_path / "server.conf").write_text(
        shipped_server_block(media, port, upstream) + tls_proxy_block(tls_port, port)
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
        yield SimpleNamespace(
            url=f"http://127.0.0.1:{port}",
            behind_tls=f"http://127.0.0.1:{tls_port}",
            media=media,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(media)


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
        self.headers = None  # the last response's
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
                self.headers = response.headers
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            self.headers = error.headers
            return error.code, error.read().decode(errors="replace")

    def csrf_token(self, path):
        status, html = self.request(path)
        assert status == 200, (status, html[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def forged(n):
    return {"X-Forwarded-For": f"10.{n}.0.1, 198.51.100.{n}"}


# A client connecting to nginx itself, or through the TLS proxy in front.
WAYS_IN = ["url", "behind_tls"]


@pytest.mark.parametrize("way_in", WAYS_IN)
def test_forged_headers_through_nginx_lock_the_account_out(proxy, way_in):
    User.objects.create_user("dev-call", password=PASSWORD, is_staff=True)
    browser = Browser(getattr(proxy, way_in))
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
    # The client's own address: neither a forged one nor the TLS proxy's.
    assert attempt.ip_address == "127.0.0.1"


@pytest.mark.parametrize("way_in", WAYS_IN)
def test_leads_through_nginx_are_counted_for_the_real_client(proxy, settings, way_in):
    settings.LEADS_IP_PER_HOUR = 3
    contact("call", "dev@agglo-lenslievin.fr")
    plot = PlotFactory()
    browser = Browser(getattr(proxy, way_in))
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
        f"{proxy.url}/static/css/site.css", headers={"Accept-Encoding": "gzip"}
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
    status, _ = Browser(proxy.url).request(
        "/robots.txt", {}, {"X-Request-Start": "t=1"}
    )
    assert status == 200
    # ...and nginx's own stamp is what the app reads: seen from 100 s later,
    # the request has waited too long.
    later = time.time
    monkeypatch.setattr(
        "investinartois.middleware.time", SimpleNamespace(time=lambda: later() + 100)
    )
    status, text = Browser(proxy.url).request("/robots.txt")
    assert status == 503 and "try again" in text


@pytest.mark.parametrize("way_in, secure", [("url", False), ("behind_tls", True)])
def test_the_tls_proxy_alone_says_who_the_client_is_and_that_it_used_https(
    proxy, settings, way_in, secure
):
    settings.ROOT_URLCONF = "tests.urls_seen"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    claims = {"X-Forwarded-Proto": "https", **forged(7)}
    status, body = Browser(getattr(proxy, way_in)).request("/seen/", None, claims)
    assert status == 200
    assert json.loads(body) == {"secure": secure, "client": "127.0.0.1"}


def test_nginx_names_no_version(proxy):
    browser = Browser(proxy.url)
    for path in ("/robots.txt", "/media/nothing.jpg", "/media/"):
        _status, body = browser.request(path)
        assert browser.headers["Server"] == "nginx", path
        assert not re.search(r"nginx/\d", body), path


def test_media_are_served_as_photos_or_as_bytes_to_download(proxy):
    """Photos are stored re-encoded (core/photos.py); a page or an SVG that
    reached the volume otherwise must not run in the portal's origin."""
    files = {
        "photo.jpg": ("image/jpeg", b"\xff\xd8\xff\xe0 not checked by nginx"),
        "photo.webp": ("image/webp", b"RIFF....WEBP"),
        "page.html": ("application/octet-stream", b"<script>alert(1)</script>"),
        "drawing.svg": (
            "application/octet-stream",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        ),
        "noname": ("application/octet-stream", b"<html><script>x</script>"),
    }
    for name, (_type, content) in files.items():
        (proxy.media / name).write_bytes(content)
    browser = Browser(proxy.url)
    for name, (content_type, _content) in files.items():
        assert browser.request(f"/media/{name}")[0] == 200, name
        assert browser.headers["Content-Type"] == content_type, name
        assert browser.headers["X-Content-Type-Options"] == "nosniff", name
        policy = browser.headers["Content-Security-Policy"]
        assert "sandbox" in policy and "default-src 'none'" in policy, name
    assert browser.request("/media/missing.jpg")[0] == 404
    assert browser.headers["X-Content-Type-Options"] == "nosniff"
