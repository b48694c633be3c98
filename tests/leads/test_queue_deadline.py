"""A lead is served however long it waited for a worker: its sender is
waiting for it (investinartois.middleware.queue_deadline sheds only GETs)."""

import time

import pytest
from django.urls import reverse

from leads.models import Lead

pytestmark = pytest.mark.django_db


def test_a_lead_is_served_however_long_it_waited(
    smtp, contacts, plot, submit, settings
):
    settings.REQUEST_QUEUE_TIMEOUT = 10
    stamp = f"t={time.time() - 60:.3f}"
    url = reverse("leads:plot", args=[plot.slug])
    response = submit(url, HTTP_X_REQUEST_START=stamp)
    assert response.status_code in (200, 302)
    assert Lead.objects.filter(plot=plot).count() == 1
    assert len(smtp.messages) >= 1
