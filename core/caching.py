"""Caching of what only changes when staff edit the listings.

Every entry is stored with the listings version, a number kept in the cache and
replaced whenever a listing, or anything shown with one, is saved or deleted; an
entry of an older version is never served. The version and the entry are read
in one round trip. Each app names the models its pages show (`shown_on_pages`,
from its AppConfig.ready()) and the per-visitor values its cached pages carry
as stand-ins (`visitor_slot_register`).
"""

import hashlib
import logging
import re
import struct
import threading
import time
import zlib
from contextlib import contextmanager
from functools import lru_cache, wraps

from cachetools import LRUCache
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags
from django.utils.translation import get_language

from .i18n import request_language
from .replica import replica_configured
from .units import units_of

logger = logging.getLogger(__name__)
VERSION_KEY = "listings:version"
# Stand-in text of a cached page -> what it becomes for this request.
_visitor_slots = {}
_batch = threading.local()  # inside listings_changes_batched(): changes seen
_followers = []  # listings_followed_by(): (Celery task, delay in seconds)
# A follower asked and never run (no worker) is asked again after this.
FOLLOWER_ASKED_SECONDS = 600
# Inside nothing_kept() on this thread: how deep.
_private = threading.local()


def listings_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock reading, not 1: should the key be evicted, the next version
        # must not be one that old entries were stored under.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _version_bump():
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def listings_changed(*, using="default", **kwargs):
    """Bump now, so that later reads in this transaction (and tests, which never
    commit) see the change; and again on commit, since a page built from the
    old rows between now and the commit would otherwise be kept under the new
    version."""
    if getattr(_batch, "depth", 0):
        _batch.changed.add(using)
        return
    _version_bump()
    transaction.on_commit(_committed_bump, using=using)


def _committed_bump():
    _version_bump()
    _followers_ask()
    if settings.DATABASE_REPLICA_LAG and replica_configured():
        from .tasks import listings_version_bump

        try:
            listings_version_bump.apply_async(countdown=settings.DATABASE_REPLICA_LAG)
        except Exception:  # the broker is down: the bump is an optimisation
            logger.warning("could not schedule the replica's version bump")


def listings_followed_by(task, *, delay):
    """Work derived from the listings, kept up to date off the request: the
    Celery `task` runs `delay` seconds after a committed listings change, once
    for all the commits until it starts (it calls `listings_follower_started`
    first, so that a commit after that asks again). With a replica, after its
    lag too: its late bump of the version would make what the task kept
    before it stale. Not when tasks run in-process (tests, the embedded
    default): each commit would do the work in its request; what needs it
    computes it when asked."""
    if all(task is not kept for kept, _ in _followers):
        _followers.append((task, delay))


def listings_follower_started(task):
    cache.delete(_follower_key(task))


def _follower_key(task):
    return f"listings:follower:{task.name}"


def _followers_ask():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    lag = settings.DATABASE_REPLICA_LAG if replica_configured() else 0
    for task, delay in _followers:
        if not cache.add(_follower_key(task), True, FOLLOWER_ASKED_SECONDS):
            continue  # asked already, not started yet
        try:
            task.apply_async(countdown=delay + lag)
        except Exception:  # the broker is down: computed when next asked for
            logger.warning("could not queue %s", task.name, exc_info=True)


@contextmanager
def listings_changes_batched():
    """Inside, saves and deletes only note that the listings changed; the
    version is bumped once on the way out (as `listings_changed` does). An
    import of thousands of rows would otherwise write the cache thousands
    of times and queue as many on-commit bumps."""
    outer = not getattr(_batch, "depth", 0)
    if outer:
        _batch.depth, _batch.changed = 0, set()
    _batch.depth += 1
    try:
        yield
    finally:
        _batch.depth -= 1
        if outer:
            changed, _batch.changed = _batch.changed, set()
            for using in changed:
                listings_changed(using=using)


