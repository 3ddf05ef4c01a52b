"""Rule sets for government orders: append-only versions, each set by a government order."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.catalog.models import Category
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement import permissions as can
from sevamitra.procurement.errors import ProcurementError
from sevamitra.procurement.models import CategoryRule, RuleSet


@dataclass(frozen=True, slots=True)
class CategoryRuleInput:
    category: Category
    allowed: bool = True
    gem_exception_justification: str = ""
    yearly_ceiling_per_office: Decimal | None = None


def rule_set_problems(
    *,
    go_reference: str,
    approval_threshold: Decimal,
    second_approval_threshold: Decimal,
    max_duration_days: int,
    category_rules: list[CategoryRuleInput],
) -> list[ProcurementError]:
    """Everything wrong with a proposed rule set (empty when it may be saved). Reads only."""
    problems = []
    if not go_reference.strip():
        problems.append(
            ProcurementError(
                _("Give the reference of the government order that sets these rules."),
                code="go_reference_required",
                field="go_reference",
            )
        )
    if approval_threshold < 0:
        problems.append(
            ProcurementError(
                _("The approval threshold cannot be negative."),
                code="invalid_threshold",
                field="approval_threshold",
            )
        )
    if second_approval_threshold < approval_threshold:
        problems.append(
            ProcurementError(
                _("The second-approval threshold cannot be below the approval threshold."),
                code="invalid_threshold",
                field="second_approval_threshold",
            )
        )
    # An order is booked as one series per Sevamitra: no longer than the engine books.
    most = settings.BOOKING_SERIES_MAX_OCCURRENCES
    if not 1 <= max_duration_days <= most:
        problems.append(
            ProcurementError(
                _("The longest duration must be between 1 and %(most)d days.") % {"most": most},
                code="invalid_duration",
                field="max_duration_days",
            )
        )
    seen = set()
    for rule in category_rules:
        if rule.category.pk in seen:
            problems.append(
                ProcurementError(
                    _("Each service may have one rule only."),
                    code="duplicate_category",
                    field="category_rules",
                )
            )
        seen.add(rule.category.pk)
        if (
            rule.allowed
            and rule.category.gem_available
            and not rule.gem_exception_justification.strip()
        ):
            problems.append(
                ProcurementError(
                    _("%(service)s is offered on GeM: allow it only with a written justification.")
                    % {"service": rule.category.name},
                    code="gem_exception_unjustified",
                    field="category_rules",
                )
            )
        ceiling = rule.yearly_ceiling_per_office
        if ceiling is not None and ceiling < 0:
            problems.append(
                ProcurementError(
                    _("A yearly ceiling cannot be negative."),
                    code="invalid_ceiling",
                    field="category_rules",
                )
            )
    return problems


@transaction.atomic
def rule_set_create(
    *,
    go_reference: str,
    go_date: dt.date,
    effective_from: dt.date,
    max_duration_days: int = 90,
    approval_threshold: Decimal = Decimal("0"),
    second_approval_threshold: Decimal = Decimal("100000"),
    deemed_acceptance_days: int = 7,
    payment_due_days: int = 10,
    category_rules: list[CategoryRuleInput] | None = None,
    acting_user: User,
) -> RuleSet:
    """A new version of the rules. Orders already submitted or approved keep theirs."""
    if not can.can_manage_offices(acting_user):
        raise PermissionDenied(_("You are not allowed to do this."))
    rules = category_rules or []
    problems = rule_set_problems(
        go_reference=go_reference,
        approval_threshold=approval_threshold,
        second_approval_threshold=second_approval_threshold,
        max_duration_days=max_duration_days,
        category_rules=rules,
    )
    if problems:
        raise problems[0]
    # Versions are numbered in turn; the unique constraint refuses a concurrent duplicate.
    version = (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    rule_set = RuleSet.objects.create(
        version=version,
        go_reference=go_reference.strip(),
        go_date=go_date,
        effective_from=effective_from,
        max_duration_days=max_duration_days,
        approval_threshold=approval_threshold,
        second_approval_threshold=second_approval_threshold,
        deemed_acceptance_days=deemed_acceptance_days,
        payment_due_days=payment_due_days,
        created_by=acting_user,
    )
    CategoryRule.objects.bulk_create(
        CategoryRule(
            rule_set=rule_set,
            category=rule.category,
            allowed=rule.allowed,
            gem_exception_justification=rule.gem_exception_justification.strip(),
            yearly_ceiling_per_office=rule.yearly_ceiling_per_office,
        )
        for rule in rules
    )
    audit_record(
        actor=acting_user,
        action="rule_set.created",
        obj=rule_set,
        after={
            "version": version,
            "go_reference": rule_set.go_reference,
            "go_date": go_date,
            "effective_from": effective_from,
            "max_duration_days": max_duration_days,
            "approval_threshold": approval_threshold,
            "second_approval_threshold": second_approval_threshold,
            "deemed_acceptance_days": deemed_acceptance_days,
            "payment_due_days": payment_due_days,
            "category_rules": [
                {
                    "category": rule.category.pk,
                    "allowed": rule.allowed,
                    "gem_exception_justified": bool(rule.gem_exception_justification.strip()),
                    "yearly_ceiling_per_office": rule.yearly_ceiling_per_office,
                }
                for rule in rules
            ],
        },
    )
    return rule_set
