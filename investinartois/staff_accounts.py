"""Staff accounts: the admin's login form, password reset by email and the
lock-out page, all under the admin's address and in its style."""

import logging
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.links import message_id
from core.network import client_ip

logger = logging.getLogger(__name__)

# One reset email per account in this time: the form cannot be used to flood
# a colleague's inbox.
RESET_EMAIL_INTERVAL = 5 * 60


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, in the staff member's language: Django's words for a password
    too short changed and have no Dutch yet, so Dutch staff read them in French
    (the portal's language, which Django falls back to)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class StaffLoginForm(AdminAuthenticationForm):
    """Refuses to log in when the client's address is unknown: the lock-out
    counts failures per address, so without one it could not protect the
    account (fail closed, see core/network.py)."""

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


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, for active staff only, with links on SITE_URL."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        key = f"staff-password-reset:{user.pk}"
        if cache.get(key):  # a cache outage sends: the owner asked
            logger.info("password reset of user %s: sent less than 5 min ago", user.pk)
            return
        context["support_email"] = settings.STAFF_SUPPORT_EMAIL
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMessage(
            subject, body, from_email, [to_email], headers={"Message-ID": message_id()}
        )
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 (SMTP refusing: the same page, no 500)
            # The class only: a refusal's text and traceback quote the address.
            logger.error(
                "password reset email to user %s not sent (%s)",
                user.pk,
                type(exc).__name__,
            )
            return
        cache.set(key, 1, RESET_EMAIL_INTERVAL)
        logger.info("password reset email sent to user %s", user.pk)


class AdminContextMixin:
    """The admin's header, title and theme on Django's own account pages."""

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            **super().get_context_data(**kwargs),
        }


class PasswordResetView(AdminContextMixin, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    subject_template_name = "registration/staff_password_reset_subject.txt"
    email_template_name = "registration/staff_password_reset_email.txt"


class PasswordResetDoneView(AdminContextMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminContextMixin, auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password the guesser cannot know: the lock-out has done its job.
        axes_reset(username=form.user.get_username())
        logger.info("password of user %s reset by email", form.user.pk)
        return response


class PasswordResetCompleteView(
    AdminContextMixin, auth_views.PasswordResetCompleteView
):
    pass


def password_reset_urls(prefix):
    """Under the admin's address; the names are those the admin's templates use."""
    return [
        path(
            f"{prefix}password_reset/",
            PasswordResetView.as_view(),
            name="admin_password_reset",
        ),
        path(
            f"{prefix}password_reset/done/",
            PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            f"{prefix}reset/<uidb64>/<token>/",
            PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            f"{prefix}reset/done/",
            PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ]


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out answer (AXES_LOCKOUT_CALLABLE): for how long, what
    to do, whom to write to; 429 as before."""
    now = timezone.now()
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        **admin.site.each_context(request),
        "title": _("Account locked"),
        "duration": timeuntil(now + cool_off, now),
        "support_email": settings.STAFF_SUPPORT_EMAIL,
    }
    return render(request, "admin/locked_out.html", context, status=429)
