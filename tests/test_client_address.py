"""The client's address behind the proxy: the one the proxy wrote, never what
the client sent; unknown means no login (fail closed)."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from core.network import client_ip, client_network
from leads import antispam
from leads.models import Flag

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
WRONG = "Tr0ub4dor&3-guess"
CLIENT = "203.0.113.7"
NGINX = "172.18.0.3"  # the proxy container: REMOTE_ADDR behind it


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def request_with(forwarded_for=None, remote_addr=NGINX):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/", **meta)


def test_without_proxy_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request_with(f"{CLIENT}", remote_addr="192.0.2.1")) == "192.0.2.1"


@pytest.mark.parametrize(
    "header",
    [
        CLIENT,  # as deploy/nginx.conf sets it
        f"10.9.8.7, {CLIENT}",  # an appending proxy: the left part is the client's
        f"1.1.1.1,2.2.2.2 ,  {CLIENT}",
        f"garbage, {CLIENT}",
        f"{CLIENT}:51234",
        f"  {CLIENT}  ",
    ],
)
def test_behind_one_proxy_the_right_most_entry_is_the_client(one_proxy, header):
    assert client_ip(request_with(header)) == CLIENT


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(request_with(f"6.6.6.6, {CLIENT}, 10.0.0.2")) == CLIENT
    assert client_ip(request_with(CLIENT)) is None  # one proxy short


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        # An IPv4 client as a dual-stack socket names it: its IPv4 address.
        (f"::ffff:{CLIENT}", CLIENT),
        (f"[::ffff:{CLIENT}]:443", CLIENT),
    ],
)
def test_ipv6_clients(one_proxy, header, expected):
    assert client_ip(request_with(header)) == expected


def test_ipv4_clients_of_a_dual_stack_socket_are_counted_apart(settings):
    settings.TRUSTED_PROXIES = 0
    networks = {
        client_network(request_with(remote_addr=f"::ffff:203.0.113.{n}"))
        for n in range(3)
    }
    assert networks == {"203.0.113.0", "203.0.113.1", "203.0.113.2"}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        " ",
        ",",
        f"{CLIENT},",
        f"{CLIENT}, ",
        "unknown",
        "999.1.1.1",
        f"{CLIENT}; 10.0.0.1",
        "\x00\x01",
        "é" * 50,
        f"1.1.1.1, {'2.2.2.2, ' * 400}{CLIENT}",  # absurdly long
        "[2001:db8::1",
        "1.2.3.4:5:6",
    ],
)
def test_a_missing_or_malformed_header_is_unknown_never_an_error(one_proxy, header):
    assert client_ip(request_with(header)) is None


@pytest.fixture
def developer():
    return User.objects.create_user("dev-call", password=PASSWORD, is_staff=True)


def log_in(client, password, forwarded_for):
    headers = {"REMOTE_ADDR": NGINX}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("admin:login"),
        {"username": "dev-call", "password": password, "next": reverse("admin:index")},
        **headers,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_forged_forwarded_for_headers_do_not_escape_the_lock_out(
    one_proxy, client, developer
):
    for attempt in range(30):
        forged = f"10.{attempt}.0.1, 198.51.{attempt}.9"
        log_in(client, WRONG, f"{forged}, {CLIENT}")
        assert not logged_in(client)

    response = log_in(client, PASSWORD, f"10.99.0.1, {CLIENT}")

    assert response.status_code == 429
    assert not logged_in(client)
    (attempt,) = AccessAttempt.objects.filter(username="dev-call")
    assert attempt.ip_address == CLIENT
    # Another client of the same proxy is not locked out of the same account.
    assert log_in(client, PASSWORD, "198.51.100.20").status_code == 302


def test_an_ipv6_client_is_locked_out_of_its_whole_64(one_proxy, client, developer):
    """One IPv6 client holds a /64: a new address for each guess does not
    escape the lock-out."""
    for n in range(1, 31):
        log_in(client, WRONG, f"2001:db8:1:2:{n:x}::9")
        assert not logged_in(client)
    assert log_in(client, PASSWORD, "2001:db8:1:2:ffff::1").status_code == 429
    (attempt,) = AccessAttempt.objects.filter(username="dev-call")
    assert attempt.ip_address == "2001:db8:1:2::"
    # The next /64 is another client.
    assert log_in(client, PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_without_the_proxy_header_login_is_refused_and_logged(
    one_proxy, client, developer, caplog
):
    caplog.set_level(logging.ERROR)
    for header in (None, "garbage", ""):
        response = log_in(client, PASSWORD, header)
        assert response.status_code == 200
        assert not logged_in(client)
        (error,) = response.context["form"].non_field_errors().as_data()
        assert error.code == "no_address"
        assert error.messages[0] in response.content.decode().replace("&#x27;", "'")
    assert "login refused: client address unknown" in caplog.text
    assert not AccessAttempt.objects.exists()
    assert log_in(client, PASSWORD, CLIENT).status_code == 302


def test_leads_from_one_client_count_as_one_whatever_header_it_sends(
    one_proxy, settings
):
    settings.LEADS_IP_PER_HOUR = 5
    flags = [
        antispam.rate_flags(
            request_with(f"10.{n}.0.1, 192.0.2.{n}, {CLIENT}"), f"i{n}@example.com"
        )
        for n in range(8)
    ]
    assert flags == [[]] * 5 + [[Flag.IP_RATE]] * 3
    # Another client behind the same proxy has its own allowance.
    assert antispam.rate_flags(request_with("198.51.100.20"), "x@example.com") == []


def test_a_lead_without_the_proxy_header_is_flagged_unchecked(one_proxy, caplog):
    assert antispam.rate_flags(request_with(None), "x@example.com") == [Flag.UNCHECKED]
    assert "lead rate limit unchecked (ip)" in caplog.text


def test_the_shipped_proxy_overwrites_the_header_and_the_docs_agree():
    nginx = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    directives = re.sub(r"#.*", "", nginx)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in directives
    assert "proxy_set_header X-Real-IP $remote_addr;" in directives
    assert "proxy_add_x_forwarded_for" not in directives
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    assert "TRUSTED_PROXIES: ${TRUSTED_PROXIES:-1}" in compose
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "RATELIMIT_IP_META_KEY=" not in readme + compose
    assert "`TRUSTED_PROXIES=1`" in readme


def test_the_stack_publishes_its_ports_on_the_host_s_loopback_only():
    """The proxy trusts what reaches it through Docker's bridge (the TLS proxy
    on the host) to name the client, and the mail catcher shows the leads'
    emails: neither may be reached from outside the host."""
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    # Each "ports:" list's entries (the file is checked by docker-compose
    # config in .ci/run; no YAML parser is needed for this one shape).
    published = re.findall(r"^ +ports:\n((?: +- .*\n)+)", compose, re.MULTILINE)
    ports = [line.strip()[2:] for block in published for line in block.splitlines()]
    assert len(ports) == 2  # the proxy and the mail catcher
    for port in ports:
        assert port.strip('"').startswith("127.0.0.1:"), port
