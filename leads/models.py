"""Investors' contact requests and their delivery to economic developers.

A lead is an outbox row: it is saved before any email is attempted, and its
delivery fields say where the sending stands (see services.lead_deliver).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import has_control_characters

MESSAGE_MAX_LENGTH = 5000
SEARCH_MAX_LENGTH = 1000  # a search page's query string
# What the investor writes, in the form's order: the form, the admin and the
# developers' email show these.
INVESTOR_FIELDS = (
    "name",
    "company",
    "country",
    "email",
    "phone",
    "language",
    "project_type",
    "surface_needed_m2",
    "jobs_planned",
    "timeline",
    "message",
)

EMAIL_CONTROL_ERROR = _(
    "An email address cannot contain a line break or a control character."
)
LAST_CONTACT_FUTURE_ERROR = _(
    "The last contact cannot be in the future: the lead is deleted 3 years after it."
)
LAST_CONTACT_EARLY_ERROR = _(
    "The last contact cannot be before the lead was received: the lead is "
    "deleted 3 years after it."
)


class Flag(models.TextChoices):
    """Why a lead looks automated, as stored (comma-separated) in spam_reason.

    Only the honeypot holds a lead: people never see that field. The other
    signs can come from a person, so those leads are delivered, flagged.
    """

    HONEYPOT = "honeypot", _("a field hidden from people was filled in")
    TOO_FAST = "fast", _("sent within seconds of opening the form")
    EMAIL_RATE = "rate-email", _("many requests from this email address in an hour")
    IP_RATE = "rate-ip", _("many requests from this internet address in an hour")
    # Not a sign of a robot: the limits could not be counted (cache down,
    # client address unreadable), which staff should know.
    UNCHECKED = "unchecked", _("the number of requests could not be checked")

    @classmethod
    def parse(cls, spam_reason):
        return [code for code in (spam_reason or "").split(",") if code]


# Signs that the address given may not be the sender's: no acknowledgement
# goes to it, since it is the one email sent where the sender chooses.
NO_ACKNOWLEDGEMENT = {Flag.HONEYPOT, Flag.TOO_FAST, Flag.EMAIL_RATE, Flag.IP_RATE}


class LeadQuerySet(models.QuerySet):
    def to_deliver(self, *, now=None):
        """Pending leads, and those claimed by a sender that died mid-task."""
        now = now or timezone.now()
        stale = now - timedelta(seconds=settings.LEADS_CLAIM_TIMEOUT)
        return self.filter(
            Q(delivery_status=Lead.Delivery.PENDING)
            | Q(delivery_status=Lead.Delivery.SENDING, delivery_claimed_at__lt=stale)
        )

    def of_person(self, email):
        return self.filter(email__iexact=email.strip())

    def last_contact_before(self, moment):
        return self.filter(last_contact_at__lt=moment)

    def flagged(self):
        """Leads a spam check found suspicious, delivered or held alike."""
        return self.exclude(spam_reason="")

    def untouched(self):
        """Still "new": nobody has moved them along the pipeline yet."""
        return self.filter(status=Lead.Status.NEW)


class Lead(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        QUALIFIED = "qualified", _("Qualified")
        SITE_VISIT = "site_visit", _("Site visit")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    class Delivery(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (refused by the mail server)")
        HELD = "held", _("Held: suspected spam")

    class ProjectType(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        LOGISTICS = "logistics", _("Logistics")
        TERTIARY = "tertiary", _("Tertiary (offices, services)")
        RESEARCH = "research", _("Research and development")
        OTHER = "other", _("Other")

    class Timeline(models.TextChoices):
        SOON = "0-6", _("Within 6 months")
        YEAR = "6-12", _("6 to 12 months")
        TWO_YEARS = "12-24", _("1 to 2 years")
        LATER = "24+", _("More than 2 years")
        UNKNOWN = "unknown", _("Not decided yet")

    # What the investor wrote.
    name = models.CharField(_("name"), max_length=150)
    company = models.CharField(_("company"), max_length=150)
    country = models.CharField(_("country"), max_length=80)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES
    )
    project_type = models.CharField(
        _("project type"), max_length=20, choices=ProjectType
    )
    surface_needed_m2 = models.PositiveIntegerField(
        _("surface needed (m²)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000_000)],  # 10,000 ha
    )
    jobs_planned = models.PositiveIntegerField(
        _("jobs planned"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
    )
    timeline = models.CharField(_("timeline"), max_length=10, choices=Timeline)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    search = models.CharField(
        _("search on the portal"),
        max_length=SEARCH_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The search that found too few plots, when the lead comes from it."
        ),
    )
    consent_at = models.DateTimeField(_("privacy consent given at"))

    # What the server decided.
    plot = models.ForeignKey(
        "sites.Plot",
        verbose_name=_("plot"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    park = models.ForeignKey(
        "sites.BusinessPark",
        verbose_name=_("business park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    # The plot and park as named when the lead came: deleting a listing only
    # unlinks its leads (SET_NULL), which would leave staff to guess what an
    # investor had asked about.
    plot_name = models.CharField(
        _("plot when received"), max_length=200, blank=True, editable=False
    )
    plot_reference = models.CharField(
        _("plot reference when received"), max_length=50, blank=True, editable=False
    )
    park_name = models.CharField(
        _("business park when received"), max_length=200, blank=True, editable=False
    )
    organisation = models.ForeignKey(
        "sites.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    recipients = models.JSONField(
        _("recipients"),
        default=list,
        blank=True,
        help_text=_(
            "Addresses chosen by the server when the lead was received, and chosen "
            "again when it is sent again before the developers had it."
        ),
    )
    spam_reason = models.CharField(_("suspected spam"), max_length=30, blank=True)

    # Delivery (the outbox).
    delivery_status = models.CharField(
        _("delivery"), max_length=10, choices=Delivery, default=Delivery.PENDING
    )
    delivery_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    delivery_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_error = models.CharField(
        _("last delivery error"), max_length=200, blank=True
    )
    notified_at = models.DateTimeField(
        _("sent to the developers at"), null=True, blank=True
    )
    # The recipients already sent it: each language they read is a message of
    # its own, and a retry after one of them failed sends only the others.
    notified_to = models.JSONField(default=list, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(
        _("acknowledgement sent at"), null=True, blank=True
    )

    # The staff pipeline.
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    last_contact_at = models.DateTimeField(
        _("last contact"),
        default=timezone.now,
        help_text=_("The lead is deleted 3 years after this date."),
    )

    objects = LeadQuerySet.as_manager()
    # Who moved the lead along the pipeline, and when. Its versions hold the
    # investor's personal data: they go when the lead is purged or erased.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["delivery_status"], name="lead_delivery_status"),
            models.Index(fields=["last_contact_at"], name="lead_last_contact"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.company}"

    def clean_fields(self, exclude=None):
        # Every path that writes an address (form, services) comes through
        # here. Django's validator lets some of these characters pass (in a
        # quoted local part, in a domain); in a Reply-To header they split it.
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "email" not in (exclude or ()) and has_control_characters(self.email):
            errors.setdefault("email", []).append(EMAIL_CONTROL_ERROR)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        # The retention period starts at the last contact, which staff may
        # type: a year mistyped ahead would keep the investor's data for
        # decades, one before the lead came would have it purged that night.
        super().clean()
        if self.last_contact_at is None:
            return
        if self.last_contact_at > timezone.now():
            raise ValidationError({"last_contact_at": LAST_CONTACT_FUTURE_ERROR})
        # By the day: the admin's field has no microseconds, and an unchanged
        # one is sent back earlier than a lead received that same second.
        received = self.created_at and timezone.localdate(self.created_at)
        if received and timezone.localdate(self.last_contact_at) < received:
            raise ValidationError({"last_contact_at": LAST_CONTACT_EARLY_ERROR})

    @property
    def flags(self):
        return Flag.parse(self.spam_reason)

    @property
    def flag_labels(self):
        """For people; codes of earlier versions are shown as they are."""
        labels = dict(Flag.choices)
        return [str(labels.get(code, code)) for code in self.flags]

    @property
    def wants_acknowledgement(self):
        return not NO_ACKNOWLEDGEMENT.intersection(self.flags)

    @property
    def subject(self):
        """The plot, else the park, the lead is about; None for a general one."""
        return self.plot or self.park

    @property
    def subject_name(self):
        """The name of what the lead is about, even once deleted; "" for none."""
        return self.plot_label or self.park_label

    @property
    def plot_label(self):
        """Its plot's name, or the one it had when the lead came once deleted
        (a lead sent again after, its emails still say which plot)."""
        return self.plot.name if self.plot_id else self.plot_name

    @property
    def park_label(self):
        return self.park.name if self.park_id else self.park_name

    def investor_details(self):
        """(label, value) of each of the investor's fields but the message, as
        the change form shows them: choice labels, "-" for nothing."""
        fields = [self._meta.get_field(name) for name in INVESTOR_FIELDS[:-1]]
        return [(capfirst(field.verbose_name), self._shown(field)) for field in fields]

    def _shown(self, field):
        if field.choices:
            return self._get_FIELD_display(field)
        value = getattr(self, field.attname)
        if isinstance(value, int):  # m² and jobs, grouped as the reader writes them
            return number_format(value, force_grouping=True)
        return value or "-"


class LeadNote(models.Model):
    """One dated entry of a lead's activity log: added, never edited.

    Entries go with their lead (retention purge, right to erasure); an entry
    whose author's account was deleted stays, without its author.
    """

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    text = models.TextField(_("note"), max_length=MESSAGE_MAX_LENGTH)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"#{self.lead_id} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class LeadDigest(models.Model):
    """The daily digest sent to an organisation's lead contacts: at most one a
    day. The row is the claim (unique per day), taken before sending."""

    organisation = models.ForeignKey(
        "sites.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="lead_digests",
    )
    day = models.DateField(_("day"))
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    leads = models.PositiveIntegerField(_("leads listed"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("lead digest")
        verbose_name_plural = _("lead digests")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"], name="lead_digest_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.day}"


SHORTLIST_DAYS = 30  # how long a new shortlist's link works, unless staff choose
# The longest staff may choose, from the day they set it: the link opens a page
# naming the investor, and a shortlist without a lead is purged only once its
# link has been closed for the leads' retention period. Extending it again
# takes a person's decision.
SHORTLIST_MAX_DAYS = 365
SHORTLIST_NOTE_MAX_LENGTH = 2000
# Plots a shortlist holds at most: its page and its PDF (a sheet a plot) stay
# a few seconds' work, as the comparison's four plots do.
SHORTLIST_MAX_PLOTS = 50


def _shortlist_expiry():
    return timezone.now() + timedelta(days=SHORTLIST_DAYS)


class Shortlist(models.Model):
    """Plots a developer chose for one investor, shown on a private page.

    Only a hash of the link's token is stored (leads.shortlists): the link is
    shown once, when it is issued, and a database copy cannot open the page.
    """

    organisation = models.ForeignKey(
        "sites.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="shortlists",
    )
    # Deleted with its lead (retention purge, right to erasure): the page
    # names the investor.
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shortlists",
    )
    investor = models.CharField(
        _("investor"),
        max_length=150,
        help_text=_("As the page greets them: a company or a person's name."),
    )
    language = models.CharField(
        _("language of the page"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"), default=_shortlist_expiry)
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self):
        # Not the investor's name: the admin's log keeps this text, even of a
        # shortlist deleted since, beyond the reach of an erasure.
        return f"#{self.pk} ({timezone.localdate(self.created_at):%Y-%m-%d})"

    def is_open(self, now=None):
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class ShortlistPlot(models.Model):
    shortlist = models.ForeignKey(
        Shortlist,
        verbose_name=_("shortlist"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    plot = models.ForeignKey(
        "sites.Plot", verbose_name=_("plot"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(
        _("note for the investor"), max_length=SHORTLIST_NOTE_MAX_LENGTH, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("chosen plot")
        verbose_name_plural = _("chosen plots")
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "plot"], name="shortlist_plot_once"
            )
        ]

    def __str__(self):
        return str(self.plot)


class ShortlistVisit(models.Model):
    """One opening of the page or its PDF: the time only, nothing about who."""

    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        PDF = "pdf", _("PDF")

    shortlist = models.ForeignKey(
        Shortlist,
        verbose_name=_("shortlist"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    visited_at = models.DateTimeField(_("opened at"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=4, choices=Kind, default=Kind.PAGE)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{timezone.localtime(self.visited_at):%Y-%m-%d %H:%M}"
