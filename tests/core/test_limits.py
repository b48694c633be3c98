"""The rate limits' counters (core.limits): what their cache keys reveal."""

import hashlib

import pytest

from core import limits


@pytest.fixture
def keys(monkeypatch):
    """The cache keys `counted` writes, in order."""
    written = []
    add = limits.cache.add

    def recorded(key, *args, **kwargs):
        written.append(key)
        return add(key, *args, **kwargs)

    monkeypatch.setattr(limits.cache, "add", recorded)
    return written


def test_a_counter_key_cannot_be_undone_without_the_secret_key(keys, settings):
    email = "jan.peeters@example.be"
    now = 1_800_000_030.0
    assert limits.counted("leads:email", email, window=3600, now=now) == 1
    assert limits.counted("leads:email", email, window=3600, now=now) == 2

    [key, again] = keys
    assert key == again  # the same person counted twice
    period = int(now // 3600)
    plain = hashlib.sha256(f"leads:email:{email}:{period}".encode()).hexdigest()
    assert plain not in key and email not in key
    # Keyed with SECRET_KEY: anyone with the cache and a list of emails (or
    # the four billion IPv4 addresses) but not the key finds nothing.
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert limits.counted("leads:email", email, window=3600, now=now) == 1
    assert keys[2] != key
