"""Content Security Policy and cross-origin isolation.

Pages carry no inline script: map options travel as JSON data and scripts are
static files. Only the admin's map widget writes an inline script, with this
request's nonce. Leaflet positions popups with style attributes and draws marker
shadows from data: images, hence 'unsafe-inline' in style-src and data: in img-src.
"""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from investinartois.settings.integrations.maps import TILE_HOST

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", TILE_HOST],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "manifest-src": [SELF],
    }
}
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features no page uses, refused to every page and what it embeds
# (Permissions-Policy: feature=()). The search map asks for no location: a
# commune or a drawn area is the visitor's own choice.
PERMISSIONS_POLICY = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]
