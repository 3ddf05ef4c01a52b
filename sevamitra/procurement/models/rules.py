from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One version of the rules for government orders, set by a government order (GO).

    Append-only: a change is a new version (services.rules.rule_set_create); the current rules
    are the latest version already in effect. A requisition keeps the version it was submitted
    and approved under, so a later change never touches it."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    go_reference = models.CharField(_("government order reference"), max_length=120)
    go_date = models.DateField(_("government order date"))
    max_duration_days = models.PositiveSmallIntegerField(
        _("longest allowed duration (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    approval_threshold = models.DecimalField(
        _("approval required above (₹)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    second_approval_threshold = models.DecimalField(
        _("second approval required above (₹)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100000"),
    )
    deemed_acceptance_days = models.PositiveSmallIntegerField(
        _("acceptance deemed after (days)"), default=7, validators=[MaxValueValidator(90)]
    )
    payment_due_days = models.PositiveSmallIntegerField(
        _("payment due within (days of acceptance)"), default=10
    )
    effective_from = models.DateField(_("in effect from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_approval_threshold__gte=models.F("approval_threshold")),
                name="ruleset_second_threshold_not_below_first",
            ),
            models.CheckConstraint(
                condition=Q(approval_threshold__gte=0), name="ruleset_threshold_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_duration_days__gte=1), name="ruleset_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} — {self.go_reference}"


class CategoryRule(models.Model):
    """Whether a category may be ordered under a rule set, and its yearly ceiling per office.

    A category the catalogue says GeM offers is orderable only with a written justification
    (the exception)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="category_rules")
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service category"),
    )
    allowed = models.BooleanField(_("may be ordered"), default=True)
    gem_exception_justification = models.TextField(
        _("justification for ordering a service GeM offers"), blank=True
    )
    yearly_ceiling_per_office = models.DecimalField(
        _("yearly ceiling per office (₹)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty means no ceiling."),
    )

    class Meta:
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")
        ordering = ["rule_set_id", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "category"], name="category_rule_unique_per_rule_set"
            ),
            models.CheckConstraint(
                condition=Q(yearly_ceiling_per_office__isnull=True)
                | Q(yearly_ceiling_per_office__gte=0),
                name="category_rule_ceiling_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.rule_set})"
