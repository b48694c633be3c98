"""The real SMTP server on loopback of the leads tests."""

from tests.leads.conftest import smtp, smtp_down  # noqa: F401 (fixtures)
