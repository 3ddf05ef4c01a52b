"""Maker-checker approval. The maker never decides on their own order; the approver holds the
approving post in the order's office or an office above it; a second approval (above the
second threshold) is by a different approver. The final approval books the chosen providers
in the same transaction, all or none."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement import permissions as can
from sevamitra.procurement.errors import IllegalTransition, ProcurementError
from sevamitra.procurement.models import (
    Approval,
    ApprovalDecision,
    Requisition,
    RequisitionStatus,
)
from sevamitra.procurement.models.orders import PENDING_APPROVAL_STATUSES
from sevamitra.procurement.services.booking import book_chosen, check_ceiling
from sevamitra.procurement.services.requisitions import move

R = RequisitionStatus


def _pending(requisition: Requisition, acting_user: User) -> tuple[Requisition, int]:
    """Lock the order, check who decides, and return it with the level being decided."""
    requisition = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("rule_set", "category", "created_by")
        .get(pk=requisition.pk)
    )
    if requisition.created_by_id == acting_user.pk:
        raise PermissionDenied(
            _("You made this order; another officer must decide on it (maker-checker).")
        )
    if not can.can_decide_requisition(acting_user, requisition):
        raise PermissionDenied(
            _("Only an approving officer of this office or an office above it can decide.")
        )
    if requisition.status not in PENDING_APPROVAL_STATUSES:
        raise IllegalTransition(_("This order is not waiting for a decision."))
    level = 1 if requisition.status == R.SUBMITTED else 2
    return requisition, level


def _remarks(remarks: str) -> str:
    if not remarks.strip():
        raise ProcurementError(
            _("Write remarks saying why."), code="remarks_required", field="remarks"
        )
    return remarks.strip()


@transaction.atomic
def requisition_approve(
    *,
    requisition: Requisition,
    remarks: str = "",
    acting_user: User,
    now: dt.datetime | None = None,
) -> Requisition:
    now = now or timezone.now()
    requisition, level = _pending(requisition, acting_user)
    if (
        level == 2
        and requisition.approvals.filter(
            round=requisition.round, level=1, officer=acting_user
        ).exists()
    ):
        raise PermissionDenied(
            _("You gave the first approval; the second must come from another officer.")
        )
    old = requisition.status
    Approval.objects.create(
        requisition=requisition,
        round=requisition.round,
        level=level,
        officer=acting_user,
        decision=ApprovalDecision.APPROVE,
        remarks=remarks.strip(),
        at=now,
    )
    final = level >= requisition.approvals_needed
    if final:
        assert requisition.rule_set is not None  # set on submission
        check_ceiling(
            requisition=requisition,
            rule_set=requisition.rule_set,
            value=requisition.estimated_value,
        )
        move(requisition, R.BOOKED)
        book_chosen(requisition=requisition, now=now)
        requisition.booked_at = now
        requisition.save(update_fields=["status", "booked_at"])
    else:
        move(requisition, R.APPROVED_ONCE)
        requisition.save(update_fields=["status"])
    audit_record(
        actor=acting_user,
        action="requisition.approved",
        obj=requisition,
        before={"status": old},
        after={
            "status": R.APPROVED_ONCE if not final else R.BOOKED,
            "level": level,
            "round": requisition.round,
            "remarks_given": bool(remarks.strip()),
        },
    )
    if final:
        audit_record(
            actor=acting_user,
            action="requisition.booked",
            obj=requisition,
            before={"status": old},
            after={
                "status": R.BOOKED,
                "series": sorted(
                    requisition.chosen.exclude(series=None).values_list("series_id", flat=True)
                ),
            },
        )
    return requisition


def _refuse(
    *,
    requisition: Requisition,
    remarks: str,
    decision: str,
    to: str,
    action: str,
    acting_user: User,
    now: dt.datetime | None,
) -> Requisition:
    now = now or timezone.now()
    text = _remarks(remarks)
    requisition, level = _pending(requisition, acting_user)
    old = requisition.status
    Approval.objects.create(
        requisition=requisition,
        round=requisition.round,
        level=level,
        officer=acting_user,
        decision=decision,
        remarks=text,
        at=now,
    )
    move(requisition, to)
    requisition.save(update_fields=["status"])
    audit_record(
        actor=acting_user,
        action=action,
        obj=requisition,
        before={"status": old},
        after={"status": to, "level": level, "round": requisition.round, "remarks_given": True},
    )
    return requisition


@transaction.atomic
def requisition_reject(
    *, requisition: Requisition, remarks: str, acting_user: User, now: dt.datetime | None = None
) -> Requisition:
    return _refuse(
        requisition=requisition,
        remarks=remarks,
        decision=ApprovalDecision.REJECT,
        to=R.REJECTED,
        action="requisition.rejected",
        acting_user=acting_user,
        now=now,
    )


@transaction.atomic
def requisition_send_back(
    *, requisition: Requisition, remarks: str, acting_user: User, now: dt.datetime | None = None
) -> Requisition:
    """Back to the maker, who may change the providers and submit again (a new round)."""
    return _refuse(
        requisition=requisition,
        remarks=remarks,
        decision=ApprovalDecision.SEND_BACK,
        to=R.SENT_BACK,
        action="requisition.sent_back",
        acting_user=acting_user,
        now=now,
    )
