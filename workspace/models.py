from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaleReminder(models.Model):
    """The monthly stale-listing reminder of an organisation: at most one a
    month. The row is the claim (unique per month), taken before sending and
    deleted if the sending fails, so the next run tries again."""

    organisation = models.ForeignKey(
        "sites.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="stale_reminders",
    )
    month = models.DateField(_("month"))  # its first day
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("stale-listing reminder")
        verbose_name_plural = _("stale-listing reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="stale_reminder_once_a_month"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.month:%Y-%m}"
