"""Shared fragments: rendered once until the listings change, per language and
key values, and never kept when they hold a visitor's value."""

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from core.caching import listings_changed

pytestmark = pytest.mark.django_db

calls = []


def counted():
    calls.append(1)
    return len(calls)


def rendered(source, request=None, **values):
    request = request or RequestFactory().get("/")
    template = Template("{% load fragments %}" + source)
    return template.render(RequestContext(request, {"counted": counted, **values}))


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


def test_rendered_once_until_the_listings_change():
    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source) == "1"
    assert rendered(source) == "1"
    listings_changed()
    assert rendered(source) == "2"


def test_one_per_language_and_key_value():
    source = '{% shared_fragment "t" value %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source, value="a") == "1"
    assert rendered(source, value="b") == "2"
    assert rendered(source, value="a") == "1"
    with translation.override("en"):
        assert rendered(source, value="a") == "3"


@pytest.mark.parametrize(
    "inside",
    ["{{ csrf_token }}", "{{ csp_nonce }}", "{{ request.session.anything }}"],
)
def test_a_visitors_value_is_never_kept(inside):
    from csp.middleware import CSPMiddleware
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CsrfViewMiddleware

    def visitor():
        request = RequestFactory().get("/")
        request.session = SessionStore()
        CsrfViewMiddleware(lambda r: None).process_request(request)
        CSPMiddleware(lambda r: None).process_request(request)
        return request

    source = (
        f'{{% shared_fragment "t" %}}{{{{ counted }}}}{inside}'
        "{% endshared_fragment %}"
    )
    first, second = visitor(), visitor()
    one, two = rendered(source, first), rendered(source, second)
    assert one.startswith("1") and two.startswith("2")
    assert one != two or inside.startswith("{{ request.session")
    # What the middleware reads to set the cookie or header is still set.
    if "csrf" in inside:
        assert second.META["CSRF_COOKIE_NEEDS_UPDATE"]
    if "session" in inside:
        assert second.session.accessed


def test_a_token_used_before_the_fragment_still_counts_for_the_page():
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    request = RequestFactory().get("/")
    CsrfViewMiddleware(lambda r: None).process_request(request)
    get_token(request)
    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source, request) == "1"
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    assert rendered(source) == "1"  # kept: the fragment itself used nothing


def test_not_kept_without_a_request():
    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    template = Template("{% load fragments %}" + source)
    assert template.render(Context({"counted": counted})) == "1"
    assert template.render(Context({"counted": counted})) == "2"


def test_the_footer_is_not_kept_after_a_database_error(monkeypatch):
    from django.db import DatabaseError
    from django.utils.html import escape

    from sites.models import Organisation

    def failing(*args, **kwargs):
        raise DatabaseError("down")

    names = [escape(o.name) for o in Organisation.objects.members()]
    source = (
        '{% load portal %}{% shared_fragment "footer" %}'
        "{% portal_links %}{% endshared_fragment %}"
    )
    with monkeypatch.context() as patched:
        patched.setattr(Organisation.objects, "members", failing)
        assert not any(name in rendered(source) for name in names)
    assert names and all(name in rendered(source) for name in names)


def test_not_kept_unless_told():
    source = (
        '{% shared_fragment "t" unless=map_view %}{{ counted }}{% endshared_fragment %}'
    )
    assert rendered(source, map_view=True) == "1"
    assert rendered(source, map_view=True) == "2"
    assert rendered(source, map_view=False) == "3"
    assert rendered(source, map_view=False) == "3"


def test_a_map_views_search_keeps_no_filters(client, settings):
    from django.core.cache import cache
    from django.urls import reverse

    settings.LISTINGS_PAGE_CACHE = False
    url = reverse("sites:search")
    keys = set()
    original = cache.set

    def recorded(key, *args, **kwargs):
        keys.add(key)
        return original(key, *args, **kwargs)

    cache.set = recorded
    try:
        client.get(url, {"bbox": "2.5,50.4,2.6,50.5"})
        assert not any(":fragment:search-form" in key for key in keys)
        client.get(url, {"surface_min": "1"})
        assert any(":fragment:search-form" in key for key in keys)
    finally:
        cache.set = original


def test_fragments_of_many_items_render_only_those_not_kept():
    from core.templatetags.fragments import shared_fragments

    rendered_items = []

    def render(items):
        rendered_items.append(items)
        return {item: f"<{item}>" for item in items}

    request = RequestFactory().get("/")
    keyed = [("a", ("a",)), ("b", ("b",))]
    assert shared_fragments(request, "t", keyed, render) == ["<a>", "<b>"]
    keyed.insert(1, ("c", ("c",)))
    assert shared_fragments(request, "t", keyed, render) == ["<a>", "<c>", "<b>"]
    assert rendered_items == [["a", "b"], ["c"]]
    listings_changed()
    assert shared_fragments(request, "t", keyed[:1], render) == ["<a>"]
    assert rendered_items[-1] == ["a"]


