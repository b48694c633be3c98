def csp_nonce(request):
    """django-leaflet's admin widget reads `csp_nonce` for its inline script."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
