"""select → quote, init → hold, confirm → an ordinary booking (channel "ondc")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from sevamitra.accounts import services as accounts
from sevamitra.accounts.models import User
from sevamitra.accounts.phone import normalize_phone
from sevamitra.bookings import selectors as booking_selectors
from sevamitra.bookings import services as bookings
from sevamitra.bookings.calendar import calendar_lock
from sevamitra.bookings.errors import (
    HoldInvalid,
    NotBookable,
    OnLeave,
    OutsideHours,
    SlotTaken,
)
from sevamitra.bookings.models import Booking, BookingKind, Channel
from sevamitra.bookings.pricing import Quote
from sevamitra.catalog.models import PricingUnit
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.ondc import errors, mapping
from sevamitra.ondc.flow.base import (
    Ident,
    T,
    audit_role,
    audit_txn,
    audited,
    drop_hold,
    error,
    locked,
    mark_reported,
    order_error,
)
from sevamitra.ondc.flow.checks import (
    check_serviceable,
    finder_fee,
    no_slot_refusal,
    point_of,
    quote_checked,
    slot_refusal,
)
from sevamitra.ondc.flow.reading import seal_otp
from sevamitra.ondc.mapping import Cart
from sevamitra.ondc.models import OndcTransaction

_KIND_BY_UNIT: dict[str, str] = {
    PricingUnit.HOUR: BookingKind.HOURS,
    PricingUnit.EVENT: BookingKind.EVENT,
}


@transaction.atomic
def transaction_select(*, ident: Ident, cart: Cart, now: dt.datetime) -> Quote:
    """Quote a slot and check it is free (90001 with free slots when not, 90003 with free slots
    when no slot is given). A new select starts the flow again: an earlier hold is released."""
    txn = locked(ident, create=True)
    assert txn is not None
    if txn.booking_id:
        raise order_error("this transaction already has an order; start a new transaction")
    before = audited(txn)
    drop_hold(txn)
    if cart.start is None or cart.end is None:
        raise no_slot_refusal(cart, now=now)
    quote = quote_checked(cart, now)
    check_serviceable(cart, now)
    cart.finder_fee = finder_fee(cart, txn, ident)
    txn.bap_uri, txn.city_code = ident.bap_uri, ident.city_code or txn.city_code
    txn.state, txn.offer, txn.customer = T.SELECTED, cart.offer, None
    txn.starts_at, txn.ends_at = cart.start, cart.end
    txn.quote, txn.order = quote.as_dict(), cart.as_json()
    txn.save()
    audit_txn(txn, action="ondc_transaction.selected", before=before)
    return quote


def _customer(cart: Cart, ident: Ident) -> User:
    """The customer: the user with the fulfillment contact's (else the billing) mobile number,
    registered now as a citizen when new. Their bookings then show in the provider's and the
    call centre's views like any other, and the codes reach them by SMS too."""
    raw, path = cart.contact.get("phone"), "message.order.fulfillments[0].stops[end].contact.phone"
    if not raw:
        raw, path = cart.billing.get("phone"), "message.order.billing.phone"
    try:
        phone = normalize_phone(str(raw or ""))
    except ValidationError:
        raise error(
            errors.INVALID_REQUEST,
            f"{path}: not a valid Indian mobile number (10 digits starting with 6-9)",
            path=path,
        ) from None
    user = booking_selectors.user_by_phone(phone=phone)
    if user is None:
        name = str(cart.billing.get("name") or cart.person.get("name") or "")[:150]
        user = accounts.citizen_for_phone(
            phone=phone,
            name=name,
            language=settings.LANGUAGE_CODE,
            channel_role=audit_role(ident.bap_id),
        )
    if not user.is_active:
        raise order_error("the customer's account is disabled")
    return user


def _slot_from_txn(cart: Cart, txn: OndcTransaction) -> None:
    """init/confirm may leave out the slot chosen at select: take it from the transaction."""
    if cart.start is None and txn.offer_id == cart.offer.pk and txn.starts_at and txn.ends_at:
        cart.start, cart.end = txn.starts_at, txn.ends_at


def hold_minutes() -> int:
    return int(settings.BOOKING_HOLD_MINUTES)


@transaction.atomic
def transaction_init(*, ident: Ident, cart: Cart, now: dt.datetime) -> Quote:
    """Hold the slot for BOOKING_HOLD_MINUTES for the customer (found or registered by phone)
    and keep the billing and fulfillment details. A repeated init takes a fresh hold."""
    txn = locked(ident, create=True)
    assert txn is not None
    if txn.booking_id:
        raise order_error("this transaction already has an order")
    before = audited(txn)
    _slot_from_txn(cart, txn)
    if cart.start is None or cart.end is None:
        raise no_slot_refusal(cart, now=now)
    # The calendar is locked and the earlier hold let go before the customer may be
    # registered: registering writes the audit trail, and no row lock may be waited for after
    # that in the same transaction (bookings.calendar.calendar_lock).
    calendar_lock(provider=cart.offer.provider)
    drop_hold(txn)
    customer = _customer(cart, ident)
    quote = quote_checked(cart, now)
    check_serviceable(cart, now)
    try:
        hold = bookings.hold_place(
            offer=cart.offer,
            customer=customer,
            start=cart.start,
            end=cart.end,
            acting_user=customer,
            now=now,
        )
    except SlotTaken as exc:
        raise slot_refusal(cart, "schedule not available: taken meanwhile", now=now) from exc
    except PermissionDenied as exc:
        raise order_error("the customer cannot book") from exc
    cart.finder_fee = finder_fee(cart, txn, ident)
    txn.bap_uri, txn.city_code = ident.bap_uri, ident.city_code or txn.city_code
    txn.state, txn.offer, txn.customer, txn.hold = T.INITIALIZED, cart.offer, customer, hold
    txn.starts_at, txn.ends_at = cart.start, cart.end
    txn.quote, txn.order = quote.as_dict(), cart.as_json()
    txn.save()
    audit_txn(txn, action="ondc_transaction.initialized", before=before)
    return quote


