"""Completion certificate and deemed acceptance."""

import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement import selectors, tasks
from sevamitra.procurement.errors import IllegalTransition
from sevamitra.procurement.models import AcceptanceKind, RequisitionStatus
from sevamitra.procurement.services import approvals, completion, requisitions
from sevamitra.procurement.tests.factories import draft

pytestmark = pytest.mark.django_db
R = RequisitionStatus


def _booked(org):  # type: ignore[no-untyped-def]
    order = draft(org.child, org.maker)
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[0].offers.get()], acting_user=org.maker
    )
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    return order


def _work_done(order):  # type: ignore[no-untyped-def]
    """The provider started and finished each visit with the office's codes (the engine's
    own start/finish are tested in bookings); here only the outcome matters."""
    Booking.objects.filter(series__requisition_provider__requisition=order).update(
        status=BookingStatus.COMPLETED
    )


def test_attendance_lists_each_day(org):
    order = _booked(org)
    days = selectors.attendance(order)
    assert [d.day for d in days] == [order.starts_on + dt.timedelta(days=i) for i in range(3)]
    assert [d.present for d in days] == [0, 0, 0]
    _work_done(order)
    assert [d.present for d in selectors.attendance(order)] == [1, 1, 1]


def test_certificate_only_when_all_work_is_done(org):
    order = _booked(org)
    with pytest.raises(IllegalTransition, match="all the work is done"):
        completion.requisition_certify(requisition=order, acting_user=org.maker)
    order.refresh_from_db()
    assert order.status == R.BOOKED
    assert order.accepted_on is None


def test_certificate_accepts_the_order(org):
    order = _booked(org)
    _work_done(order)
    now = timezone.now() + dt.timedelta(days=12)
    completion.requisition_certify(requisition=order, acting_user=org.maker, now=now)
    order.refresh_from_db()
    assert order.status == R.ACCEPTED
    assert order.accepted_on == timezone.localdate(now)
    assert order.acceptance_kind == AcceptanceKind.CERTIFIED
    assert order.accepted_by == org.maker
    assert list(
        AuditEntry.objects.filter(action__startswith="requisition.c").values_list(
            "action", flat=True
        )
    ) == ["requisition.completed"]
    assert (
        AuditEntry.objects.get(action="requisition.accepted").after["acceptance_kind"]
        == "certified"
    )


def test_only_the_office_issues_the_certificate(org):
    order = _booked(org)
    _work_done(order)
    for user in (org.stranger, org.finance):
        with pytest.raises(PermissionDenied):
            completion.requisition_certify(requisition=order, acting_user=user)
    order.refresh_from_db()
    assert order.status == R.BOOKED


def test_deemed_acceptance_after_the_configured_days(org):
    order = _booked(org)
    _work_done(order)
    deemed_on = order.ends_on + dt.timedelta(days=org.rules.deemed_acceptance_days)
    on_the_day = timezone.make_aware(dt.datetime.combine(deemed_on, dt.time(23, 0)))
    completion.requisition_deem_accepted(requisition=order, now=on_the_day)
    order.refresh_from_db()
    assert order.status == R.COMPLETED  # not yet: the office still has that day
    day_after = on_the_day + dt.timedelta(hours=2)
    completion.requisition_deem_accepted(requisition=order, now=day_after)
    order.refresh_from_db()
    assert order.status == R.ACCEPTED
    assert order.accepted_on == deemed_on
    assert order.acceptance_kind == AcceptanceKind.DEEMED
    count = AuditEntry.objects.count()
    completion.requisition_deem_accepted(requisition=order, now=day_after)  # idempotent
    assert AuditEntry.objects.count() == count


def test_deemed_acceptance_waits_for_unfinished_work(org):
    order = _booked(org)
    completion.requisition_deem_accepted(
        requisition=order, now=timezone.now() + dt.timedelta(days=60)
    )
    order.refresh_from_db()
    assert order.status == R.BOOKED
    assert order.accepted_on is None


def test_periodic_sweep_is_idempotent(org):
    order = _booked(org)
    _work_done(order)
    later = timezone.now() + dt.timedelta(days=30)
    assert tasks.acceptance_sweep(now=later) == 1
    assert tasks.acceptance_sweep(now=later) == 0
    order.refresh_from_db()
    assert order.acceptance_kind == AcceptanceKind.DEEMED
