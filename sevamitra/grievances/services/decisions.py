"""The district officer's decision on a complaint and the sanctions it imposes; the end of a
suspension (its last day passed, or lifted after review). Rules: services/__init__."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_change, audit_record
from sevamitra.grievances import notify, selectors
from sevamitra.grievances import permissions as can
from sevamitra.grievances.models import (
    REFUND_OUTCOMES,
    SANCTION_TRANSITIONS,
    Complaint,
    ComplaintStatus,
    ComplaintType,
    Outcome,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from sevamitra.grievances.services._common import (
    GrievanceError,
    IllegalTransition,
    clean_text,
    locked_complaint,
    move,
    now_or,
    reinstate_if_free,
    suspend_for_grievance,
)

# A suspension with an end date ends at most this far ahead ("until review" has none).
MAX_SUSPENSION_DAYS = 365


def _refund(complaint: Complaint, outcome: str, amount: Decimal | None) -> Decimal | None:
    if amount is None:
        if outcome == Outcome.REFUND:
            raise GrievanceError(
                _("Give the amount to refund."), code="required", field="refund_amount"
            )
        return None
    if outcome not in REFUND_OUTCOMES:
        raise GrievanceError(
            _("A dismissed complaint orders no refund."), code="invalid", field="refund_amount"
        )
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise GrievanceError(
            _("Enter an amount in rupees."), code="invalid", field="refund_amount"
        ) from exc
    limit = selectors.refund_limit(complaint.booking)
    if amount <= 0 or amount > limit:
        raise GrievanceError(
            _("The refund must be more than ₹0 and at most ₹%(limit)s, what was paid or charged.")
            % {"limit": limit},
            code="refund_over_limit",
            field="refund_amount",
        )
    return amount


def _check_suspension(
    complaint: Complaint,
    *,
    suspended_until: dt.date | None,
    until_review: bool,
    now: dt.datetime,
) -> None:
    settings = selectors.grievance_settings()
    if complaint.type != ComplaintType.SAFETY and not selectors.warning_on_record(
        provider=complaint.provider, now=now, days=settings.warning_memory_days
    ):
        raise GrievanceError(
            _(
                "A warning first: this Sevamitra has no warning in the last %(days)d days. "
                "Suspension without one is only possible on a safety complaint."
            )
            % {"days": settings.warning_memory_days},
            code="warning_first",
            field="outcome",
        )
    if (suspended_until is None) == (not until_review):
        raise GrievanceError(
            _("Give the last day of the suspension, or choose “until review”."),
            code="suspension_end_required",
            field="suspended_until",
        )
    today = timezone.localdate(now)
    if suspended_until is not None and not (
        today < suspended_until <= today + dt.timedelta(days=MAX_SUSPENSION_DAYS)
    ):
        raise GrievanceError(
            _("The last day of the suspension must be after today and within a year."),
            code="invalid",
            field="suspended_until",
        )


def _sanction_facts(sanction: Sanction) -> dict:  # type: ignore[type-arg]
    return {
        "provider_id": sanction.provider_id,
        "complaint_id": sanction.complaint_id,
        "kind": sanction.kind,
        "status": sanction.status,
        "safety_finding": sanction.safety_finding,
        "suspended_until": sanction.suspended_until,
        "appeal_due_at": sanction.appeal_due_at,
        "provider_suspended": sanction.applied_at is not None,
        "reason_given": True,
    }


@transaction.atomic
def complaint_decide(
    *,
    complaint: Complaint,
    outcome: str,
    reason: str,
    refund_amount: Decimal | None = None,
    suspended_until: dt.date | None = None,
    until_review: bool = False,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Complaint:
    """The officer's decision, with written reasons: dismissed, a refund order, a warning or a
    suspension (a refund may come with a warning or a suspension)."""
    now = now_or(now)
    complaint = locked_complaint(complaint)
    require(can.can_decide(acting_user, complaint))
    if outcome not in Outcome.values:
        raise GrievanceError(_("Choose a decision."), code="invalid", field="outcome")
    if not complaint.is_open:
        raise IllegalTransition(_("This complaint is closed."), code="complaint_closed")
    reason = clean_text(reason, field="reason", required=_("Write the reasons for the decision."))
    not_heard = complaint.responded_at is None and now < complaint.response_due_at
    if outcome != Outcome.DISMISSED and not_heard:
        raise GrievanceError(
            _(
                "The Sevamitra can still give their side until %(date)s. Decide after that, "
                "or dismiss the complaint."
            )
            % {"date": timezone.localtime(complaint.response_due_at).strftime("%d/%m/%Y %H:%M")},
            code="provider_not_heard",
            status=409,
        )
    refund = _refund(complaint, outcome, refund_amount)
    if outcome == Outcome.SUSPENSION:
        _check_suspension(
            complaint, suspended_until=suspended_until, until_review=until_review, now=now
        )
    elif suspended_until is not None or until_review:
        raise GrievanceError(
            _("Only a suspension has an end."), code="invalid", field="suspended_until"
        )

    before = {"status": complaint.status, "outcome": "", "refund_amount": None}
    move(complaint, ComplaintStatus.RESOLVED)
    complaint.outcome, complaint.outcome_reason, complaint.refund_amount = outcome, reason, refund
    complaint.decided_by, complaint.resolved_at = acting_user, now
    complaint.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_reason",
            "refund_amount",
            "decided_by",
            "resolved_at",
        ]
    )

    sanction = None
    if outcome in (Outcome.WARNING, Outcome.SUSPENSION):
        settings = selectors.grievance_settings()
        sanction = Sanction.objects.create(
            provider=complaint.provider,
            complaint=complaint,
            kind=SanctionKind(outcome),
            reason=reason,
            safety_finding=complaint.type == ComplaintType.SAFETY,
            suspended_until=suspended_until,
            imposed_by=acting_user,
            imposed_at=now,
            appeal_due_at=now + dt.timedelta(days=settings.appeal_window_days),
        )
    if sanction is not None and sanction.kind == SanctionKind.SUSPENSION:
        sanction.applied_at = suspend_for_grievance(
            complaint.provider,
            reason=reason,
            acting_user=acting_user,
            now=now,
            pending_review=False,
        )
        sanction.save(update_fields=["applied_at"])
    elif complaint.type == ComplaintType.SAFETY:
        # Cleared of the safety finding (dismissed, refund or warning): back to work unless
        # something else holds them.
        reinstate_if_free(complaint.provider, acting_user=acting_user, now=now)
    notify.decided(complaint, sanction)

    audit_record(
        actor=acting_user,
        action="complaint.resolved",
        obj=complaint,
        before=before,
        after={
            "status": complaint.status,
            "outcome": outcome,
            "refund_amount": refund,
            "reason_given": True,
            "sanction_id": sanction.pk if sanction else None,
        },
    )
    if sanction is not None:
        action = (
            "sanction.warning_issued"
            if sanction.kind == SanctionKind.WARNING
            else "sanction.suspension_imposed"
        )
        audit_record(
            actor=acting_user, action=action, obj=sanction, after=_sanction_facts(sanction)
        )
    return complaint


def _end(sanction: Sanction, now: dt.datetime) -> None:
    if SanctionStatus.ENDED not in SANCTION_TRANSITIONS[sanction.status]:
        raise IllegalTransition(
            _("This suspension is no longer in force."), code="sanction_not_active"
        )
    sanction.status, sanction.ended_at = SanctionStatus.ENDED, now
    sanction.save(update_fields=["status", "ended_at"])


@transaction.atomic
def sanction_lift(
    *, sanction: Sanction, reason: str, acting_user: User, now: dt.datetime | None = None
) -> Sanction:
    """An officer ends a suspension after review (how a suspension "until review" ends)."""
    now = now_or(now)
    sanction = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("provider", "provider__user")
        .get(pk=sanction.pk)
    )
    require(can.can_lift(acting_user, sanction))
    if sanction.kind != SanctionKind.SUSPENSION:
        raise GrievanceError(
            _("Only a suspension can be lifted; a warning can be overturned on appeal."),
            code="not_a_suspension",
        )
    clean_text(reason, field="reason", required=_("Write why the suspension is lifted."))
    before = {"status": sanction.status, "ended_at": None}
    _end(sanction, now)
    reinstated = reinstate_if_free(sanction.provider, acting_user=acting_user, now=now)
    notify.suspension_ended(sanction, reinstated=reinstated)
    audit_change(actor=acting_user, action="sanction.lifted", obj=sanction, before=before)
    return sanction


def _end_one(sanction_id: int, now: dt.datetime) -> bool:
    today = timezone.localdate(now)
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("provider", "provider__user")
            .filter(
                pk=sanction_id,
                kind=SanctionKind.SUSPENSION,
                status=SanctionStatus.ACTIVE,
                suspended_until__lt=today,
            )
            .first()
        )
        if sanction is None:  # lifted or overturned meanwhile
            return False
        before = {"status": sanction.status, "ended_at": None}
        _end(sanction, now)
        reinstated = reinstate_if_free(sanction.provider, acting_user=None, now=now)
        notify.suspension_ended(sanction, reinstated=reinstated)
        audit_change(actor=None, action="sanction.ended", obj=sanction, before=before)
        return True


def sanctions_end_expired(*, now: dt.datetime | None = None) -> int:
    """End every suspension whose last day has passed (each in its own transaction, once);
    the provider is reinstated when nothing else holds them. How many ended."""
    now = now_or(now)
    due = list(
        Sanction.objects.filter(
            kind=SanctionKind.SUSPENSION,
            status=SanctionStatus.ACTIVE,
            suspended_until__lt=timezone.localdate(now),
        )
        .order_by("suspended_until", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_end_one(pk, now) for pk in due)
