"""The district officers' verification of Sevamitras: each decision with its reason (the
history the Sevamitra and officers see), the administrator's verification policy, and the
reminders sent before a police verification certificate lapses."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes asked for")
    REJECTED = "rejected", _("Not accepted")
    RESUBMITTED = "resubmitted", _("Sent again by the Sevamitra")
    LAPSED = "lapsed", _("Verification lapsed")


class ReasonCode(models.TextChoices):
    """Standard reasons: the officer picks one (they show in the Sevamitra's language) and
    may add a note."""

    PHOTO_UNCLEAR = "photo_unclear", _("The photo is not clear")
    ID_LAST4_MISMATCH = (
        "id_last4_mismatch",
        _("The last four characters of the ID document do not match the document"),
    )
    NAME_MISMATCH = "name_mismatch", _("The name does not match the ID document")
    POLICE_MISSING = "police_missing", _("The police verification certificate is missing")
    POLICE_EXPIRED = "police_expired", _("The police verification certificate has expired")
    POLICE_UNREADABLE = (
        "police_unreadable",
        _("The police verification certificate cannot be read"),
    )
    CATEGORIES_NEED_CERTIFICATE = (
        "categories_need_certificate",
        _("Some of the services you chose need a police verification certificate"),
    )
    DUPLICATE = "duplicate", _("This person is already registered")
    REVERIFICATION_DUE = "reverification_due", _("Re-verification is due")
    OTHER = "other", _("Other (see the note)")


# Reasons an officer may choose (the re-verification lapse is the portal's own).
OFFICER_REASONS = [choice for choice in ReasonCode.choices if choice[0] != "reverification_due"]
REASON_NEEDED = frozenset({Decision.CHANGES_REQUESTED, Decision.REJECTED, Decision.LAPSED})
NOTE_MAX_LENGTH = 500


class VerificationDecision(models.Model):
    """One step of a Sevamitra's verification: an officer's decision (with the documents
    they checked), the Sevamitra sending the registration again, or the portal lapsing an
    overdue re-verification. Never edited: the history."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="verification_decisions",
        verbose_name=_("Sevamitra"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=ReasonCode.choices, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    decided_at = models.DateTimeField(_("on"), default=timezone.now)
    documents_checked = models.ManyToManyField(
        "providers.Document",
        blank=True,
        related_name="verification_decisions",
        verbose_name=_("documents checked"),
    )

    class Meta:
        verbose_name = _("verification decision")
        verbose_name_plural = _("verification decisions")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["approved", "resubmitted"]) | ~Q(reason=""),
                name="verificationdecision_reason_when_needed",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "-decided_at"], name="verificationdecision_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.provider_id}"


class VerificationPolicy(models.Model):
    """The administrator's rules for verification: one row (primary key 1)."""

    SINGLETON_PK = 1

    reverify_months = models.PositiveSmallIntegerField(
        _("re-verify every (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period after re-verification falls due (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("After this, a Sevamitra not verified again cannot be booked."),
    )
    police_reminder_days = models.CharField(
        _("remind before a police certificate expires (days)"),
        max_length=40,
        default="30,7,1",
        help_text=_("Days before expiry, separated by commas, for example 30,7,1."),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("verification policy")
        verbose_name_plural = _("verification policy")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="verificationpolicy_single_row"),
            models.CheckConstraint(
                condition=Q(reverify_months__gte=1, reverify_months__lte=120),
                name="verificationpolicy_months_1_120",
            ),
            models.CheckConstraint(
                condition=Q(grace_days__lte=365), name="verificationpolicy_grace_at_most_365"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Verification policy"))

    @property
    def reminder_days(self) -> list[int]:
        """The police reminder days, largest first (the stored text is checked on save)."""
        return parse_reminder_days(self.police_reminder_days)


def parse_reminder_days(text: str) -> list[int]:
    """ "30, 7,1" → [30, 7, 1]; raises ValueError for anything else (1 to 365, no repeats)."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not parts or len(parts) > 6:
        raise ValueError(text)
    days = [int(part) for part in parts]
    if any(not 1 <= day <= 365 for day in days) or len(set(days)) != len(days):
        raise ValueError(text)
    return sorted(days, reverse=True)


class ReminderKind(models.TextChoices):
    POLICE_EXPIRY = "police_expiry", _("Police certificate expiring")
    REVERIFICATION_DUE = "reverification_due", _("Re-verification due")


class VerificationReminder(models.Model):
    """A reminder sent to a Sevamitra, recorded so that each is sent once: a police
    certificate's reminder N days before it expires (days_before 0: the day after it
    lapsed), or the notice that re-verification is due."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.CASCADE,
        related_name="verification_reminders",
        verbose_name=_("Sevamitra"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    document = models.ForeignKey(
        "providers.Document",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    due_on = models.DateField(_("expires or falls due on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("verification reminder")
        verbose_name_plural = _("verification reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days_before"],
                condition=Q(kind="police_expiry"),
                name="verificationreminder_police_once",
            ),
            models.UniqueConstraint(
                fields=["provider", "due_on", "days_before"],
                condition=Q(kind="reverification_due"),
                name="verificationreminder_reverification_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="police_expiry") | Q(document__isnull=False),
                name="verificationreminder_police_has_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.provider_id} · {self.days_before}"