def test_fragments_of_many_items_never_keep_a_visitors_value():
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    from core.templatetags.fragments import shared_fragments

    def visitor():
        request = RequestFactory().get("/")
        CsrfViewMiddleware(lambda r: None).process_request(request)
        return request

    def render(request):
        return lambda items: {item: get_token(request) for item in items}

    first, second = visitor(), visitor()
    keyed = [("a", ("a",))]
    one = shared_fragments(first, "t", keyed, render(first))
    two = shared_fragments(second, "t", keyed, render(second))
    assert one != two
    assert second.META["CSRF_COOKIE_NEEDS_UPDATE"]
    # Left out (a row gone since it was listed): not kept, not shown.
    assert shared_fragments(first, "u", keyed, lambda items: {}) == []


def test_a_pages_fragments_are_read_in_one_round_trip(client, settings, monkeypatch):
    from django.core.cache import cache
    from django.urls import reverse

    settings.LISTINGS_PAGE_CACHE = False
    home = reverse("portal:home")
    first = client.get(home).content
    backend = cache._connections[cache._alias]  # the real backend behind the proxy
    reads, inside = [], []  # the in-memory cache's get_many calls its own get
    for method in ("get", "get_many"):
        original = getattr(backend, method)

        def read(*args, _original=original, _method=method, **kwargs):
            if not inside:
                reads.append(_method)
            inside.append(_method)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, method, read)
    # Its fragments (the structured data, the content, the footer), together.
    assert client.get(home).content == first
    assert reads == ["get_many"]


AHEAD = "{% shared_fragments_read_ahead %}"


def test_a_fragment_named_otherwise_where_it_stands_is_read_there():
    source = (
        AHEAD + '{% for value in values %}{% shared_fragment "t" value %}'
        "{{ value }}{{ counted }}{% endshared_fragment %}{% endfor %}"
    )
    assert rendered(source, values="ab") == "a1b2"
    assert rendered(source, values="ab") == "a1b2"
    assert rendered(source, values="bc") == "b2c3"


def test_what_is_read_ahead_is_not_shown_in_another_language():
    fragment = (
        '{% shared_fragment "t" %}{% get_current_language as language %}'
        "{{ language }}{% endshared_fragment %}"
    )
    source = (
        "{% load i18n %}" + AHEAD + fragment + '{% language "en" %}'
        f"{fragment}{{% endlanguage %}}"
    )
    with translation.override("fr"):
        assert rendered(source) == "fren"
        assert rendered(source) == "fren"


def cache_reads(monkeypatch):
    """The keys each read of the cache asks for (the real backend's get and
    get_many, not those it makes inside itself)."""
    from django.core.cache import cache

    backend = cache._connections[cache._alias]
    reads, inside = [], []
    for method in ("get", "get_many"):
        original = getattr(backend, method)

        def read(keys, *args, _original=original, _method=method, **kwargs):
            if not inside:
                reads.append([keys] if _method == "get" else list(keys))
            inside.append(_method)
            try:
                return _original(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, method, read)
    return reads


def test_a_fragment_without_values_is_held_in_memory(monkeypatch):
    """Its text is not read from the cache again: only the version is, and
    a change of the listings still shows at once."""
    from core.caching import VERSION_KEY

    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source) == "1"
    reads = cache_reads(monkeypatch)
    assert rendered(source) == "1"
    assert reads == [[VERSION_KEY]]
    listings_changed()
    assert rendered(source) == "2"
    assert rendered(source) == "2"
    with translation.override("en"):
        assert rendered(source) == "3"


def test_a_fragment_with_values_is_read_from_the_cache(monkeypatch):
    from core.caching import VERSION_KEY

    source = '{% shared_fragment "t" value %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source, value="a") == "1"
    reads = cache_reads(monkeypatch)
    assert rendered(source, value="a") == "1"
    assert len(reads) == 1 and reads[0][0] == VERSION_KEY and len(reads[0]) == 2


def test_a_held_fragment_changed_by_another_worker_is_read_again(monkeypatch):
    """Stored anew under a newer version (by another worker, or after an
    edit): that text, not the one held, in one more round trip."""
    from core import caching

    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source) == "1"
    listings_changed()
    key = caching._listings_key("fragment:t")
    caching.cache.set(key, (caching.listings_version(), "elsewhere"))
    assert rendered(source) == "elsewhere"
    assert rendered(AHEAD + source) == "elsewhere"


