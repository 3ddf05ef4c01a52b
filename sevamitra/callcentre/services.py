"""Writes of the call centre: a call opened, the caller registered, booked for, their booking
changed, the call closed with its outcome.

Every function takes the agent as `acting_user`, works on the agent's own open call, and
leaves the booking rules to bookings.services (booking_create, booking_cancel, …) and who may
register a caller to accounts.services.user_create. One open call per agent: opening the next
caller closes the last one (a database constraint keeps it so).

Audit trail: the call's own changes are "call.started", "call.caller_registered",
"call.updated" (the booking it changed) and "call.closed" (with its outcome); the bookings
made or changed in it are recorded by the booking engine, the registered caller by
accounts.user_create. The caller's number and the agent's notes stay out of it (whether
notes were written is recorded).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.models import Address, Role, User
from sevamitra.accounts.permissions import require
from sevamitra.accounts.phone import normalize_phone
from sevamitra.accounts.services import user_create
from sevamitra.audit.services import audit_record
from sevamitra.bookings.models import Booking, BookingKind, CancelledBy, Channel
from sevamitra.bookings.services import (
    Placed,
    booking_cancel,
    booking_codes_reissue,
    booking_create,
    booking_reschedule,
)
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.callcentre.permissions import can_serve_pincode, can_take_calls
from sevamitra.catalog.models import Category, PricingUnit
from sevamitra.core.errors import DomainError
from sevamitra.providers.models import Offer

LANGUAGES = ("hi", "en")
# The kind of booking a single slot of a service makes, by how the service is priced.
_KIND_BY_UNIT: dict[str, str] = {
    PricingUnit.HOUR: BookingKind.HOURS,
    PricingUnit.EVENT: BookingKind.EVENT,
}


class CallError(DomainError):
    code = "call_error"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _open_call(call: Call, acting_user: User) -> Call:
    """The call, locked, if it is the acting agent's and still open."""
    require(can_take_calls(acting_user))
    locked = Call.objects.select_for_update(of=("self",)).select_related("caller").get(pk=call.pk)
    require(locked.agent_id == acting_user.pk)
    if not locked.is_open:
        raise CallError(_("This call is already closed."), code="call_closed", status=409)
    return locked


def _close(
    call: Call,
    *,
    outcome: str,
    now: dt.datetime,
    notes: str | None = None,
    booking: Booking | None = None,
    category: Category | None = None,
    pincode: str = "",
) -> None:
    call.outcome = outcome
    call.ended_at = max(now, call.started_at)
    if notes is not None:
        call.notes = notes
    if booking is not None:
        call.booking = booking
    if category is not None:
        call.category = category
    if pincode:
        call.pincode = pincode
    call.save()


def _audit_closed(call: Call, *, acting_user: User, automatically: bool = False) -> None:
    audit_record(
        actor=acting_user,
        role=Role.AGENT,
        action="call.closed",
        obj=call,
        before={"outcome": ""},
        after={
            "outcome": call.outcome,
            "booking": call.booking_id,
            "category": call.category_id,
            "notes_given": bool(call.notes.strip()),
            "closed_automatically": automatically,
        },
    )


@transaction.atomic
def call_start(*, phone: str, acting_user: User, now: dt.datetime | None = None) -> Call:
    """Open a call with the caller on this number (a known user or, until registered, just
    the number). The agent's call still open is closed first: "changed" if a booking was
    changed in it, else "enquiry", with a note saying so. Opening the number of the call
    already open returns that call."""
    require(can_take_calls(acting_user))
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], code="invalid_phone", field="phone") from exc
    now = _now(now)
    # Lock the agent: two tabs opening calls at once queue here instead of breaking the
    # one-open-call constraint.
    User.objects.select_for_update(no_key=True).filter(pk=acting_user.pk).first()
    closed = []
    for left_open in Call.objects.select_for_update().filter(agent=acting_user, outcome=""):
        if left_open.phone == phone:
            return left_open
        note = _("Closed automatically when the next call was opened.")
        _close(
            left_open,
            outcome=CallOutcome.CHANGED if left_open.booking_id else CallOutcome.ENQUIRY,
            notes=f"{left_open.notes}\n{note}".strip(),
            now=now,
        )
        closed.append(left_open)
    caller = User.objects.filter(phone=phone).first()
    call = Call.objects.create(agent=acting_user, caller=caller, phone=phone, started_at=now)
    for left_open in closed:
        _audit_closed(left_open, acting_user=acting_user, automatically=True)
    audit_record(
        actor=acting_user,
        role=Role.AGENT,
        action="call.started",
        obj=call,
        after={"agent": acting_user.pk, "caller": call.caller_id},
    )
    return call


@transaction.atomic
def call_register_caller(*, call: Call, name: str, language: str, acting_user: User) -> User:
    """Register the unknown caller of an open call as a citizen (accounts.user_create, which
    agents may do), speaking `language`: their texts will be in it."""
    call = _open_call(call, acting_user)
    if call.caller_id is not None:
        raise CallError(_("This caller is already registered."), code="caller_known")
    if language not in LANGUAGES:
        raise InvalidInput(_("Choose Hindi or English."), code="invalid_language", field="language")
    caller = user_create(
        phone=call.phone, name=name, preferred_language=language, acting_user=acting_user
    )
    call.caller = caller
    call.save(update_fields=["caller"])
    audit_record(
        actor=acting_user,
        role=Role.AGENT,
        action="call.caller_registered",
        obj=call,
        before={"caller": None},
        after={"caller": caller.pk},
    )
    return caller


