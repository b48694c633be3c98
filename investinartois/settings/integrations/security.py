"""Login protection: lock-out after repeated failed logins (django-axes)."""

from investinartois.env import env

# Axes sees every authentication attempt first; it needs the request, so tests
# use force_login, or login(request=...).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Five wrong passwords for one account from one address lock that pair out for
# an hour. Not the address alone: colleagues behind one office NAT would lock
# each other out; not the account alone: anyone could lock a developer out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failures and lock-outs are logged (logger "axes") and recorded (AccessAttempt,
# in the admin) with the username and address, which an investigation needs;
# django-axes always masks the password.
AXES_SENSITIVE_PARAMETERS = []
# The same client address as the leads' rate limit (behind a proxy, the header
# it sets).
AXES_CLIENT_IP_CALLABLE = "investinartois.settings.integrations.security.client_ip"
_IP_META_KEY = env("RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"


def client_ip(request):
    return request.META.get(_IP_META_KEY) or request.META.get("REMOTE_ADDR")
