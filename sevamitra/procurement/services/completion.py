"""Completion and acceptance. An order is completed when none of its visits is still to
happen and at least one was done; the office then issues the completion certificate
(acceptance "certified"), or acceptance is deemed `deemed_acceptance_days` after the last
service day (periodic job, idempotent)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement import permissions as can
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import IllegalTransition
from sevamitra.procurement.models import AcceptanceKind, Requisition, RequisitionStatus
from sevamitra.procurement.services.requisitions import move

R = RequisitionStatus


def _locked(requisition: Requisition) -> Requisition:
    return (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("rule_set")
        .get(pk=requisition.pk)
    )


def _complete(requisition: Requisition, *, actor: User | None, now: dt.datetime) -> bool:
    """BOOKED → COMPLETED when every visit is over; False if some visit is still to come."""
    if requisition.status != R.BOOKED:
        return False
    if not selectors.all_finished(selectors.bookings_of(requisition)):
        return False
    move(requisition, R.COMPLETED)
    requisition.completed_at = now
    requisition.save(update_fields=["status", "completed_at"])
    audit_record(
        actor=actor,
        action="requisition.completed",
        obj=requisition,
        before={"status": R.BOOKED},
        after={"status": R.COMPLETED},
    )
    return True


@transaction.atomic
def requisition_complete(
    *, requisition: Requisition, now: dt.datetime | None = None
) -> Requisition:
    """Mark a booked order completed once all its visits are over (the sweep calls this; a
    no-op otherwise)."""
    requisition = _locked(requisition)
    _complete(requisition, actor=None, now=now or timezone.now())
    return requisition


@transaction.atomic
def requisition_certify(
    *, requisition: Requisition, acting_user: User, now: dt.datetime | None = None
) -> Requisition:
    """The office issues the completion certificate: the order is accepted today."""
    now = now or timezone.now()
    requisition = _locked(requisition)
    if not can.can_act_for_office(acting_user, requisition):
        raise PermissionDenied(_("You are not allowed to do this."))
    _complete(requisition, actor=acting_user, now=now)
    if requisition.status != R.COMPLETED:
        raise IllegalTransition(
            _("A completion certificate can be issued only when all the work is done.")
        )
    move(requisition, R.ACCEPTED)
    requisition.accepted_on = timezone.localdate(now)
    requisition.acceptance_kind = AcceptanceKind.CERTIFIED
    requisition.accepted_by = acting_user
    requisition.certificate_issued_at = now
    requisition.save(
        update_fields=[
            "status",
            "accepted_on",
            "acceptance_kind",
            "accepted_by",
            "certificate_issued_at",
        ]
    )
    audit_record(
        actor=acting_user,
        action="requisition.accepted",
        obj=requisition,
        before={"status": R.COMPLETED},
        after={
            "status": R.ACCEPTED,
            "accepted_on": requisition.accepted_on,
            "acceptance_kind": AcceptanceKind.CERTIFIED,
        },
    )
    return requisition


def deemed_acceptance_date(requisition: Requisition) -> dt.date | None:
    """The day acceptance is deemed: `deemed_acceptance_days` after the last day worked."""
    last = selectors.last_service_day(selectors.bookings_of(requisition))
    if last is None or requisition.rule_set is None:
        return None
    return last + dt.timedelta(days=requisition.rule_set.deemed_acceptance_days)


@transaction.atomic
def requisition_deem_accepted(
    *, requisition: Requisition, now: dt.datetime | None = None
) -> Requisition:
    """Record deemed acceptance when the office has done nothing by the deemed date (the
    periodic sweep; idempotent). The acceptance date is the deemed date itself."""
    now = now or timezone.now()
    requisition = _locked(requisition)
    _complete(requisition, actor=None, now=now)
    if requisition.status != R.COMPLETED:
        return requisition
    deemed_on = deemed_acceptance_date(requisition)
    if deemed_on is None or timezone.localdate(now) <= deemed_on:
        return requisition
    move(requisition, R.ACCEPTED)
    requisition.accepted_on = deemed_on
    requisition.acceptance_kind = AcceptanceKind.DEEMED
    requisition.save(update_fields=["status", "accepted_on", "acceptance_kind"])
    audit_record(
        actor=None,
        action="requisition.accepted",
        obj=requisition,
        before={"status": R.COMPLETED},
        after={
            "status": R.ACCEPTED,
            "accepted_on": deemed_on,
            "acceptance_kind": AcceptanceKind.DEEMED,
        },
    )
    return requisition