def test_a_held_fragment_lasts_no_longer_than_in_the_cache(settings):
    settings.LISTINGS_CACHE_SECONDS = 0  # kept nowhere
    source = '{% shared_fragment "t" %}{{ counted }}{% endshared_fragment %}'
    assert rendered(source) == "1"
    assert rendered(source) == "2"
    assert rendered(AHEAD + source) == "3"


def test_a_pages_held_fragments_cost_only_the_version(client, settings, monkeypatch):
    from core.caching import VERSION_KEY

    settings.LISTINGS_PAGE_CACHE = False
    first = client.get(reverse_home()).content
    reads = cache_reads(monkeypatch)
    assert client.get(reverse_home()).content == first
    assert reads == [[VERSION_KEY]]


def reverse_home():
    from django.urls import reverse

    return reverse("portal:home")


def built(source, request=None, **values):
    """`source` as a page built by a `cache_listings_page` view: the page's
    text as sent."""
    from django.http import HttpResponse

    from core.caching import cache_listings_page

    template = Template("{% load fragments %}" + source)

    @cache_listings_page
    def view(request):
        context = RequestContext(request, {"counted": counted, **values})
        return HttpResponse(template.render(context))

    return view(request or RequestFactory().get("/")).content.decode()


@pytest.fixture
def built_each_time(settings):
    settings.LISTINGS_PAGE_CACHE = False


def test_held_fragments_go_into_the_built_page_as_they_are(built_each_time):
    source = (
        'a{% shared_fragment "t" %}é’{{ counted }}{% endshared_fragment %}b'
        '{% for i in "12" %}{% shared_fragment "u" %}x{% endshared_fragment %}'
        "{% endfor %}c"
    )
    assert built(source) == "aé’1bxxc"
    assert built(source) == "aé’1bxxc"  # both held now
    with translation.override("en"):
        assert built(source) == "aé’2bxxc"
        assert built(source) == "aé’2bxxc"


def test_a_held_fragment_inside_another_is_kept_with_its_text(built_each_time):
    inner = '{% shared_fragment "t" %}in{{ counted }}{% endshared_fragment %}'
    assert built(inner) == "in1"
    outer = f'{{% shared_fragment "outer" value %}}[{inner}]{{% endshared_fragment %}}'
    assert built(outer, value="a") == "[in1]"  # stored as it was built
    assert built(outer, value="a") == "[in1]"  # as stored


def test_a_page_with_the_marks_characters_is_built_right(built_each_time):
    source = '\ue000{% shared_fragment "t" %}x{% endshared_fragment %}\ue0000\ue000'
    assert built(source) == "\ue000x\ue0000\ue000"
    assert built(source) == "\ue000x\ue0000\ue000"


def test_a_held_fragment_inside_a_filter_is_filtered(built_each_time):
    source = (
        '{% filter upper %}{% shared_fragment "t" %}abc{% endshared_fragment %}'
        "{% endfilter %}"
    )
    assert built(source) == "ABC"
    assert built(source) == "ABC"


def test_a_visitor_slot_in_a_held_fragment_is_filled(built_each_time):
    from django.middleware.csrf import CsrfViewMiddleware

    from leads.tokens import CSRF_SLOT

    def visitor():
        request = RequestFactory().get("/")
        CsrfViewMiddleware(lambda r: None).process_request(request)
        return request

    source = f'{{% shared_fragment "t" %}}<i>{CSRF_SLOT}</i>{{% endshared_fragment %}}'
    built(source, visitor())
    first, second = built(source, visitor()), built(source, visitor())
    assert CSRF_SLOT not in first and CSRF_SLOT not in second
    assert first != second  # each visitor's own token


def test_not_kept_while_nothing_is_kept():
    """Rendered for a staff preview (core.caching.nothing_kept), a fragment
    is not kept for the pages of others; one kept before is read."""
    from core.caching import nothing_kept

    source = '{% shared_fragment "t" value %}{{ counted }}{% endshared_fragment %}'
    with nothing_kept():
        assert rendered(source, value="a") == "1"
        assert rendered(source, value="a") == "2"
    assert rendered(source, value="a") == "3"
    with nothing_kept():
        assert rendered(source, value="a") == "3"


def test_shared_fragments_are_not_kept_while_nothing_is_kept():
    from core.caching import nothing_kept
    from core.templatetags.fragments import shared_fragments

    def render(items):
        return {item: f"{item}{counted()}" for item in items}

    request = RequestFactory().get("/")
    keyed = [("a", ["a"]), ("b", ["b"])]
    with nothing_kept():
        assert shared_fragments(request, "cards", keyed, render) == ["a1", "b2"]
    assert shared_fragments(request, "cards", keyed, render) == ["a3", "b4"]
    assert shared_fragments(request, "cards", keyed, render) == ["a3", "b4"]
