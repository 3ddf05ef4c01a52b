"""The office's attendance sheet: every visit with fresh start and end codes, printed by the
indenting officer who made the order; the earlier codes stop working."""

import re

import pytest
from django.urls import reverse

from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.errors import WrongCode
from sevamitra.bookings.models import BookingStatus
from sevamitra.bookings.services import (
    booking_accept,
    booking_finish,
    booking_start,
)
from sevamitra.core.errors import PermissionDenied
from sevamitra.notifications.models import Message
from sevamitra.procurement import selectors
from sevamitra.procurement.errors import IllegalTransition
from sevamitra.procurement.services import approvals, attendance, requisitions
from sevamitra.procurement.tests.factories import draft

pytestmark = pytest.mark.django_db
S = BookingStatus


def _booked(org, n=1):  # type: ignore[no-untyped-def]
    order = draft(org.child, org.maker, workers=n)
    requisitions.requisition_submit(
        requisition=order,
        offers=[p.offers.get() for p in org.providers[:n]],
        acting_user=org.maker,
    )
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    return order


def _accept(order, skip=0):  # type: ignore[no-untyped-def]
    """The Sevamitras accept every visit but the last `skip`; the old codes of each."""
    bookings = selectors.bookings_of(order)
    codes = {}
    for booking in bookings[: len(bookings) - skip]:
        codes[booking.pk] = booking_accept(booking=booking, acting_user=booking.provider.user).codes
    return codes


def test_the_sheet_reissues_the_codes_of_visits_to_come(org):
    order = _booked(org)
    old = _accept(order, skip=1)  # the last visit still waits for an answer
    bookings = selectors.bookings_of(order)
    first, _second, last = bookings
    sms_before = Message.objects.filter(event="booking.codes").count()

    rows = attendance.requisition_attendance_sheet_issue(requisition=order, acting_user=org.maker)

    assert [row.booking.pk for row in rows] == [b.pk for b in bookings]
    assert [row.codes is not None for row in rows] == [True, True, False]
    assert rows[0].codes != old[first.pk]
    # No SMS: the sheet carries the codes.
    assert Message.objects.filter(event="booking.codes").count() == sms_before
    # The earlier codes no longer work; the sheet's do.
    with pytest.raises(WrongCode):
        booking_start(booking=first, code=old[first.pk].start, acting_user=first.provider.user)
    booking_start(booking=first, code=rows[0].codes.start, acting_user=first.provider.user)
    booking_finish(booking=first, code=rows[0].codes.end, acting_user=first.provider.user)
    first.refresh_from_db()
    assert first.status == S.COMPLETED
    entry = AuditEntry.objects.get(action="requisition.attendance_sheet_issued")
    assert entry.object_id == str(order.pk)
    assert entry.after == {"codes_reissued": sorted(b.pk for b in bookings[:2]), "visits": 3}
    assert AuditEntry.objects.filter(action="booking.codes_reissued").count() == 2
    assert last.status == S.REQUESTED


def test_started_and_finished_visits_keep_their_codes(org):
    order = _booked(org)
    old = _accept(order)
    first = selectors.bookings_of(order)[0]
    booking_start(booking=first, code=old[first.pk].start, acting_user=first.provider.user)
    rows = attendance.requisition_attendance_sheet_issue(requisition=order, acting_user=org.maker)
    assert [row.codes is not None for row in rows] == [False, True, True]
    # The visit in progress still finishes with the code given at its start.
    booking_finish(booking=first, code=old[first.pk].end, acting_user=first.provider.user)


@pytest.mark.parametrize("who", ["approver", "finance", "stranger"])
def test_only_the_maker_prints_the_sheet(org, who):
    order = _booked(org)
    _accept(order)
    with pytest.raises(PermissionDenied):
        attendance.requisition_attendance_sheet_issue(
            requisition=order, acting_user=getattr(org, who)
        )
    assert not AuditEntry.objects.filter(action="booking.codes_reissued").exists()


def test_no_sheet_before_booking(org):
    order = draft(org.child, org.maker)
    with pytest.raises(IllegalTransition):
        attendance.requisition_attendance_sheet_issue(requisition=order, acting_user=org.maker)
    assert not AuditEntry.objects.filter(action="requisition.attendance_sheet_issued").exists()


# --- Pages ----------------------------------------------------------------------------------


def test_the_page_warns_then_shows_the_codes_once(client, org):
    order = _booked(org)
    _accept(order)
    client.force_login(org.maker)
    client.cookies["django_language"] = "en"
    url = reverse("procurement:attendance_sheet", args=[order.pk])
    assert url in client.get(reverse("procurement:detail", args=[order.pk])).content.decode()

    page = client.get(url).content.decode()
    assert "Printing issues new codes; earlier codes stop working." in page
    assert "The codes of 3 visits confirmed and not yet started are replaced." in page
    assert not AuditEntry.objects.filter(action="booking.codes_reissued").exists()

    response = client.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    codes = re.findall(r'<td class="code" translate="no">(\d{4})</td>', html)
    assert len(codes) == 6
    first = selectors.bookings_of(order)[0]
    booking_start(booking=first, code=codes[0], acting_user=first.provider.user)
    booking_finish(booking=first, code=codes[1], acting_user=first.provider.user)


def test_the_page_is_for_the_maker_of_a_booked_order(client, org):
    order = _booked(org)
    url = reverse("procurement:attendance_sheet", args=[order.pk])
    client.force_login(org.approver)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(org.stranger)
    assert client.get(url).status_code == 404
    client.force_login(org.maker)
    requisitions.requisition_cancel(requisition=order, reason="Not needed", acting_user=org.maker)
    response = client.post(url)
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="requisition.attendance_sheet_issued").exists()
