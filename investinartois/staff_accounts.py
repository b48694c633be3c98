"""Staff accounts: the admin's login form."""

import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .network import client_ip

logger = logging.getLogger(__name__)


class StaffLoginForm(AdminAuthenticationForm):
    """Refuses to log in when the client's address is unknown: the lock-out
    counts failures per address, so without one it could not protect the
    account (fail closed, see investinartois/network.py)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_address": _(
            "Logging in is impossible for now: the portal cannot read your "
            "connection's address (a server setting). Please tell the technical "
            "team."
        ),
    }

    def clean(self):
        if self.request is not None and client_ip(self.request) is None:
            logger.error(
                "login refused: client address unknown (TRUSTED_PROXIES=%s); "
                "the proxy must set X-Forwarded-For",
                settings.TRUSTED_PROXIES,
            )
            raise ValidationError(self.error_messages["no_address"], code="no_address")
        return super().clean()
