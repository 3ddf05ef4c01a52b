"""After confirmation, at the buyer app's request: reschedule, cancel, rate."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sevamitra.bookings import services as bookings
from sevamitra.bookings.errors import (
    IllegalTransition,
    OnLeave,
    OutsideHours,
    SlotTaken,
)
from sevamitra.bookings.models import Booking, CancelledBy, Rating
from sevamitra.bookings.models import RatingDirection as Direction
from sevamitra.core.errors import DomainError
from sevamitra.ondc import errors, mapping
from sevamitra.ondc.flow.base import S, T, audit_txn, audited, error, mark_reported
from sevamitra.ondc.flow.checks import slot_refusal
from sevamitra.ondc.flow.reading import cart_of
from sevamitra.ondc.models import OndcTransaction


def _locked(txn: OndcTransaction) -> OndcTransaction:
    return OndcTransaction.objects.select_for_update(no_key=True).get(pk=txn.pk)


def _slot_change_refusal(
    exc: DomainError, txn: OndcTransaction, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> errors.OndcError:
    if isinstance(exc, IllegalTransition):
        return error(errors.UPDATE_NOT_POSSIBLE, f"update not possible: {exc.message}")
    assert txn.offer is not None
    cart = cart_of(txn, txn.offer)
    cart.start, cart.end = start, end
    return slot_refusal(cart, f"schedule not available: {exc.message}", now=now)


@transaction.atomic
def order_reschedule(
    *, txn: OndcTransaction, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> Booking:
    """Move the booking (booking_reschedule: same provider, re-priced for the new length).
    Taken → 90001 with free slots; started, done or cancelled → 50002."""
    txn = _locked(txn)
    booking = txn.booking
    assert booking is not None and txn.customer is not None
    if (booking.starts_at, booking.ends_at) == (start, end):
        return booking  # already there (a repeated update)
    before = audited(txn)
    try:
        booking = bookings.booking_reschedule(
            booking=booking, start=start, end=end, acting_user=txn.customer, now=now
        )
    except (SlotTaken, OutsideHours, OnLeave, IllegalTransition) as exc:
        raise _slot_change_refusal(exc, txn, start, end, now) from exc
    except DomainError as exc:
        raise error(errors.UPDATE_NOT_POSSIBLE, f"update not possible: {exc.message}") from exc
    mark_reported(txn)
    txn.starts_at, txn.ends_at = start, end
    txn.save()
    audit_txn(txn, action="ondc_transaction.rescheduled", before=before)
    return booking


@transaction.atomic
def order_cancel(
    *, txn: OndcTransaction, reason_code: str, reason_text: str, now: dt.datetime
) -> Booking:
    """The buyer cancels: booking_cancel by the customer, the fee by the provider's terms as
    agreed. A visit under way or over → 50001. Cancelling a cancelled order answers it again."""
    txn = _locked(txn)
    booking = txn.booking
    assert booking is not None and txn.customer is not None
    if booking.status in (S.CANCELLED, S.DECLINED, S.NO_SHOW):
        return booking
    before = audited(txn)
    reason = reason_text or f"Cancelled in the buyer app (ONDC reason {reason_code or '-'})"
    try:
        booking = bookings.booking_cancel(
            booking=booking,
            by=CancelledBy.CUSTOMER,
            reason=reason,
            acting_user=txn.customer,
            now=now,
        )
    except DomainError as exc:
        raise error(
            errors.CANCELLATION_NOT_POSSIBLE, f"cancellation not possible: {exc.message}"
        ) from exc
    txn.state = T.CANCELLED
    txn.order = {**txn.order, "cancellation_reason_id": reason_code}
    mark_reported(txn)
    txn.save()
    audit_txn(txn, action="ondc_transaction.cancelled", before=before)
    return booking


@transaction.atomic
def order_rate(*, txn: OndcTransaction, stars: int) -> Rating:
    """The customer rates the Sevamitra (rating_add: after completion, once). The same rating
    again is answered again; a different one is refused."""
    txn = _locked(txn)
    booking = txn.booking
    assert booking is not None and txn.customer is not None
    existing = booking.ratings.filter(direction=Direction.CUSTOMER_RATES_PROVIDER).first()
    if existing is not None:
        if existing.stars == stars:
            return existing
        raise error(mapping.BUSINESS_ERROR, "this order is already rated")
    try:
        rating = bookings.rating_add(booking=booking, stars=stars, acting_user=txn.customer)
    except DomainError as exc:
        raise error(mapping.BUSINESS_ERROR, f"rating not possible: {exc.message}") from exc
    mark_reported(txn)
    txn.save(update_fields=["reported_event_id", "updated_at"])
    return rating
