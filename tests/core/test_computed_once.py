"""A costly value asked by several requests at once is computed by one of
them (core.caching.listings_cached's `once`): the tiles of a map view, which
share their block's count, arrive together."""

import threading
import time

import pytest
from django.core.cache import cache

from core import caching
from core.caching import listings_cached


def asked_together(compute, requests=4):
    """What `requests` threads asking at the same moment got."""
    together = threading.Barrier(requests)
    got = []

    def ask():
        together.wait()
        got.append(listings_cached("cells", compute, per_language=False, once=True))

    threads = [threading.Thread(target=ask) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return got


def test_asked_at_once_it_is_computed_once():
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)  # as long as a France-wide count
        return ["cell"]

    assert asked_together(compute) == [["cell"]] * 4
    assert len(calls) == 1
    # Kept: the next request computes nothing.
    assert listings_cached("cells", compute, per_language=False, once=True) == ["cell"]
    assert len(calls) == 1


def test_a_failed_computation_leaves_it_to_the_next_request():
    def failing():
        raise RuntimeError("statement timeout")

    with pytest.raises(RuntimeError):
        listings_cached("cells", failing, per_language=False, once=True)
    started = time.monotonic()
    assert listings_cached("cells", lambda: ["cell"], per_language=False, once=True)
    assert time.monotonic() - started < caching.ONCE_WAIT_SECONDS  # no wait


def test_a_claim_never_fulfilled_is_waited_for_a_bounded_time(monkeypatch):
    # A worker killed while computing leaves its claim until it expires.
    monkeypatch.setattr(caching, "ONCE_WAIT_SECONDS", 0.2)
    version = caching.listings_version()
    claim = f"{caching._listings_key('cells', per_language=False)}:computing:{version}"
    cache.set(claim, 1, 30)
    started = time.monotonic()
    assert listings_cached("cells", lambda: ["cell"], per_language=False, once=True)
    assert 0.2 <= time.monotonic() - started < 2
