"""Leads held under the former rules are released by migration 0007."""

import importlib

from django.apps import apps

from leads.models import Lead
from tests.leads.test_delivery import pending_lead

release = importlib.import_module("leads.migrations.0007_release_held_leads").release


def held(plot, reason):
    return pending_lead(plot, delivery_status="held", spam_reason=reason)


def test_leads_held_by_the_former_time_trap_or_limit_become_pending(plot):
    fast, limited = held(plot, "too fast"), held(plot, "rate limit")
    old, unreadable = held(plot, "form too old"), held(plot, "bad token")
    robot = held(plot, "honeypot")
    sent = pending_lead(plot, delivery_status="sent", spam_reason="fast")

    release(apps, None)

    def state(lead):
        lead.refresh_from_db()
        return lead.delivery_status, lead.spam_reason

    assert state(fast) == ("pending", "fast")
    assert state(limited) == ("pending", "rate-ip")
    assert state(old) == ("pending", "")
    assert state(unreadable) == ("pending", "")
    assert state(robot) == ("held", "honeypot")
    assert state(sent) == ("sent", "fast")
    assert set(Lead.objects.to_deliver()) == {fast, limited, old, unreadable}
