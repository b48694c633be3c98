from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
# Emails land as files the developer can open, one per message.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
