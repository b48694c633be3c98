"""The scoring of Mozilla's HTTP Observatory, rewritten for our own responses.

Modifiers follow the Observatory's published "Tests & Scoring" tables (MDN,
2024): a baseline of 100, penalties first, then bonuses only if the score is
still 90 or more. Tests needing the network (redirections, HSTS preload list)
are out of scope: the portal runs behind the TLS proxy, which handles them.
"""

import re
from http.cookies import SimpleCookie

UNSAFE_SCRIPT = {"'unsafe-inline'", "data:", "https:", "http:", "*"}


def parse_csp(header):
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        policy.setdefault(name.lower(), values)
    return policy


def csp_modifier(response):
    header = response.get("Content-Security-Policy")
    if not header:
        return -25
    policy = parse_csp(header)
    default = policy.get("default-src")

    def sources(name):
        return set(policy.get(name, default or ["*"]))

    script, objects, style = (
        sources("script-src"),
        sources("object-src"),
        sources("style-src"),
    )
    if script & UNSAFE_SCRIPT or objects & {"https:", "http:", "*", "data:"}:
        return -20
    if "'unsafe-eval'" in script | style:
        return -10
    everything = set().union(*policy.values())
    if any(source.startswith("http:") for source in everything):
        return -20
    if style & {"'unsafe-inline'", "data:", "https:", "*"}:
        return 0
    return 10 if default == ["'none'"] else 5


def cookies_modifier(response):
    cookies = SimpleCookie()
    for morsel in response.cookies.values():
        cookies[morsel.key] = morsel
    if not cookies:
        return 0
    session_names = {"sessionid"}
    for morsel in cookies.values():
        if not morsel["secure"]:
            return -40 if morsel.key in session_names else -20
        if morsel.key in session_names and not morsel["httponly"]:
            return -30
        if morsel["samesite"].lower() not in {"lax", "strict"}:
            return -20 if morsel["samesite"] else 0
    return 5


def hsts_modifier(response):
    header = response.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", header)
    if not match:
        return -20
    return 0 if int(match.group(1)) >= 15_768_000 else -10


def referrer_modifier(response):
    policy = response.get("Referrer-Policy", "").split(",")[-1].strip().lower()
    if not policy:
        return 0
    private = {"no-referrer", "same-origin", "strict-origin"}
    if policy in private | {"strict-origin-when-cross-origin"}:
        return 5
    return -5


def sri_modifier(response):
    if "text/html" not in response.get("Content-Type", ""):
        return 0
    scripts = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", response.content.decode())
    external = [src for src in scripts if src.startswith(("http:", "https:", "//"))]
    if not external:
        return 0
    return -5 if all(src.startswith("https:") for src in external) else -50


def nosniff_modifier(response):
    return 0 if response.get("X-Content-Type-Options") == "nosniff" else -5


def frame_modifier(response):
    policy = parse_csp(response.get("Content-Security-Policy", ""))
    if "frame-ancestors" in policy:
        return 5
    header = response.get("X-Frame-Options", "").upper()
    return 0 if header in {"DENY", "SAMEORIGIN"} else -20


def corp_modifier(response):
    header = response.get("Cross-Origin-Resource-Policy", "").lower()
    if header in {"same-origin", "same-site"}:
        return 0
    return -20 if header else 0


MODIFIERS = [
    csp_modifier,
    cookies_modifier,
    hsts_modifier,
    referrer_modifier,
    sri_modifier,
    nosniff_modifier,
    frame_modifier,
    corp_modifier,
]


def score(response):
    """The Observatory score and each test's modifier, by test name."""
    results = {modifier.__name__: modifier(response) for modifier in MODIFIERS}
    total = 100 + sum(value for value in results.values() if value < 0)
    if total >= 90:
        total += sum(value for value in results.values() if value > 0)
    return max(total, 0), results
