"""The real SMTP server on loopback of the leads tests."""

from tests.leads.conftest import smtp  # noqa: F401 (a fixture)