def _address(location: dict[str, Any]) -> tuple[str, str]:
    parts = [str(location.get("address") or "").strip()]
    for key in ("city", "state"):
        name = str((location.get(key) or {}).get("name") or "").strip()
        if name and name.lower() not in parts[0].lower():
            parts.append(name)
    area = str(location.get("area_code") or "").strip()
    pincode = area if len(area) == 6 and area.isdigit() else ""
    if area and area not in parts[0]:
        parts.append(area)
    return ", ".join(p for p in parts if p), pincode


def _same_as_initialized(cart: Cart, txn: OndcTransaction) -> None:
    if txn.offer_id != cart.offer.pk:
        raise order_error(f"item {cart.item_id!r} is not the item of on_init")
    if (cart.start, cart.end) != (txn.starts_at, txn.ends_at):
        raise order_error("the slot is not the slot of on_init; send init again to change it")
    payment = cart.payment
    if (payment.get("collected_by") or mapping.COLLECTED_BY).upper() != mapping.COLLECTED_BY or (
        payment.get("type") or mapping.PAYMENT_TYPE
    ).upper() != mapping.PAYMENT_TYPE:
        raise error(
            mapping.PAYMENT_TYPE_NOT_SUPPORTED,
            "payment: only ON-FULFILLMENT collected by BPP (the customer pays the provider "
            "directly after the work)",
        )


def confirm_precheck(*, bap_id: str, transaction_id: str) -> None:
    """The synchronous NACK of a confirm that comes before init (31002): a cheap read, run
    while the request is answered. A confirmed transaction passes (confirm again → the same
    order); the full checks run in transaction_confirm."""
    state = (
        OndcTransaction.objects.filter(bap_id=bap_id, transaction_id=transaction_id)
        .values_list("state", "booking_id")
        .first()
    )
    if state is None:
        raise order_error("no such transaction: send select and init before confirm")
    if state[1] is None and state[0] != T.INITIALIZED:
        raise order_error("the order is not initialized: send init before confirm")


@dataclass(frozen=True)
class Confirmed:
    txn: OndcTransaction
    booking: Booking


@transaction.atomic
def transaction_confirm(
    *, ident: Ident, cart: Cart, quoted_total: str | None, now: dt.datetime
) -> Confirmed:
    """Book the held slot (an ordinary booking, channel "ondc"). Confirm without init → 31002;
    hold expired and the slot gone → 90001; confirm again → the same order, no second booking."""
    txn = locked(ident, create=False)
    if txn is None:
        raise order_error("no such transaction: send select and init before confirm")
    if txn.booking_id:
        return Confirmed(txn, txn.booking)  # type: ignore[arg-type]
    if txn.state != T.INITIALIZED or txn.customer is None:
        raise order_error("the order is not initialized: send init before confirm")
    _slot_from_txn(cart, txn)
    _same_as_initialized(cart, txn)
    ours = Quote.from_dict(txn.quote).total if txn.quote else None
    if quoted_total is not None and ours is not None and Decimal(quoted_total) != ours:
        raise order_error(f"quote.price.value {quoted_total} is not the quoted {ours}")
    # The details of confirm win over those of init (the buyer app sends the whole order).
    merged = {**txn.order, **{k: v for k, v in cart.as_json().items() if v}}
    merged["finder_fee"] = finder_fee(cart, txn, ident)
    address, pincode = _address(merged.get("location") or {})
    point = point_of(merged.get("location") or {})
    instructions = merged.get("instructions") or {}
    notes = str(instructions.get("short_desc") or instructions.get("name") or "")[:500]
    offer, customer = txn.offer, txn.customer
    assert offer is not None and txn.starts_at and txn.ends_at
    before = audited(txn)
    kwargs: dict[str, Any] = {
        "offer": offer,
        "customer": customer,
        "start": txn.starts_at,
        "end": txn.ends_at,
        "kind": _KIND_BY_UNIT.get(offer.category.pricing_unit, BookingKind.VISIT),
        "channel": Channel.ONDC,
        "address": address,
        "pincode": pincode,
        "lat": point[0] if point else None,
        "lng": point[1] if point else None,
        "notes": notes,
        "acting_user": customer,
        "now": now,
    }
    try:
        try:
            with transaction.atomic():
                placed = bookings.booking_create(hold=txn.hold, **kwargs)
        except HoldInvalid:
            # The hold has expired: the slot may still be free.
            placed = bookings.booking_create(hold=None, **kwargs)
    except SlotTaken as exc:
        raise slot_refusal(
            cart, "schedule not available: the hold expired and the slot is taken", now=now
        ) from exc
    except (OutsideHours, OnLeave) as exc:
        raise slot_refusal(cart, f"schedule not available: {exc.message}", now=now) from exc
    except NotBookable as exc:
        raise error(mapping.MERCHANT_INACTIVE, "provider is not taking orders now") from exc
    except PermissionDenied as exc:
        raise order_error("the customer cannot book") from exc
    except DomainError as exc:
        raise order_error(f"cannot book: {exc.message}") from exc
    booking = placed.booking
    txn.booking, txn.hold, txn.state, txn.order = booking, None, T.CONFIRMED, merged
    if placed.codes is not None:
        seal_otp(txn, booking, placed.codes.start, now)
    mark_reported(txn)
    txn.save()
    audit_txn(txn, action="ondc_transaction.confirmed", before=before)
    return Confirmed(txn, booking)
