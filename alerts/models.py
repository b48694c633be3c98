"""Investors' saved searches, emailed once a day when a matching plot appears."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 2000  # a drawn area makes the longest searches


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def deliverable(self):
        """Confirmed and not stopped: those the digest writes to."""
        return self.confirmed().filter(stopped_at=None)

    def of_person(self, email):
        return self.filter(email=normalised_email(email))


def normalised_email(email):
    # One subscriber whatever the case they type: the uniqueness of a saved
    # search per address depends on it.
    return email.strip().lower()


class Subscription(models.Model):
    """One saved search of one address. Unconfirmed until the link of the
    confirmation email is followed (double opt-in)."""

    email = models.EmailField(_("email address"))
    # The search's own parameters, normalised (services.search_normalised):
    # the same search typed twice is one row.
    query = models.TextField(_("search"), max_length=QUERY_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # In every link (signed): unguessable, and never reused like a primary key.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    # Saving the search again renews it (the retention period starts again).
    renewed_at = models.DateTimeField(_("renewed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Plots changed after this are looked at by the next digest.
    checked_at = models.DateTimeField(null=True, blank=True)
    # The local day of the last digest: at most one a day.
    digest_day = models.DateField(null=True, blank=True)
    # Consecutive digests the mail server refused for good (5xx): past
    # settings.ALERTS_REFUSALS_BEFORE_STOP the alert is stopped, never to be
    # written to again (a sender that keeps writing to dead addresses loses
    # its reputation). Zeroed by a digest that goes.
    refusals = models.PositiveSmallIntegerField(_("refusals in a row"), default=0)
    # The last refusal's class and SMTP codes (never the server's words): on
    # a stopped alert, why it was stopped.
    last_refusal = models.CharField(_("last refusal"), max_length=100, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # Plots already announced, never announced twice.
    announced = models.ManyToManyField("sites.Plot", blank=True, related_name="+")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search alert")
        verbose_name_plural = _("search alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "query"], name="alert_one_per_search"
            )
        ]

    def __str__(self):
        return f"alert {self.pk}"
