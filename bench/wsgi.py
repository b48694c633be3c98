"""The benchmark's WSGI application: the portal, and /bench/bare/ answered by
Django without any of the portal's middleware, the baseline every page is
compared to (bench/run, docs/performance.md)."""

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

BARE_PATH = "/bench/bare/"


class BareHandler(WSGIHandler):
    """Django's request handling (request object, URL resolution, signals,
    response) with an empty middleware list, whatever MIDDLEWARE says."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


portal = get_wsgi_application()
bare = BareHandler()


def application(environ, start_response):
    handler = bare if environ.get("PATH_INFO") == BARE_PATH else portal
    return handler(environ, start_response)
