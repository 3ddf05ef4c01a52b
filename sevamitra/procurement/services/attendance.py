"""The office's attendance sheet: every visit of a booked order with its start and end codes,
printed once by the indenting officer who holds them.

Codes are stored only as HMACs, so printing issues fresh codes (the booking engine's
booking_codes_reissue, without SMS) for every visit confirmed and not yet started; the earlier
codes of those visits stop working. Visits still awaiting the Sevamitra's answer get their codes
when accepted (by SMS, as before); visits started or over need none."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.services import Codes, booking_codes_reissue
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement import permissions as can
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import IllegalTransition
from sevamitra.procurement.models import Requisition, RequisitionStatus

# A visit in these statuses gets new codes on the sheet (confirmed, not started yet).
REISSUED = (BookingStatus.CONFIRMED, BookingStatus.EN_ROUTE)


@dataclass(frozen=True, slots=True)
class SheetRow:
    booking: Booking
    codes: Codes | None  # None: no code on the sheet (see the booking's status)


def codes_due(bookings: list[Booking], *, now: dt.datetime) -> list[Booking]:
    """The visits whose codes a sheet printed now would re-issue."""
    return [b for b in bookings if b.status in REISSUED and b.ends_at > now]


@transaction.atomic
def requisition_attendance_sheet_issue(
    *, requisition: Requisition, acting_user: User, now: dt.datetime | None = None
) -> list[SheetRow]:
    """Re-issue the codes of the order's visits confirmed and not yet started, and return every
    visit of the order (date order) with its new codes where it has them. Audited
    ("requisition.attendance_sheet_issued"; each visit's "booking.codes_reissued" by the
    engine). The codes are returned once and never stored in clear."""
    now = now or timezone.now()
    requisition = Requisition.objects.select_for_update(of=("self",)).get(pk=requisition.pk)
    if not can.can_print_attendance_sheet(acting_user, requisition):
        raise PermissionDenied(_("You are not allowed to do this."))
    if requisition.status != RequisitionStatus.BOOKED:
        raise IllegalTransition(
            _("An attendance sheet can be printed only for a booked order with work to come.")
        )
    bookings = selectors.bookings_of(requisition)
    due = codes_due(bookings, now=now)
    # Lock every visit whose codes change before the engine writes its first audit entry (the
    # audit chain's lock is held until commit; nothing may wait for a row lock after it).
    list(
        Booking.objects.select_for_update(of=("self",))
        .filter(pk__in=[b.pk for b in due])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    codes = {
        booking.pk: booking_codes_reissue(booking=booking, acting_user=acting_user, quiet=True)
        for booking in due
    }
    audit_record(
        actor=acting_user,
        action="requisition.attendance_sheet_issued",
        obj=requisition,
        after={"codes_reissued": sorted(codes), "visits": len(bookings)},
    )
    return [SheetRow(booking, codes.get(booking.pk)) for booking in bookings]
