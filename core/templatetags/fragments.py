"""Parts of a page that are the same for every visitor, rendered once per
language (and the values named after the fragment's name) until the listings
change:

    {% load fragments %}
    {% shared_fragment "footer" %}...{% endshared_fragment %}
    {% shared_fragment "home-partners" some.value %}...{% endshared_fragment %}
    {% shared_fragment "search-form" query unless=map_view %}...

`unless`: rendered and not stored when true (a map view's query changes at
every pan: one entry each would only crowd the cache, as with pages).

A page built without the page cache (a first visit, a new search) still costs
its own parts, not the footer's organisations or the home's map every time.
A fragment that turns out to hold a visitor's value (a CSRF token, the CSP
nonce, the session), or whose tags said `fragment_not_shared`, is served but
not stored, as core.caching does for pages.
"""

import hashlib
import weakref
from dataclasses import dataclass, field

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.caching import (
    held_in_page,
    listings_cached,
    listings_get_many,
    listings_get_many_and_shared,
    listings_set_many,
    marks_suspended,
)

register = template.Library()


def fragment_not_shared(request):
    """What is being rendered must not be stored (a tag that fell back on
    something else, such as a database error on an error page)."""
    if request is not None:
        request.fragment_not_shared = True


class _NotShared(Exception):
    def __init__(self, html):
        self.html = html


# Tags whose content goes into the page as rendered: a held fragment inside
# them only (in its own template) may be put in the page's bytes once it is
# built (core.caching.held_in_page), not inside a tag that alters or compares
# what it encloses ({% filter %}, {% spaceless %}, {% ifchanged %}...). A
# template included inside such a tag elsewhere cannot be seen from here: a
# fragment without values goes into its page as it is.
_IN_PLACE = {"extends", "block", "if", "for", "with", "language", "shared_fragment"}


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts, unless=None, in_place=False):
        self.nodelist, self.name, self.parts = nodelist, name, parts
        self.unless, self.in_place = unless, in_place

    @property
    def held(self):
        """A fragment without values (one per language: the header, the
        footer, a page's fixed parts) is also held in the worker's memory
        (core.caching's `_held`); their number is bounded by the templates'."""
        return not self.parts

    def key(self, context):
        """The fragment's cache name in `context`; None when it is not kept."""
        if self.unless is not None and self.unless.resolve(context):
            return None
        return fragment_key(
            self.name.resolve(context), [part.resolve(context) for part in self.parts]
        )

    def render(self, context):
        key = self.key(context)
        if key is None:
            return self.nodelist.render(context)
        request = context.get("request")
        read_ahead = _read_ahead(request, [key])
        try:
            html = listings_cached(
                key,
                lambda: self._rendered(context, request),
                read_ahead=read_ahead,
                held=self.held,
            )
        except _NotShared as refused:
            return refused.html
        if self.held and self.in_place:
            # Put in the page's bytes once it is built (core.caching).
            mark = held_in_page(request, key, html)
            if mark is not None:
                return SafeString(mark)
        return mark_safe(html)

    def _rendered(self, context, request):
        html, personal = _guarded(request, lambda: self.nodelist.render(context))
        if personal:
            raise _NotShared(html)
        return str(html)


# The fragment nodes of each compiled template (the cached loader keeps them).
_template_fragments = weakref.WeakKeyDictionary()


def _fragment_nodes(template):
    nodes = _template_fragments.get(template)
    if nodes is None:
        nodes = template.nodelist.get_nodes_by_type(SharedFragmentNode)
        _template_fragments[template] = nodes
    return nodes


def _read_ahead(request, keys):
    """(version, {key: html}) read ahead for this request
    (`shared_fragments_read_ahead`), if every one of `keys` was, in the
    language now active; else None."""
    ahead = getattr(request, "_fragments_read_ahead", None)
    if (
        ahead is None
        or ahead.language != get_language()
        or not ahead.keys.issuperset(keys)
    ):
        return None
    return ahead.version, ahead.found


# A context's callable giving the names of more fragments to read ahead.
READ_AHEAD_ALSO = "fragments_read_ahead_also"
# A context's list of names of data kept for every language (listings_cached
# with per_language=False) to read with them, for a value the page needs
# only once they are read (a search's count: the key figures).
READ_AHEAD_SHARED = "fragments_read_ahead_shared"


@dataclass
class _ReadAhead:
    version: int
    found: dict
    keys: set
    language: str
    shared: dict = field(default_factory=dict)  # {name: value} of the data
    shared_names: frozenset = frozenset()


