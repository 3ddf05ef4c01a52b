"""An order as the buyer app sees it (on_confirm, on_status, on_update, on_cancel), and the
customer's start code it shows as the fulfillment's OTP authorization."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, CancelledBy, PaymentStatus
from sevamitra.ondc import mapping
from sevamitra.ondc.flow.base import S, mark_reported
from sevamitra.ondc.mapping import Cart
from sevamitra.ondc.models import OndcTransaction
from sevamitra.providers.models import Offer


def _fernet() -> Fernet:
    key = hashlib.sha256(f"sevamitra.ondc.otp:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_otp(txn: OndcTransaction, booking: Booking, code: str, now: dt.datetime) -> None:
    txn.otp_sealed = _fernet().encrypt(code.encode()).decode()
    txn.otp_code_salt, txn.otp_issued_at = booking.code_salt, now


def _unsealed_otp(txn: OndcTransaction, booking: Booking) -> str | None:
    if not txn.otp_sealed or txn.otp_code_salt != booking.code_salt:
        return None  # none yet, or codes reissued elsewhere since
    try:
        return _fernet().decrypt(txn.otp_sealed.encode()).decode()
    except InvalidToken:  # SECRET_KEY changed
        return None


def otp_authorization(
    txn: OndcTransaction, booking: Booking, *, issue: bool, now: dt.datetime
) -> dict[str, Any] | None:
    """The customer's start code as the fulfillment's OTP authorization while the visit is
    confirmed or under way to the door. With `issue`, a buyer app without a valid code gets a
    fresh pair (booking_codes_reissue: also texted to the customer); the caller saves txn."""
    if booking.status not in (S.CONFIRMED, S.EN_ROUTE) or txn.customer is None:
        return None
    code = _unsealed_otp(txn, booking)
    if code is None and issue:
        codes = bookings.booking_codes_reissue(booking=booking, acting_user=txn.customer)
        booking.refresh_from_db(fields=["code_salt"])
        seal_otp(txn, booking, codes.start, now)
        code = codes.start
    if code is None:
        return None
    return mapping.otp_authorization(
        code, valid_from=txn.otp_issued_at or now, valid_to=booking.ends_at
    )


def cart_of(txn: OndcTransaction, offer: Offer) -> Cart:
    data = txn.order or {}
    return Cart(
        provider_id=data.get("provider_id", ""),
        item_id=data.get("item_id", ""),
        offer=offer,
        start=txn.starts_at,
        end=txn.ends_at,
        parent_item_id=data.get("parent_item_id"),
        location_ids=data.get("location_ids") or [],
        days=data.get("days"),
        location=data.get("location") or {},
        contact=data.get("contact") or {},
        person=data.get("person") or {},
        instructions=data.get("instructions") or {},
        billing=data.get("billing") or {},
        payment=data.get("payment") or {},
        finder_fee=data.get("finder_fee"),
    )


def progress_of(
    txn: OndcTransaction, booking: Booking, *, issue_otp: bool, now: dt.datetime
) -> mapping.Progress:
    """Times and the OTP the order object shows, from the booking's history."""
    times: dict[str, dt.datetime] = {}
    for action, at in booking.events.filter(
        action__in=("en_route", "arrived", "completed")
    ).values_list("action", "at"):
        times[action] = at
    return mapping.Progress(
        arrived="arrived" in times,
        left_at=times.get("en_route"),
        done_at=times.get("completed"),
        authorization=otp_authorization(txn, booking, issue=issue_otp, now=now),
        paid=booking.payments.filter(status=PaymentStatus.PAID).exists(),
    )


def order_message(
    txn: OndcTransaction, *, issue_otp: bool = False, now: dt.datetime
) -> dict[str, Any]:
    """The `message` of on_confirm / on_status / on_update / on_cancel for this order."""
    offer = txn.offer
    assert offer is not None and txn.booking_id is not None
    booking = Booking.objects.select_related("provider", "category", "customer").get(
        pk=txn.booking_id
    )
    progress = progress_of(txn, booking, issue_otp=issue_otp, now=now)
    if issue_otp:  # a reissued code is recorded on the booking: that is reported here too
        mark_reported(txn)
        txn.save()
    return mapping.booking_order(
        booking,
        cart=txn.order,
        offer=offer,
        progress=progress,
        cancellation_reason=(txn.order or {}).get("cancellation_reason_id")
        if booking.cancelled_by == CancelledBy.CUSTOMER
        else None,
    )
