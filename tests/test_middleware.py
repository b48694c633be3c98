"""The middleware made cheaper behaves as Django's and django-csp's do: the
same Content-Security-Policy header, the nonce when a page uses one, messages
kept across requests."""

import pytest
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from investinartois.messages import LazyFallbackStorage
from investinartois.middleware import CSPMiddleware


def policies(middleware_class, view, path="/fr/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    response = middleware(request)
    return response.get("Content-Security-Policy"), response.get(
        "Content-Security-Policy-Report-Only"
    )


def plain(request):
    return HttpResponse("ok")


def with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@csp_update({"img-src": ["https://example.org"]})
def updated(request):
    return HttpResponse("ok")


def directives(header):
    return sorted(part.strip() for part in header.split(";"))


@pytest.mark.parametrize("view", [plain, updated])
def test_the_header_is_django_csps(view):
    ours, theirs = policies(CSPMiddleware, view), policies(DjangoCSPMiddleware, view)
    assert ours[0] and directives(ours[0]) == directives(theirs[0])
    assert ours[1] == theirs[1]  # none here: no report-only policy
    assert "https://example.org" in ours[0] or view is plain


def test_a_page_using_the_nonce_has_it_in_its_header():
    request = RequestFactory().get("/fr/")
    response = CSPMiddleware(with_nonce)(request)
    nonce = request._csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f"nonce='{nonce}'" in response.text
    assert "nonce-" not in policies(CSPMiddleware, plain)[0]


def test_a_nonce_asked_for_after_the_header_is_an_error():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/fr/")
    CSPMiddleware(plain)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_policy_is_read_again():
    policy = {"DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        assert policies(CSPMiddleware, plain)[1] == "default-src 'self'"
    assert policies(CSPMiddleware, plain)[1] is None


def session_request(cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    SessionMiddleware(plain).process_request(request)
    return request


def test_messages_are_kept_for_the_next_request():
    request = session_request()
    request._messages = storage = LazyFallbackStorage(request)
    messages.success(request, "Saved.")
    response = HttpResponse()
    assert storage.update(response) == []
    cookie = response.cookies[CookieStorage.cookie_name].value
    later = session_request({CookieStorage.cookie_name: cookie})
    assert [str(m) for m in LazyFallbackStorage(later)] == ["Saved."]


def test_a_request_without_messages_makes_no_storage():
    request = session_request()
    storage = LazyFallbackStorage(request)
    response = HttpResponse()
    storage.update(response)
    assert "storages" not in storage.__dict__
    assert not response.cookies
