"""Django's SMTP backend, keeping an answer it throws away.

When a server accepts some recipients of a message and refuses others, smtplib
returns the refused ones and Django's backend drops them: a developer whose
address bounces would miss every lead unseen. This backend keeps them on the
connection, for the delivery to record (services.lead_deliver).
"""

import smtplib

from django.conf import settings
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address


class _RecordsRefusals:
    refused = None

    def sendmail(self, *args, **kwargs):
        self.refused = super().sendmail(*args, **kwargs)
        return self.refused


class RecordingSMTP(_RecordsRefusals, smtplib.SMTP):
    pass


class RecordingSMTPSSL(_RecordsRefusals, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return RecordingSMTPSSL if self.use_ssl else RecordingSMTP


def refused_recipients(connection):
    """{address: (code, message)} refused by the last sending on `connection`;
    always empty for the backends that cannot tell (files, memory)."""
    refused = getattr(getattr(connection, "connection", None), "refused", None)
    return dict(refused or {})


def accepted_recipients(message, refused):
    """The addresses of `message` not in `refused` (as refused_recipients
    gives it): the server has the message for them. smtplib names a refused
    address as it was sent, encoded (an internationalised domain in
    punycode), not as the message holds it."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return [
        address
        for address in message.recipients()
        if sanitize_address(address, encoding) not in refused
    ]
