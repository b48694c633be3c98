"""Login protection: lock-out after repeated failed logins (django-axes), the
client's address behind proxies, staff support and password resets."""

import re

from django.core.exceptions import ImproperlyConfigured

from core.network import client_ip  # noqa: F401 (leads import it here)
from investinartois.env import env, env_int

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
# The styled 429 page: how long, the password reset, whom to write to.
AXES_LOCKOUT_CALLABLE = "investinartois.staff_accounts.locked_out"
# Failures and lock-outs are logged (logger "axes") and recorded (AccessAttempt,
# in the admin) with the username and address, which an investigation needs;
# django-axes always masks the password.
AXES_SENSITIVE_PARAMETERS = []

# How many proxies stand between clients and the app (1 with deploy/nginx.conf).
# 0: the client is REMOTE_ADDR. N: the N-th address from the right of
# X-Forwarded-For, the one the outermost proxy wrote (core/network.py).
# Too low, and every visitor has the proxy's address; too high, and clients
# choose their own: production requires it (settings/prod.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if not 0 <= TRUSTED_PROXIES <= 5:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be between 0 and 5.")
if env("RATELIMIT_IP_META_KEY", None):
    raise ImproperlyConfigured(
        "RATELIMIT_IP_META_KEY is no longer read: set TRUSTED_PROXIES instead "
        "(README, Configuration)."
    )
# The lock-out and the leads' limits see the same client: its address, an
# IPv6 client's /64. Unknown (None): the login form refuses to log in
# (investinartois/staff_accounts.py).
AXES_CLIENT_IP_CALLABLE = "core.network.lockout_address"

# Whom staff write to when locked out or without an account (the login and
# lock-out pages, the reset email). Production requires it (settings/prod.py).
STAFF_SUPPORT_EMAIL = env("STAFF_SUPPORT_EMAIL", "contact@investinartois.fr")
if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", STAFF_SUPPORT_EMAIL):
    raise ImproperlyConfigured("STAFF_SUPPORT_EMAIL must be an email address.")
# A reset link works once, and only for this long (Django's default: 3 days).
PASSWORD_RESET_TIMEOUT = 2 * 3600
