"""The OndcTransaction row of a flow, and the network's refusals used across the flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from sevamitra.bookings.models import BookingEvent, BookingStatus
from sevamitra.ondc import errors, mapping
from sevamitra.ondc.models import OndcTransaction, TransactionState
from sevamitra.providers.models import BlockKind, CalendarBlock

S = BookingStatus
T = TransactionState


@dataclass(frozen=True)
class Ident:
    """Which flow: the buyer app and its transaction id (plus where to answer)."""

    bap_id: str
    bap_uri: str
    transaction_id: str
    city_code: str = ""


def error(code: str, message: str, **kwargs: Any) -> errors.OndcError:
    return errors.OndcError(code, message, **kwargs)


def order_error(message: str) -> errors.OndcError:
    return error(errors.ORDER_VALIDATION_FAILURE, message, type=errors.DOMAIN_ERROR)


def locked(ident: Ident, *, create: bool) -> OndcTransaction | None:
    """The flow's row, locked for this transaction (created when `create`)."""
    rows = OndcTransaction.objects.select_for_update(no_key=True)
    if not create:
        return rows.filter(bap_id=ident.bap_id, transaction_id=ident.transaction_id).first()
    txn, _created = rows.get_or_create(
        bap_id=ident.bap_id,
        transaction_id=ident.transaction_id,
        defaults={"bap_uri": ident.bap_uri, "city_code": ident.city_code, "state": T.SELECTED},
    )
    return txn


def transaction_for_order(*, bap_id: str, order_id: str) -> OndcTransaction:
    """The flow of one of this buyer app's orders (our booking id), or 30018 "order not found".
    Another buyer app's order is not found either."""
    txn = None
    if order_id.isascii() and order_id.isdigit() and len(order_id) < 19:
        txn = (
            OndcTransaction.objects.select_related(
                "booking__provider", "booking__category", "offer__category", "customer"
            )
            .filter(bap_id=bap_id, booking_id=int(order_id))
            .first()
        )
    if txn is None or txn.booking is None:
        raise error(mapping.ORDER_NOT_FOUND, f"order {order_id!r} not found")
    return txn


def drop_hold(txn: OndcTransaction) -> None:
    if txn.hold_id:
        CalendarBlock.objects.filter(pk=txn.hold_id, kind=BlockKind.HOLD).delete()
        txn.hold = None


def mark_reported(txn: OndcTransaction) -> None:
    """The answer being built tells the buyer app everything that happened to the booking."""
    if txn.booking_id:
        newest = BookingEvent.objects.filter(booking_id=txn.booking_id).aggregate(m=Max("pk"))
        txn.reported_event_id = newest["m"]
