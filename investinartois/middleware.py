from django.conf import settings


def cross_origin_resource_policy(get_response):
    """Other sites may not embed our responses (Spectre-class leaks)."""

    def middleware(request):
        response = get_response(request)
        response.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response

    return middleware