@contextmanager
def nothing_kept():
    """Inside, what is computed (a value of `listings_cached`, a fragment) is
    read from the cache if there but never stored in it nor held in this
    process: a page for one person (a staff member's preview of an unpublished
    listing) must leave nothing behind that another request could be served."""
    _private.depth = getattr(_private, "depth", 0) + 1
    try:
        yield
    finally:
        _private.depth -= 1


def _keeping():
    return not getattr(_private, "depth", 0)


def kept_by_nobody(response):
    """`response` is for its visitor alone: neither the page cache (nor any
    cache on its way, by its Cache-Control) keeps it."""
    response["Cache-Control"] = "private, no-store"
    return not_kept(response)


def shown_on_pages(*models):
    """Any save or delete of one of `models` changes the public pages."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                listings_changed, sender=model, dispatch_uid=model._meta.label
            )


def visitor_slot_register(slot, value):
    """A cached page may carry `slot` where each visitor needs a value of their
    own (a form's CSRF token): every response gets `value(request)` there. Both
    are plain text that needs no HTML escaping."""
    _visitor_slots[slot.encode()] = value
    _slot_pattern.cache_clear()


@lru_cache(maxsize=1)
def _slot_pattern():
    if not _visitor_slots:
        return None
    return re.compile(b"(" + b"|".join(map(re.escape, _visitor_slots)) + b")")


def _slots_split(content):
    """`content` cut around its visitor slots, [text, slot, text, ..., text]
    (one part when it has none): one pass over the page, where looking for
    each slot and replacing it took four (50 µs for a plot page's two)."""
    pattern = _slot_pattern()
    return [content] if pattern is None else pattern.split(content)


def _slots_filled(parts, request):
    """The page of `_slots_split`'s parts with this visitor's values."""
    if len(parts) == 1:
        return parts[0]
    return _joined(parts, _slot_values(parts, request))


def _slot_values(parts, request):
    """{slot: this visitor's value}, each asked once per response."""
    values = {}
    for slot in parts[1::2]:
        if slot not in values:
            values[slot] = _visitor_slots[slot](request).encode()
    return values


def _joined(parts, values):
    return b"".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def _visitor_slots_filled(request, response):
    if response.streaming or getattr(response, "_slots_free", False):
        return response
    parts = _slots_split(response.content)
    if len(parts) > 1:
        response.content = _slots_filled(parts, request)
    return response


def _versioned_get_many(keys, held=()):
    """The listings version, and {key: value} of those of `keys` stored under
    that version: one round trip to the cache. Those of `keys` also in `held`
    may come from this process's memory (`_held`): only the version is read
    for them, unless they were held under another one."""
    now = time.monotonic()
    mine = {}
    for key in held:
        entry = _held_entry(key)
        if entry is not None and entry[2] > now:
            mine[key] = entry
    found = cache.get_many([VERSION_KEY, *(key for key in keys if key not in mine)])
    version = found.pop(VERSION_KEY, None) or listings_version()
    stale = [key for key, entry in mine.items() if entry[0] != version]
    if stale:  # the listings changed since: as stored now, in one more trip
        found.update(cache.get_many(stale))
    values = {key: stored[1] for key, stored in found.items() if stored[0] == version}
    for key in held:
        if key in mine and key not in stale:
            values[key] = mine[key][1]
        elif key in values:
            _hold(key, version, values[key])
    return version, values


def _versioned_get(key):
    version, found = _versioned_get_many([key])
    return version, found.get(key)


# Values held in the worker's memory besides the cache, under the version
# they were stored with and for as long as the cache keeps them (from when
# this process read or stored them): a request reads only the version from
# the cache, not their text, which the cache sent and pickle decoded each
# time. They are the fragments most pages read whole (the header, the
# footer, the home's parts: some 80 KB; about 0.1 ms of CPU for a built home
# at a million plots, a sixth of it) and the pages and answers served early
# (`PageCacheMiddleware`, `AnswerCacheMiddleware`: 30 to 90 KB a page, about
# 0.09 ms of a hit's 0.5 to 0.7). The least recently used go first beyond
# HELD_BYTES of text per worker: addresses are unbounded, the worker's
# memory is not. A lock, for a server running threads (runserver).
HELD_BYTES = 8 * 1024 * 1024


def _held_size(entry):
    """The bytes of text in a held entry (its value's strings and bytes,
    through its tuples, lists and dicts), about what it holds in memory."""
    if isinstance(entry, str | bytes):
        return len(entry)
    if isinstance(entry, dict):
        entry = [*entry.keys(), *entry.values()]
    if isinstance(entry, tuple | list):
        return sum(map(_held_size, entry))
    return 8


_held = LRUCache(maxsize=HELD_BYTES, getsizeof=_held_size)
_held_lock = threading.Lock()


def _held_entry(key):
    with _held_lock:
        return _held.get(key)


def _hold(key, version, value):
    # No version: the cache is down, nothing says when it is stale.
    if version is None or not _keeping():
        return
    entry = (version, value, time.monotonic() + settings.LISTINGS_CACHE_SECONDS)
    if _held_size(entry) <= _held.maxsize:  # or the LRU refuses it
        with _held_lock:
            _held[key] = entry


def _held_get(key):
    """The listings version, and the value of `key` stored under it or None:
    from this process's memory when held there under that version."""
    version, found = _versioned_get_many([key], held=[key])
    return version, found.get(key)


def _held_set(key, version, value):
    """Stores `value` under `key` in the cache and holds it in this process."""
    cache.set(key, (version, value), settings.LISTINGS_CACHE_SECONDS)
    _hold(key, version, value)


# A page being built by a `cache_listings_page` view on this thread: the held
# texts it placed (`held_in_page`), UTF-8 encoded; None outside such a build
# or while something is computed to be kept (`marks_suspended`).
_building = threading.local()
# Where a held text goes in a page being built: Private Use characters around
# its number, which no template, translation or query string puts there
# unasked (a page that has them anyway is built again without marks).
PIECE_MARK = "\ue000"
_PIECE_MARK_BYTES = PIECE_MARK.encode()
# key -> (text, its UTF-8 form, whether it holds a visitor slot), for the
# held texts: encoded once, not with the page at each build.
_held_encoded = {}


def held_in_page(request, name, text):
    """What a template puts in the page being built for `request` for
    `text`, the held value of `name` (per language) just read: a mark that
    the text's UTF-8 form, encoded once, replaces in the built page's bytes
    (`_built`). A held fragment is most of a built home (about 75 KB of its
    78): encoding it with the page at each build, copying it through each
    level of the template's joins, and looking through it for visitor slots
    cost some 0.07 ms. None when the text is put as it is: outside a page's
    build or for another request, while something is computed to be kept
    (a mark must never be stored), or not held.
    """
    pieces = getattr(_building, "pieces", None)
    if pieces is None or request is None or request is not _building.request:
        return None
    key = _listings_key(name)
    entry = _held_entry(key)
    if entry is None or entry[1] is not text:
        return None
    encoded = _held_encoded.get(key)
    if encoded is None or encoded[0] is not text:
        data = text.encode()
        pattern = _slot_pattern()
        slotted = pattern is not None and pattern.search(data) is not None
        encoded = _held_encoded[key] = (text, data, slotted)
    pieces.append(encoded)
    return f"{PIECE_MARK}{len(pieces) - 1}{PIECE_MARK}"


@contextmanager
def marks_suspended():
    """Inside, held texts are put as they are: what is computed here may be
    kept, and a mark means nothing outside the page that placed it."""
    pieces = getattr(_building, "pieces", None)
    _building.pieces = None
    try:
        yield
    finally:
        _building.pieces = pieces


def _built(view, request, args, kwargs):
    """The view's response, the held texts it placed put in its bytes; a
    response whose marks are not each found once (one of them altered or
    left out, or the characters met elsewhere in the page) is built again,
    without marks. `_slots_free` on it: neither its own text nor the held
    texts hold a visitor slot (no need to look through the page for them)."""
    outer = getattr(_building, "pieces", None), getattr(_building, "request", None)
    pieces = []
    _building.pieces, _building.request = pieces, request
    try:
        response = view(request, *args, **kwargs)
    finally:
        _building.pieces, _building.request = outer
    if not pieces:
        return response
    parts = None if response.streaming else response.content.split(_PIECE_MARK_BYTES)
    numbers = [str(number).encode() for number in range(len(pieces))]
    if parts is None or parts[1::2] != numbers:
        with marks_suspended():
            return view(request, *args, **kwargs)
    texts = parts[0::2]
    pattern = _slot_pattern()
    response._slots_free = not any(piece[2] for piece in pieces) and (
        pattern is None or not any(pattern.search(text) for text in texts)
    )
    content = [texts[0]]
    for piece, text in zip(pieces, texts[1:], strict=True):
        content += [piece[1], text]
    response.content = b"".join(content)
    return response


def _listings_key(name, *, per_language=True):
    return _listings_prefix(per_language) + name


def _listings_prefix(per_language=True):
    # The active language is read once for many keys (a page's fragments, a
    # search's cards): each read of it goes through asgiref's Local.
    return f"listings:{get_language() if per_language else 'all'}:"


def listings_cached(
    name, compute, *, per_language=True, read_ahead=None, held=False, once=False
):
    """`compute()` (per language unless told otherwise), cached until the
    listings change. `read_ahead`: what listings_get_many gave for names
    among which this one (per language), read with the others in one round
    trip. `held`: also kept in this process's memory (`_held`: for a few
    values most pages read). `once`: for a costly value asked by several
    requests at once (the tiles of a map view share their block's cells):
    one computes it, the others wait for it (`_computing`)."""
    if read_ahead is None:
        key = _listings_key(name, per_language=per_language)
        version, found = _versioned_get_many([key], [key] if held else ())
        value = found.get(key)
    else:
        version, found = read_ahead
        value = found.get(name)
    if value is None and not _keeping():
        with marks_suspended():
            return compute()
    if value is None:
        key = _listings_key(name, per_language=per_language)
        with _computing(key, version, once) as computed_meanwhile:
            if computed_meanwhile is not None:
                return computed_meanwhile
            with marks_suspended():
                value = compute()
            cache.set(key, (version, value), settings.LISTINGS_CACHE_SECONDS)
        if held:
            _hold(key, version, value)
    return value


# A value computed once for all who ask at the same time: how long the
# others wait for it before computing it themselves (its computer may have
# died; a claim is dropped after CLAIM_SECONDS anyway), and how often they
# look.
ONCE_WAIT_SECONDS = 3.0
ONCE_POLL_SECONDS = 0.01
CLAIM_SECONDS = 30


@contextmanager
def _computing(key, version, once):
    """Around computing `key` under the listings `version`. With `once`, the
    first request claims it; the others, which would each have run the same
    queries at once, wait for the value it stores and get it here (None:
    compute it). When the cache is down, no claim can be made or read: each
    computes its own, as without `once`."""
    claim = f"{key}:computing:{version}"
    claimed = once and cache.add(claim, 1, CLAIM_SECONDS)
    if once and not claimed:
        deadline = time.monotonic() + ONCE_WAIT_SECONDS
        while time.monotonic() < deadline:
            found = cache.get_many([claim, key])
            stored = found.get(key)
            if stored is not None and stored[0] == version:
                yield stored[1]
                return
            if claim not in found:  # done and evicted, or failed: ours now
                break
            time.sleep(ONCE_POLL_SECONDS)
    try:
        yield None
    finally:
        if claimed:
            cache.delete(claim)


def listings_get_many(names, held=()):
    """The listings version, and {name: value} of those of `names` (per
    language) stored under it: one round trip for them all. Those also in
    `held` may be kept in this process's memory (`_held`)."""
    version, found, _shared = listings_get_many_and_shared(names, (), held)
    return version, found


def listings_get_many_and_shared(names, shared, held=()):
    """listings_get_many(names, held), and in the same round trip {name: value}
    of the `shared` names, kept for every language (`per_language=False`,
    such as the key figures): (version, found, found_shared)."""
    prefix = _listings_prefix()
    keys = {prefix + name: name for name in names}
    mine = [prefix + name for name in held if prefix + name in keys]
    every = _listings_prefix(per_language=False)
    shared_keys = {every + name: name for name in shared}
    version, found = _versioned_get_many([*keys, *shared_keys], mine)
    found_shared = {
        shared_keys[key]: found.pop(key) for key in shared_keys if key in found
    }
    return version, {keys[key]: value for key, value in found.items()}, found_shared


def listings_set_many(version, values):
    """Store {name: value} (per language) under `version` (as read by
    listings_get_many before computing them): one round trip."""
    if not _keeping():
        return
    prefix = _listings_prefix()
    cache.set_many(
        {prefix + name: (version, v) for name, v in values.items()},
        settings.LISTINGS_CACHE_SECONDS,
    )


def _page_key(request, language=None):
    # Pages are written in the visitor's units (a cookie): one entry for each.
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
    language = language or get_language()
    return f"listings:{language}:{units_of(request)}:page:{url.hexdigest()}"


def query_normalised(query, params, defaults=None):
    """`query` (a QueryDict) with only the `params` a view reads, each with a
    value other than empty or its default in `defaults`, sorted by name then
    value (repeats kept: a form may refuse them)."""
    defaults = defaults or {}
    normalised = QueryDict(mutable=True)
    for name in sorted(set(params).intersection(query)):
        values = [v for v in query.getlist(name) if v not in ("", defaults.get(name))]
        if values:
            normalised.setlist(name, sorted(values))
    normalised._mutable = False
    return normalised


def _request_normalised(request, params, defaults):
    """The view sees only the normalised query, so that the page it builds (its
    links keep the query) is the one cached for every spelling of it."""
    names = params() if callable(params) else params
    query = query_normalised(request.GET, names, defaults)
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def not_kept(response):
    """`response` is served but never kept by the page cache: an answer to a
    value the view did not take as it was given (a page number that is no
    page, "x", "0" or "007", answered with the first or the last), which
    would otherwise make an entry for each spelling a visitor or a bot
    invents, where the pages themselves are few."""
    response._not_kept = True
    return response


def _shared(request, response):
    """The same for every visitor of this URL in this language: no cookie, no
    session read, no CSRF token (so no POST form), no CSP nonce (django-csp
    makes one only when a template asks), no Vary on other headers."""
    return (
        response.status_code == 200
        and not getattr(response, "_not_kept", False)
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)
        and not getattr(getattr(request, "session", None), "accessed", False)
    )


def cache_listings_page(view=None, *, params=(), defaults=None, etag=False):
    """Cache a GET view's whole page, per URL, language and units, until the
    listings change; visitor slots are filled in on every response.

    `params` names the query parameters the view reads (or is a callable
    giving them); the others are dropped, and those kept are sorted, without
    empty values or their `defaults`: a junk parameter (`?utm_x=1`) neither
    makes a cache entry nor reaches the view. Unlike cache_page, no
    Cache-Control max-age is sent: browsers must come back to see an edit.
    With `etag` (APIs, whose answers carry no per-visitor part), responses
    carry an ETag of the listings version and the normalised address, and
    `Cache-Control: no-cache`: a client asking again gets a 304 until a
    listing changes.
    """
    if view is None:
        return lambda view: cache_listings_page(
            view, params=params, defaults=defaults, etag=etag
        )
    mark = served_whole if etag else served_early

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        asked = request.META.get("QUERY_STRING", "")
        _request_normalised(request, params, defaults)
        # Served early (PageCacheMiddleware) only under its own address: other
        # spellings of it are not keys of their own there either.
        request._page_canonical = request.META["QUERY_STRING"] == asked
        if not etag:
            return _visitor_slots_filled(request, _cached(view, request, args, kwargs))
        tag = _etag(request)
        if etag_asked(request, tag):
            return HttpResponseNotModified(headers=revalidated(tag))
        response = _cached(view, request, args, kwargs)
        if response.status_code == 200:
            for header, value in revalidated(tag).items():
                response[header] = value
        return response

    return mark(cached_view)


def served_early(view):
    """Marks a view whose shared answers (`page_shared`) PageCacheMiddleware
    may keep and serve; decorators made with functools.wraps keep the mark."""
    view.served_early = EARLY
    return view


def served_whole(view):
    """Marks a view whose shared answers hold nothing of their visitor's, no
    form and no cookie (the map's tiles, the APIs): AnswerCacheMiddleware
    keeps them as the whole middleware stack sent them and serves them before
    any of it runs. PageCacheMiddleware leaves them alone."""
    view.served_early = WHOLE
    return view


def _etag(request):
    text = f"{listings_version()}:{_page_key(request)}"
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def etag_asked(request, tag):
    """Whether the client already holds `tag` (If-None-Match, weak or not:
    GZipMiddleware makes ours weak)."""
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    return tag in {asked_tag.removeprefix("W/").strip('"') for asked_tag in asked}


def revalidated(tag):
    """Headers of a response browsers keep but ask about each time."""
    return {"ETag": f'"{tag}"', "Cache-Control": "public, no-cache"}


def _cached(view, request, args, kwargs):
    # A map view (bbox) changes at every pan: its answers are never asked for
    # twice, and would only crowd the cache. LISTINGS_PAGE_CACHE off measures
    # what a miss costs (bench/run); the data caches stay on.
    if (
        not settings.LISTINGS_PAGE_CACHE
        or request.method not in ("GET", "HEAD")
        or "bbox" in request.GET
    ):
        return _built(view, request, args, kwargs)
    key = _page_key(request)
    version, page = _versioned_get(key)
    if page is not None:
        headers, content = page
        response = HttpResponse(content, headers=headers)
    else:
        response = _built(view, request, args, kwargs)
        if not _shared(request, response):
            return response
        page = (dict(response.items()), response.content)
        cache.set(key, (version, page), settings.LISTINGS_CACHE_SECONDS)
    if getattr(request, "_page_canonical", True):
        page_shared(response, version)
    return response


def page_shared(response, version, content=None):
    """`response` (with `content` where the visitor slots are still stand-ins,
    by default its own) is the same for every visitor of its address under
    listings `version`: PageCacheMiddleware may keep it as sent."""
    response._page_shared = (version, response.content if content is None else content)


class PageCacheMiddleware:
    """Serves a cached page before the middleware below it in MIDDLEWARE runs.

    A page hit still went through the session, CSRF, authentication, messages,
    CSP, history and axes middleware, the URL's resolution and the view's
    decorators: twice the cost of the hit itself. Here, a GET from a visitor
    with no session and no pending message (so anonymous, and seeing what
    every such visitor sees) is answered from an entry holding the response as
    those middleware left it, keyed like the page cache (address, language,
    units) and stored under the same listings version. The entry is written
    when such a request was answered by a page the page cache shares
    (`page_shared`) at its canonical address, so junk query strings add no
    entry. Only views marked `served_early` (`cache_listings_page`'s pages)
    are looked up; those `served_whole` (tiles, APIs) are
    AnswerCacheMiddleware's. The contact form's slots are filled in, with this
    visitor's CSRF cookie made or kept by Django's own CSRF middleware, as on
    the full path.
    Conditional requests take the full path (its ETags and 304s). A page
    without slots is also kept compressed, as GZipMiddleware (above this one)
    would send it (`_gzipped`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        key = _early_key(request)
        if key is None:
            return self.get_response(request)
        version, page = _held_get(key)
        if page is not None:
            return self._served(request, *page)
        response = self.get_response(request)
        shared = getattr(response, "_page_shared", None)
        if shared is not None and shared[0] == version:
            headers = _early_headers(request, response)
            if headers is not None:
                parts = _slots_split(shared[1])
                gzipped = _gzipped(headers, shared[1])
                if gzipped is not None and len(parts) > 1:
                    gzipped = (gzipped[0], _deflated_apart(parts[0::2]))
                _held_set(key, version, (headers, parts, gzipped))
        return response

    def _served(self, request, headers, parts, gzipped):
        self.csrf.process_request(request)
        compressed = gzipped is not None and ACCEPTS_GZIP.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        )
        if compressed and len(parts) == 1:
            response = HttpResponse(gzipped[1], headers=gzipped[0])
        else:
            values = _slot_values(parts, request)
            content = _joined(parts, values)
            if compressed:
                body = _gzip_joined(gzipped[1], parts, values, content)
                response = HttpResponse(body, headers=gzipped[0])
            else:
                response = HttpResponse(content, headers=headers)
            response["Content-Length"] = len(response.content)
        return self.csrf.process_response(request, response)


# The entries' shape is in their key: during a rolling deployment, workers
# of the code before and after read and write the same cache, and neither may
# read an entry it cannot unpack (the version only moves at `migrate`).
EARLY_PREFIX = "early4:"
WHOLE_PREFIX = "whole1:"
EARLY, WHOLE = "early", "whole"
# As GZipMiddleware reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _gzipped(headers, content):
    """(headers, body) of the page as GZipMiddleware sends it to a browser
    that accepts gzip (browsers all do), compressed once here rather than at
    every answer (about a millisecond for a page of 50 KB); the middleware
    then leaves it as it is (it has a Content-Encoding). None for a page the
    middleware would not compress. Compressed once, its length is the same
    for everyone: a page without visitor slots holds no secret (BREACH); for
    a page with them, only the headers are kept, its body is joined at each
    answer (`_gzip_joined`)."""
    asking = HttpRequest()
    asking.META["HTTP_ACCEPT_ENCODING"] = "gzip"
    response = HttpResponse(content, headers=headers)
    response = GZipMiddleware(lambda request: response).process_response(
        asking, response
    )
    if not response.has_header("Content-Encoding"):
        return None
    return dict(response.items()), response.content


# A gzip member's header: deflate, no name, no time, no system named.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _deflated_apart(texts):
    """A page's texts between its visitor slots, compressed once in one raw
    deflate stream, fully flushed after each but the last (which ends it):
    each piece starts afresh on a byte boundary, refers to nothing before it,
    and anything may be put between two of them (`_gzip_joined`). Compressing
    a plot page at each answer cost more than the rest of it (0.57 ms)."""
    stream = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    pieces = [stream.compress(text) + stream.flush(zlib.Z_FULL_FLUSH) for text in texts]
    pieces[-1] += stream.flush()
    return pieces


def _gzip_joined(pieces, parts, values, content):
    """The gzip body of `content` (`parts` joined with `values`): the texts'
    pieces from `_deflated_apart`, the visitor's values between them as
    stored (uncompressed) deflate blocks. Nothing compresses against a token,
    so its length tells nothing (BREACH)."""
    body = [GZIP_HEADER, pieces[0]]
    for slot, piece in zip(parts[1::2], pieces[1:], strict=True):
        body += [_stored(values[slot]), piece]
    body.append(struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF))
    return b"".join(body)


def _stored(value):
    """`value` as deflate stored blocks (not the last), 65,535 bytes at most
    each (RFC 1951, 3.2.4)."""
    blocks = []
    for start in range(0, len(value), 0xFFFF):
        chunk = value[start : start + 0xFFFF]
        blocks.append(struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def _early_askable(request):
    """A GET from a visitor with no session and no pending message (so
    anonymous, and seeing what every such visitor sees), not conditional (the
    full path gives its ETags and 304s), not a map view (never asked twice)."""
    return not (
        request.method != "GET"
        or not settings.LISTINGS_PAGE_CACHE
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or "HTTP_IF_NONE_MATCH" in request.META
        or "HTTP_IF_MODIFIED_SINCE" in request.META
        or "bbox" in request.GET
    )


def _early_key(request):
    if not _early_askable(request) or _served_early(request) != EARLY:
        return None
    return EARLY_PREFIX + _page_key(request)


def _whole_key(request):
    if not _early_askable(request):
        return None
    language = request_language(request)
    if _served_early(request, language) != WHOLE:
        return None
    # As GZipMiddleware decides: one entry for each of its two answers.
    asks = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return f"{WHOLE_PREFIX}{'gzip' if asks else 'plain'}:{_page_key(request, language)}"


def _served_early(request, language=None):
    """The mark of the view at the request's path, looked up once per request
    (AnswerCacheMiddleware asks first, PageCacheMiddleware again)."""
    try:
        return request._early_mark
    except AttributeError:
        pass
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    mark = _view_mark(request.path_info, language or get_language(), urlconf)
    request._early_mark = mark
    return mark


@lru_cache(maxsize=4096)
def _view_mark(path, language, urlconf):
    """How the view at `path` (in `language`: the URLs are translated) is
    served early: EARLY, WHOLE or None. Asked before the cache, it spares
    every other page a round trip for an entry it can never have; remembered,
    since resolving costs about as much as the rest of an early answer."""
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return None
    return getattr(view, "served_early", None)


def _early_headers(request, response):
    """The response's headers to keep, or None if it is not the same for every
    visitor as the middleware left it: a cookie other than the CSRF one (made
    again for each visitor who needs it, with its Vary), a session read."""
    if (
        response.status_code != 200
        or response.streaming
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        or getattr(getattr(request, "session", None), "accessed", False)
    ):
        return None
    headers = dict(response.items())
    headers.pop("Content-Length", None)
    vary = cc_delim_re.split(headers.pop("Vary", ""))
    if any(field and field.lower() != "cookie" for field in vary):
        return None
    return headers


class AnswerCacheMiddleware:
    """Serves a cached answer that holds nothing of its visitor's (a map tile,
    an API's answer: views marked `served_whole`) before any other middleware.

    A cached tile is asked for far more often than any page, and passing the
    security, static files, gzip and locale middleware before
    PageCacheMiddleware cost as much as the rest of its answer. Here the
    answer is kept as the whole stack sent it, headers and body, compressed
    or not: one entry for each answer GZipMiddleware gives (gzip asked or
    not), under the address (scheme and host included), the language the
    locale middleware would choose and the visitor's units, and the listings
    version. It is written when such a request was answered by a page the
    page cache shares (`page_shared`), with no cookie, no session read and
    no Vary on anything but those. Everything else takes the full path: other
    methods, conditional requests, visitors with a session or a message, an
    address the security middleware redirects (no answer of its is kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _whole_key(request)
        if key is None:
            return self.get_response(request)
        version, answer = _held_get(key)
        if answer is not None:
            headers, content = answer
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if _sent_whole(request, response, version):
            _held_set(key, version, (dict(response.items()), response.content))
        return response


# What the key of AnswerCacheMiddleware's entries stands for.
WHOLE_VARY = {"accept-encoding", "accept-language"}


def _sent_whole(request, response, version):
    shared = getattr(response, "_page_shared", None)
    if shared is None or shared[0] != version:
        return False
    vary = {f.strip().lower() for f in cc_delim_re.split(response.get("Vary", ""))}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary - {""} <= WHOLE_VARY
        and not getattr(getattr(request, "session", None), "accessed", False)
        and len(_slots_split(shared[1])) == 1
    )
