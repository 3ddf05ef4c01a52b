from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED_ONCE = "approved_once", _("Awaiting second approval")
    SENT_BACK = "sent_back", _("Sent back")
    REJECTED = "rejected", _("Rejected")
    BOOKED = "booked", _("Booked")
    COMPLETED = "completed", _("Service completed")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


R = RequisitionStatus
# The one table of allowed status changes (STYLE.md §5). Final approval books the providers in
# the same transaction, so an approved order is BOOKED (or nothing changed at all).
REQUISITION_TRANSITIONS: dict[str, frozenset[str]] = {
    R.DRAFT: frozenset({R.SUBMITTED, R.BOOKED, R.CANCELLED}),
    R.SUBMITTED: frozenset({R.APPROVED_ONCE, R.BOOKED, R.SENT_BACK, R.REJECTED}),
    R.APPROVED_ONCE: frozenset({R.BOOKED, R.SENT_BACK, R.REJECTED}),
    R.SENT_BACK: frozenset({R.SUBMITTED, R.BOOKED, R.CANCELLED}),
    R.BOOKED: frozenset({R.COMPLETED, R.CANCELLED}),
    R.COMPLETED: frozenset({R.ACCEPTED}),
    R.ACCEPTED: frozenset(),
    R.REJECTED: frozenset(),
    R.CANCELLED: frozenset(),
}
# Orders whose value counts against the yearly ceiling (approved, whatever happened next).
APPROVED_STATUSES = frozenset({R.BOOKED, R.COMPLETED, R.ACCEPTED})
# Orders the maker may still change (choose providers, submit).
EDITABLE_STATUSES = frozenset({R.DRAFT, R.SENT_BACK})
PENDING_APPROVAL_STATUSES = frozenset({R.SUBMITTED, R.APPROVED_ONCE})


class AcceptanceKind(models.TextChoices):
    CERTIFIED = "certified", _("Completion certificate issued")
    DEEMED = "deemed", _("Deemed accepted")


class Requisition(models.Model):
    """An office's order for a service: who asked, what, where, when; the rules it was approved
    under; its providers (RequisitionProvider) and approvals (Approval)."""

    office = models.ForeignKey(
        "procurement.Office",
        on_delete=models.PROTECT,
        related_name="requisitions",
        verbose_name=_("office"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service category"),
    )
    place_address = models.TextField(_("place of work"))
    place_pincode = models.CharField(_("pincode"), max_length=6)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    start_time = models.TimeField(_("daily from"))
    end_time = models.TimeField(_("daily to"))
    workers = models.PositiveSmallIntegerField(
        _("number of workers"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=16, choices=RequisitionStatus.choices, default=R.DRAFT
    )
    estimated_value = models.DecimalField(
        _("estimated value (₹)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    rule_set = models.ForeignKey(
        "procurement.RuleSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requisitions",
        verbose_name=_("rules applied"),
    )
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=0)
    round = models.PositiveSmallIntegerField(
        _("submission round"),
        default=0,
        help_text=_("Counts submissions; a send-back starts a new round."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requisitions",
        verbose_name=_("indenting officer"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    booked_at = models.DateTimeField(_("booked"), null=True, blank=True)
    completed_at = models.DateTimeField(_("service completed"), null=True, blank=True)
    certificate_issued_at = models.DateTimeField(
        _("completion certificate issued"), null=True, blank=True
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_kind = models.CharField(
        _("acceptance"), max_length=10, choices=AcceptanceKind.choices, blank=True
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["office", "status"], name="requisition_office_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="requisition_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="requisition_hours_in_order"
            ),
            models.CheckConstraint(
                condition=Q(workers__gte=1, workers__lte=50), name="requisition_workers_1_to_50"
            ),
            models.CheckConstraint(
                condition=Q(approvals_needed__lte=2), name="requisition_at_most_two_approvals"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="requisition_value_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(accepted_on__isnull=True) & Q(acceptance_kind=""))
                | (Q(accepted_on__isnull=False) & ~Q(acceptance_kind="")),
                name="requisition_acceptance_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"GO-{self.pk:06d}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class RequisitionProvider(models.Model):
    """A provider chosen for a requisition, with the price and estimate seen at submission and,
    once booked, the booking series on the provider's calendar.

    A replacement (`replacement`) is a provider the indenting officer booked later for visits
    another Sevamitra declined or cancelled: one row per booked series (a run of consecutive
    days), its estimate the value of those visits."""

    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="chosen", verbose_name=_("requisition")
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="government_orders",
        verbose_name=_("Sevamitra"),
    )
    offer = models.ForeignKey(
        "providers.Offer", on_delete=models.PROTECT, related_name="+", verbose_name=_("offer")
    )
    unit_price = models.DecimalField(_("price per unit (₹)"), max_digits=10, decimal_places=2)
    estimated_value = models.DecimalField(_("estimated value (₹)"), max_digits=12, decimal_places=2)
    series = models.OneToOneField(
        "bookings.BookingSeries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requisition_provider",
        verbose_name=_("booking series"),
    )
    replacement = models.BooleanField(_("booked as a replacement"), default=False)
    booked_at = models.DateTimeField(_("booked"), null=True, blank=True)

    class Meta:
        verbose_name = _("chosen Sevamitra")
        verbose_name_plural = _("chosen Sevamitras")
        ordering = ["requisition_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition", "provider"],
                condition=Q(replacement=False),
                name="requisition_provider_once",
            ),
            models.CheckConstraint(
                condition=Q(replacement=False) | Q(series__isnull=False),
                name="requisition_replacement_has_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requisition} — {self.provider_id}"


class ApprovalDecision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    SEND_BACK = "send_back", _("Sent back")


class Approval(models.Model):
    """An approving officer's decision on one level of one submission round."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(_("submission round"))
    level = models.PositiveSmallIntegerField(_("level"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approving officer"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ApprovalDecision.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["requisition_id", "round", "level", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="approval_level_1_or_2"),
            models.UniqueConstraint(
                fields=["requisition", "round", "level"],
                condition=Q(decision="approve"),
                name="approval_once_per_level_and_round",
            ),
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(remarks=""),
                name="approval_refusal_has_remarks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requisition} L{self.level}: {self.get_decision_display()}"
