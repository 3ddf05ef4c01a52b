"""Background work of government orders: complete orders whose visits are over, and record
deemed acceptance when the office has not issued the completion certificate in time
(periodic); tell the office when a visit of its order falls through (procurement.visit_lost,
queued by the booking engine by name when a government booking is declined, expires unanswered
or is cancelled by the Sevamitra or the system)."""

import datetime as dt
from datetime import timedelta

from sevamitra.bookings.models import BookingEvent
from sevamitra.notifications.models import Message
from sevamitra.procurement import notify, selectors
from sevamitra.procurement.models import AcceptanceKind, Requisition, RequisitionStatus
from sevamitra.procurement.services.completion import requisition_deem_accepted
from sevamitra.tasks.registry import job, periodic

VISIT_LOST = "procurement.visit_lost"


@periodic("procurement.acceptance_sweep", every=timedelta(hours=1))
def acceptance_sweep(now: dt.datetime | None = None) -> int:
    """Idempotent: returns how many orders were accepted as deemed in this run."""
    accepted = 0
    for requisition in selectors.requisitions_to_sweep().iterator():
        after = requisition_deem_accepted(requisition=requisition, now=now)
        if (
            after.status == RequisitionStatus.ACCEPTED
            and after.acceptance_kind == AcceptanceKind.DEEMED
        ):
            accepted += 1
    return accepted


@job(VISIT_LOST)
def visit_lost(*, booking_id: int, event_id: int) -> int:
    """Tell the order's officers how many of its visits are now not covered; how many messages
    were queued. Idempotent, and one message covers many events: nothing is sent when the order
    is no longer booked, when every visit is covered again, or when the officers were told
    after this event (their message already counted it)."""
    event = BookingEvent.objects.filter(pk=event_id, booking_id=booking_id).first()
    if event is None:
        return 0
    requisition = (
        Requisition.objects.select_related("office", "created_by")
        .filter(chosen__series__occurrences__pk=booking_id)
        .first()
    )
    if requisition is None or requisition.status != RequisitionStatus.BOOKED:
        return 0
    if Message.objects.filter(
        event=notify.VISITS_UNCOVERED,
        reference=notify.reference(requisition),
        created_at__gte=event.at,
    ).exists():
        return 0
    count = selectors.uncovered_count(requisition)
    if not count:
        return 0
    return notify.visits_uncovered(requisition, count=count)
