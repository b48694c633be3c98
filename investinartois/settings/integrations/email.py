import re
from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured

from investinartois.env import env, env_bool, env_int

# Django's SMTP backend, recording the recipients a server refuses (leads/mail.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "leads.mail.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
if EMAIL_PORT > 65535:
    raise ImproperlyConfigured("EMAIL_PORT must be a port number, 1 to 65535.")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    # Django refuses both only when it sends: every lead would fail then.
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true: STARTTLS (port 587) "
        "or implicit TLS (port 465), not both."
    )
# At least a second: 0 would make the socket non-blocking, and every sending fail.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Invest in Artois <contact@investinartois.fr>"
)
# Every lead and alert is sent from it: a typo would have each one refused.
if not re.fullmatch(
    r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", parseaddr(DEFAULT_FROM_EMAIL)[1]
):
    raise ImproperlyConfigured(
        "DEFAULT_FROM_EMAIL must be an email address, such as "
        "'Invest in Artois <contact@investinartois.fr>'."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