def shared_read_ahead(request, name):
    """What listings_cached(name, per_language=False, read_ahead=...) takes
    when the data `name` was read with the page's fragments (READ_AHEAD_SHARED):
    (version, {name: value}, empty if it was not kept); else None."""
    ahead = getattr(request, "_fragments_read_ahead", None)
    if ahead is None or name not in ahead.shared_names:
        return None
    return ahead.version, ahead.shared


@register.simple_tag(takes_context=True)
def shared_fragments_read_ahead(context):
    """Reads the page's shared fragments from the cache in one round trip, not
    one each (some 0.13 ms of CPU apiece): those of the template being
    rendered and of the one extending it, named as their tags would name them
    here. At the top of base.html, before any of them. A fragment named
    otherwise where it stands (inside a loop, say) is read by its own tag."""
    request = context.get("request")
    if request is None:
        return ""
    nodes = {
        *_fragment_nodes(context.template),
        *_fragment_nodes(context.render_context.template),
    }
    keys, held = set(), set()
    for node in nodes:
        key = node.key(context)
        if key is not None:
            keys.add(key)
            if node.held:
                held.add(key)
    # Others the page names (a search's result cards, `shared_fragments`).
    also = context.get(READ_AHEAD_ALSO)
    if also is not None:
        keys.update(also())
    shared = frozenset(context.get(READ_AHEAD_SHARED) or ())
    if keys or shared:
        version, found, found_shared = listings_get_many_and_shared(keys, shared, held)
        request._fragments_read_ahead = _ReadAhead(
            version, found, keys, get_language(), found_shared, shared
        )
    return ""


def fragment_key(name, values):
    """The cache name of the fragment `name` for `values` (as the tag and
    `shared_fragments` name it)."""
    if not values:
        return f"fragment:{name}"
    text = repr(list(values)).encode()
    return f"fragment:{name}:" + hashlib.md5(text, usedforsecurity=False).hexdigest()


def _guarded(request, render):
    """`render()`, and whether it used a visitor's value (then it must not be
    stored): always true without a request, as there is no way to tell."""
    if request is None:
        return render(), True
    # What a visitor's value leaves behind, reset to see whether this
    # fragment alone uses one, then put back.
    csrf_before = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    session = getattr(request, "session", None)
    session_before = getattr(session, "accessed", False)
    if session is not None:
        session.accessed = False
    refused_before = getattr(request, "fragment_not_shared", False)
    request.fragment_not_shared = False
    try:
        with marks_suspended():  # what is kept holds the text, never a mark
            rendered = render()
        personal = bool(
            request.fragment_not_shared
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or getattr(session, "accessed", False)
            # A nonce made before the fragment cannot be told apart from
            # one it used: not stored either way.
            or getattr(request, "_csp_nonce", None) is not None
        )
    finally:
        if csrf_before is not None:
            used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = csrf_before or used
        if session is not None:
            session.accessed = session.accessed or session_before
        request.fragment_not_shared = request.fragment_not_shared or refused_before
    return rendered, personal


def shared_fragments(request, name, keyed, render, keys=None):
    """The fragments `name` of several items (a page of search results), as
    a list in the order of `keyed`, a list of (item, key values): those
    kept are read in one round trip to the cache, `render(items)` gives
    {item: html} for the others, rendered together (their rows may be read
    in one query) and stored in one more round trip, unless they used a
    visitor's value (as for `{% shared_fragment %}`). `keys`: their names
    (`fragment_key`) when the caller made them already."""
    if keys is None:
        keys = [fragment_key(name, values) for _item, values in keyed]
    version, found = _read_ahead(request, keys) or listings_get_many(keys)
    missing = {
        item: key
        for (item, _values), key in zip(keyed, keys, strict=True)
        if key not in found
    }
    if missing:
        rendered, personal = _guarded(request, lambda: render(list(missing)))
        made = {
            key: str(rendered[item])
            for item, key in missing.items()
            if item in rendered  # gone since the items were listed
        }
        if made and not personal:
            listings_set_many(version, made)
        found = found | made
    return [SafeString(found[key]) for key in keys if key in found]


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    unless = None
    if bits[-1].startswith("unless="):
        unless = parser.compile_filter(bits.pop().removeprefix("unless="))
    # (The stack holds this tag too while it is compiled.)
    in_place = all(command in _IN_PLACE for command, _token in parser.command_stack)
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        unless,
        in_place,
    )
