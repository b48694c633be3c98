"""The client's address: one answer for the login lock-out (django-axes) and
the limits on what a client may ask (core.limits: leads, alerts, the map).

Behind TRUSTED_PROXIES proxies, it is the entry of X-Forwarded-For that the
outermost of them wrote: the N-th from the right. Everything to its left came
from the client and is never read. deploy/nginx.conf overwrites the header with
the address it sees, so with it the header holds that one entry.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
# Longer than any honest chain of proxies: not worth parsing.
MAX_FORWARDED_FOR = 1024


def client_ip(request):
    """The client's address as text, or None when it cannot be known (the
    proxy did not set the header, or set something that is not an address)."""
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return _address(request.META.get("REMOTE_ADDR"))
    entries = _forwarded_for(request)
    if len(entries) < proxies:
        # Logged without the header: it holds addresses (personal data).
        logger.warning(
            "client address unknown: X-Forwarded-For has %s of the %s entries "
            "TRUSTED_PROXIES expects; check the proxy configuration",
            len(entries),
            proxies,
        )
        return None
    address = _address(entries[-proxies])
    if address is None:
        logger.warning("client address unknown: X-Forwarded-For entry unreadable")
    return address


def _forwarded_for(request):
    header = request.META.get(FORWARDED_FOR)
    if not isinstance(header, str) or not header.strip():
        return []
    if len(header) > MAX_FORWARDED_FOR:
        return []
    return [entry.strip() for entry in header.split(",")]


def _address(text):
    """A normalised IP address from `text` ("192.0.2.1", "192.0.2.1:5678",
    "[2001:db8::1]:443", "2001:db8::1"), else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client as a dual-stack socket writes it (::ffff:192.0.2.1): its
    # IPv4 address, or every IPv4 client would share one IPv6 /64.
    return str(getattr(address, "ipv4_mapped", None) or address)


def client_network(request):
    """What a limit counts for the client: its address, or an IPv6 client's
    /64 (which it may all use); None when the address cannot be known."""
    address = client_ip(request)
    if address is None or ":" not in address:
        return address
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def lockout_address(request):
    """What django-axes counts failed logins under, with the username: the
    client's address, or an IPv6 client's /64 as its first address (an
    address field keeps it). A client holds a whole /64: counted by address,
    it could try five passwords from each of its 2^64 addresses."""
    network = client_network(request)
    return network.partition("/")[0] if network else None