@transaction.atomic
def call_close(
    *,
    call: Call,
    outcome: str,
    acting_user: User,
    notes: str = "",
    category: Category | None = None,
    pincode: str = "",
    now: dt.datetime | None = None,
) -> Call:
    """Close the agent's open call with its outcome and notes; the service and pincode asked
    about, if any, are kept for the reports. "Booked" is set by call_book, never by hand."""
    call = _open_call(call, acting_user)
    if outcome not in CallOutcome.values or outcome == CallOutcome.BOOKED:
        raise CallError(_("Choose how the call ended."), code="invalid_outcome", field="outcome")
    _close(
        call,
        outcome=outcome,
        notes=notes.strip(),
        category=category,
        pincode=pincode,
        now=_now(now),
    )
    _audit_closed(call, acting_user=acting_user)
    return call


@transaction.atomic
def call_book(
    *,
    call: Call,
    offer: Offer,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    address: Address | None = None,
    address_text: str = "",
    pincode: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Placed:
    """Book `offer` for the caller (channel phone) at a saved address of theirs or at the
    address typed with the searched pincode, and close the call as "booked" with it.

    The caller gets the start and end codes by SMS from the booking engine (at once when the
    Sevamitra accepts automatically, else when they accept): the agent never needs them."""
    call = _open_call(call, acting_user)
    caller = call.caller
    if caller is None:
        raise CallError(_("Register the caller first."), code="caller_unknown")
    category = offer.category
    if category.pricing_unit == PricingUnit.MONTH:
        raise CallError(
            _("A monthly service starts as a recurring series; book it on the web."),
            code="series_needed",
            field="offer",
        )
    lat = lng = None
    if address is not None:
        require(address.user_id == caller.pk)
        address_text, pincode, lat, lng = (
            address.one_line,
            address.pincode,
            address.lat,
            address.lng,
        )
    if pincode and not can_serve_pincode(acting_user, pincode):
        raise CallError(
            _("You take calls for other districts: pass this caller to a colleague."),
            code="district_not_served",
            field="place",
            status=403,
        )
    placed = booking_create(
        offer=offer,
        customer=caller,
        start=start,
        end=end,
        kind=_KIND_BY_UNIT.get(category.pricing_unit, BookingKind.VISIT),
        channel=Channel.PHONE,
        address=address_text,
        pincode=pincode,
        lat=lat,
        lng=lng,
        notes=notes,
        acting_user=acting_user,
        now=now,
    )
    _close(
        call,
        outcome=CallOutcome.BOOKED,
        booking=placed.booking,
        category=category,
        pincode=pincode,
        now=_now(now),
    )
    _audit_closed(call, acting_user=acting_user)
    return placed


def _callers_booking(call: Call, booking: Booking) -> None:
    require(call.caller_id is not None and booking.customer_id == call.caller_id)


def _link_booking(call: Call, booking: Booking, *, acting_user: User) -> None:
    """The call remembers the booking it changed (audited when that is news)."""
    old = call.booking_id
    call.booking = booking
    call.save(update_fields=["booking"])
    if old != booking.pk:
        audit_record(
            actor=acting_user,
            role=Role.AGENT,
            action="call.updated",
            obj=call,
            before={"booking": old},
            after={"booking": booking.pk},
        )


@transaction.atomic
def call_booking_cancel(
    *,
    call: Call,
    booking: Booking,
    reason: str,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Booking:
    """Cancel one of the caller's bookings on their behalf (the fee by the Sevamitra's terms,
    as for the caller on the web); the call remembers the booking it changed."""
    call = _open_call(call, acting_user)
    _callers_booking(call, booking)
    booking = booking_cancel(
        booking=booking,
        by=CancelledBy.CUSTOMER,
        reason=reason,
        acting_user=acting_user,
        now=now,
    )
    _link_booking(call, booking, acting_user=acting_user)
    return booking


@transaction.atomic
def call_booking_reschedule(
    *,
    call: Call,
    booking: Booking,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Booking:
    """Move one of the caller's bookings to another time with the same Sevamitra."""
    call = _open_call(call, acting_user)
    _callers_booking(call, booking)
    booking = booking_reschedule(
        booking=booking, start=start, end=end, acting_user=acting_user, now=now
    )
    _link_booking(call, booking, acting_user=acting_user)
    return booking


@transaction.atomic
def call_codes_resend(*, call: Call, booking: Booking, acting_user: User) -> None:
    """New start and end codes for a caller who lost the SMS, sent to their number again.
    The codes are not returned: the agent never reads them out."""
    call = _open_call(call, acting_user)
    _callers_booking(call, booking)
    booking_codes_reissue(booking=booking, acting_user=acting_user)
