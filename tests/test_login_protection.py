"""Lock-out after repeated failed logins on the staff login (django-axes)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
WRONG = "Tr0ub4dor&3-guess"


@pytest.fixture
def developer():
    return User.objects.create_user("dev-call", password=PASSWORD, is_staff=True)


def log_in(client, password, username="dev-call"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_logs_in(client, developer):
    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(
    client, developer, caplog
):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(5):
        assert log_in(client, WRONG).status_code in (200, 429)
        assert not logged_in(client)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    assert "Locking out" in caplog.text and "dev-call" in caplog.text
    assert WRONG not in caplog.text and PASSWORD not in caplog.text
    attempt = AccessAttempt.objects.get(username="dev-call")
    assert attempt.failures_since_start >= 5
    assert WRONG not in attempt.post_data


def test_four_wrong_passwords_do_not_lock_out(client, developer):
    for _ in range(4):
        log_in(client, WRONG)
    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_account_from_the_same_address_is_not_locked_out(client, developer):
    User.objects.create_user("dev-cahc", password=PASSWORD, is_staff=True)
    for _ in range(5):
        log_in(client, WRONG)
    assert log_in(client, PASSWORD, username="dev-cahc").status_code == 302


def test_force_login_still_works(client, developer):
    client.force_login(developer)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_logins_are_kept_a_year_then_purged_by_the_beat(client, developer):
    """django-axes records every staff login (username, address, browser);
    nothing else deletes these records."""
    from datetime import timedelta

    from axes.models import AccessLog
    from django.conf import settings
    from django.utils import timezone

    from investinartois.celery import app
    from workspace.tasks import staff_logins_purge

    assert log_in(client, PASSWORD).status_code == 302
    old = AccessLog.objects.create(
        username="dev-call", ip_address="192.0.2.1", user_agent="old browser"
    )
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - timedelta(days=366)
    )

    assert staff_logins_purge() == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["dev-call"]
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "workspace.tasks.staff_logins_purge" in tasks
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)


def test_expired_staff_sessions_are_cleared_by_the_beat(client, developer, settings):
    from django.contrib.sessions.models import Session

    from workspace.tasks import expired_sessions_clear

    client.force_login(developer)
    current = Session.objects.get()
    Session.objects.create(
        session_key="x" * 32,
        session_data="",
        expire_date=current.expire_date - timedelta(days=365),
    )

    expired_sessions_clear()

    assert list(Session.objects.values_list("pk", flat=True)) == [current.pk]
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "workspace.tasks.expired_sessions_clear" in tasks
