"""The OndcTransaction row of a flow, and the network's refusals used across the flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from sevamitra.audit.services import audit_record, snapshot
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


# --- the audit trail ------------------------------------------------------------------------

# What the audit trail keeps of a flow's row: references, the slot and the quoted total, never
# the order (it carries the buyer's name, phone and address).
AUDITED_FIELDS = (
    "state",
    "offer_id",
    "customer_id",
    "hold_id",
    "booking_id",
    "starts_at",
    "ends_at",
)


def audit_role(bap_id: str) -> str:
    """The capacity a buyer app acts in, in the audit trail: "ondc:<its subscriber id>"."""
    return f"ondc:{bap_id}"[:100]


def audited(txn: OndcTransaction) -> dict[str, Any]:
    """The audited values of the row now (take it before changing the row)."""
    return {**snapshot(txn, AUDITED_FIELDS), "total": (txn.quote or {}).get("total")}


def audit_txn(txn: OndcTransaction, *, action: str, before: dict[str, Any], role: str = "") -> None:
    """Record what changed on the flow's row since `before` (nothing changed: no entry). No
    person acts: the buyer app does (or, with role "system", our own job)."""
    after = audited(txn)
    changed = [key for key in after if before.get(key) != after[key]]
    if not changed:
        return
    audit_record(
        actor=None,
        role=role or audit_role(txn.bap_id),
        action=action,
        obj=txn,
        before={key: before.get(key) for key in changed},
        after={"state": txn.state, **{key: after[key] for key in changed}},
    )
