"""Grievances: a customer's complaint about one booking, both sides' answers, the district
officer's decision, the sanctions it imposes on a Sevamitra and their appeal.

The rules (deadlines, escalation, warning first, appeals) are in services.py's docstring and
docs/adr/0006-grievances-due-process.md. Status changes follow the transition tables below.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ComplaintType(models.TextChoices):
    NO_SHOW = "no_show", _("The Sevamitra did not come")
    BEHAVIOUR = "behaviour", _("Bad behaviour")
    QUALITY = "quality", _("Poor quality of work")
    OVERCHARGE = "overcharge", _("Charged too much")
    SAFETY = "safety", _("Safety: someone was put in danger")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the Sevamitra's answer")
    RESPONDED = "provider_responded", _("The Sevamitra has answered")
    ESCALATED = "escalated", _("With the district officer")
    RESOLVED = "resolved", _("Decided")
    WITHDRAWN = "withdrawn", _("Closed by the customer")


C = ComplaintStatus
# The one table of allowed status changes (STYLE.md §5); services check it.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    C.OPEN: frozenset({C.RESPONDED, C.ESCALATED, C.RESOLVED, C.WITHDRAWN}),
    C.RESPONDED: frozenset({C.ESCALATED, C.RESOLVED, C.WITHDRAWN}),
    C.ESCALATED: frozenset({C.RESOLVED, C.WITHDRAWN}),
    C.RESOLVED: frozenset(),
    C.WITHDRAWN: frozenset(),
}
# Statuses of a complaint still being dealt with.
OPEN_STATUSES = frozenset({C.OPEN, C.RESPONDED, C.ESCALATED})


class EscalationCause(models.TextChoices):
    OVERDUE = "overdue", _("Not resolved by its deadline")
    SAFETY = "safety", _("Safety complaint: straight to the officer")


class Outcome(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed: no action against the Sevamitra")
    REFUND = "refund", _("Refund of the fee ordered")
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension")


# Outcomes that may come with a refund order (a refund alone is Outcome.REFUND).
REFUND_OUTCOMES = frozenset({Outcome.REFUND, Outcome.WARNING, Outcome.SUSPENSION})


def _days(default: int, label, maximum: int = 365):  # type: ignore[no-untyped-def]
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
    )


class GrievanceSettings(models.Model):
    """The rules' numbers, one row (id 1), changed by administrators in the back office
    (services.grievance_settings_update, audited)."""

    safety_days = _days(2, _("safety complaint: days to decide"), 30)
    behaviour_days = _days(5, _("behaviour complaint: days to resolve"))
    no_show_days = _days(7, _("no-show complaint: days to resolve"))
    overcharge_days = _days(7, _("overcharge complaint: days to resolve"))
    quality_days = _days(10, _("quality complaint: days to resolve"))
    response_days = _days(3, _("days the Sevamitra has to answer"), 60)
    filing_window_days = _days(30, _("days after a booking a complaint can be made"))
    appeal_window_days = _days(15, _("days to appeal a warning or suspension"), 90)
    appeal_decision_days = _days(30, _("days the appellate officer has to decide"), 90)
    warning_memory_days = _days(365, _("days a warning counts before a suspension"), 730)
    safety_notice_days = _days(7, _("days ahead whose customers are told of a safety suspension"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("grievance rules")
        verbose_name_plural = _("grievance rules")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="grievancesettings_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("Grievance rules"))

    def deadline_days(self, complaint_type: str) -> int:
        return int(getattr(self, f"{complaint_type}_days"))


# Fields of GrievanceSettings that administrators edit (all numbers of days).
SETTING_FIELDS = (
    "safety_days",
    "behaviour_days",
    "no_show_days",
    "overcharge_days",
    "quality_days",
    "response_days",
    "filing_window_days",
    "appeal_window_days",
    "appeal_decision_days",
    "warning_memory_days",
    "safety_notice_days",
)


class Complaint(models.Model):
    """A customer's complaint about one of their bookings."""

    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("booking"),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("customer"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("Sevamitra"),
    )
    type = models.CharField(_("what it is about"), max_length=12, choices=ComplaintType.choices)
    text = models.TextField(_("what happened"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=C.OPEN
    )
    filed_at = models.DateTimeField(_("made on"), default=timezone.now)
    due_at = models.DateTimeField(_("to be resolved by"))
    response_due_at = models.DateTimeField(_("the Sevamitra answers by"))
    responded_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("sent to the officer on"), null=True, blank=True)
    escalation_cause = models.CharField(
        _("why it went to the officer"),
        max_length=10,
        choices=EscalationCause.choices,
        blank=True,
    )
    # When filing it suspended the provider: the provider's status_changed_at of that
    # interim suspension (services use it to know whether the suspension is still ours).
    interim_suspended_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons for the decision"), blank=True)
    refund_amount = models.DecimalField(
        _("refund ordered (₹)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    resolved_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "type"],
                condition=Q(status__in=["open", "provider_responded", "escalated"]),
                name="complaint_one_open_per_booking_type",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("filed_at"))
                & Q(response_due_at__gte=models.F("filed_at")),
                name="complaint_deadlines_after_filing",
            ),
            models.CheckConstraint(
                condition=(Q(status="resolved") & ~Q(outcome="") & Q(decided_by__isnull=False))
                | (~Q(status="resolved") & Q(outcome="")),
                name="complaint_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True)
                | (Q(refund_amount__gt=0) & Q(outcome__in=["refund", "warning", "suspension"])),
                name="complaint_refund_positive_with_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refund") | Q(refund_amount__isnull=False),
                name="complaint_refund_outcome_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(status="escalated", escalated_at__isnull=False)
                | ~Q(status="escalated"),
                name="complaint_escalated_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_deadline_sweep"),
            models.Index(fields=["provider", "status"], name="complaint_provider_status"),
            models.Index(fields=["customer", "-filed_at"], name="complaint_customer_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        return self.is_open and (now or timezone.now()) > self.due_at


class EntryKind(models.TextChoices):
    RESPONSE = "response", _("The Sevamitra's answer")
    REPLY = "reply", _("The customer's reply")
    HEARING = "hearing", _("Hearing notes of the officer")


class ComplaintEntry(models.Model):
    """What each side (and the officer hearing them) wrote after the complaint was made."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint entry")
        verbose_name_plural = _("complaint entries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="complaintentry_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ComplaintAttachment(models.Model):
    """A photo (re-encoded JPEG) or PDF sent with a complaint. MEDIA_ROOT is outside the web
    root; views.attachment serves it to who may see the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="grievances/")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo or document")
        verbose_name_plural = _("photos and documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def is_pdf(self) -> bool:
        return (self.file.name or "").endswith(".pdf")


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension")


class SanctionStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")
    OVERTURNED = "overturned", _("Overturned on appeal")


SANCTION_TRANSITIONS: dict[str, frozenset[str]] = {
    SanctionStatus.ACTIVE: frozenset({SanctionStatus.ENDED, SanctionStatus.OVERTURNED}),
    SanctionStatus.ENDED: frozenset({SanctionStatus.OVERTURNED}),
    SanctionStatus.OVERTURNED: frozenset(),
}


class Sanction(models.Model):
    """A warning or a suspension decided on a complaint. Never permanent: a suspension ends
    on its date or when an officer lifts it after review, and both can be appealed."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("Sevamitra"),
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    safety_finding = models.BooleanField(_("safety finding"), default=False)
    # Suspensions only: the last day of the suspension; empty means "until review".
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SanctionStatus.choices, default=SanctionStatus.ACTIVE
    )
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    imposed_at = models.DateTimeField(_("decided on"), default=timezone.now)
    appeal_due_at = models.DateTimeField(_("appeal by"))
    # The provider's status_changed_at of the suspension this sanction set (None when the
    # provider was already suspended for another reason).
    applied_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-imposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suspension") | Q(suspended_until__isnull=True),
                name="sanction_only_suspension_has_end",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="sanction_has_reason"),
            models.CheckConstraint(
                condition=Q(appeal_due_at__gt=models.F("imposed_at")),
                name="sanction_appeal_after_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "kind", "-imposed_at"], name="sanction_history"),
            models.Index(fields=["status", "suspended_until"], name="sanction_end_sweep"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the decision")
    UPHELD = "upheld", _("Decision upheld")
    OVERTURNED = "overturned", _("Decision overturned")


APPEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    AppealStatus.PENDING: frozenset({AppealStatus.UPHELD, AppealStatus.OVERTURNED}),
    AppealStatus.UPHELD: frozenset(),
    AppealStatus.OVERTURNED: frozenset(),
}


class Appeal(models.Model):
    """A Sevamitra's appeal against a warning or a suspension, to a named appellate officer
    who is not the officer who decided."""

    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("sanction")
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("Sevamitra"),
    )
    grounds = models.TextField(_("grounds of appeal"), max_length=2000)
    filed_at = models.DateTimeField(_("appealed on"), default=timezone.now)
    due_at = models.DateTimeField(_("to be decided by"))
    appellate_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appeals_to_decide",
        verbose_name=_("appellate officer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True))
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="appeal_decided_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("filed_at")), name="appeal_due_after_filing"
            ),
        ]
        indexes = [
            models.Index(fields=["appellate_officer", "status", "due_at"], name="appeal_queue"),
        ]

    def __str__(self) -> str:
        return f"{_('Appeal')} #{self.pk}"

    def is_overdue(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        return self.status == AppealStatus.PENDING and (now or timezone.now()) > self.due_at
