from django.core.exceptions import ImproperlyConfigured

from investinartois.env import env, env_bool, env_int

# Django's SMTP backend, recording the recipients a server refuses (leads/mail.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "leads.mail.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
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
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Invest in Artois <contact@investinartois.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
