"""Provider, item, fulfillment and whole-order objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sevamitra.bookings.models import Booking, CancelledBy
from sevamitra.bookings.pricing import Quote
from sevamitra.ondc import catalog
from sevamitra.ondc.mapping.base import (
    AT_LOCATION,
    COLLECTED_BY,
    CUSTOMER_CANCELLATION_REASON,
    FULFILLMENT_ID,
    FULFILLMENT_TYPE,
    MERCHANT_CANCELLATION_REASON,
    PAYMENT_TYPE,
    QUOTE_TTL,
    S,
    fulfillment_state,
    order_status,
    time_range,
    ts,
)
from sevamitra.ondc.mapping.money import cancellation_terms, payment_object, quote_object, terms_of
from sevamitra.ondc.schemas.common import format_duration
from sevamitra.providers.models import Offer, Provider


def provider_object(provider: Provider, cart: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": cart["provider_id"],
        "descriptor": {"name": provider.name_latin},
    }
    if cart.get("location_ids"):
        result["locations"] = [{"id": lid} for lid in cart["location_ids"]]
    return result


def item_object(offer: Offer, cart: dict[str, Any], *, count: int = 1) -> dict[str, Any]:
    item: dict[str, Any] = {"id": cart["item_id"], "fulfillment_ids": [FULFILLMENT_ID]}
    if cart.get("parent_item_id"):
        item["parent_item_id"] = cart["parent_item_id"]
    if cart.get("location_ids"):
        item["location_ids"] = list(cart["location_ids"])
    item["category_ids"] = [catalog.category_code(offer.category)]
    item["quantity"] = {"selected": {"count": count}}
    return item


def end_stop(
    cart: dict[str, Any],
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    label: str | None,
    authorization: dict[str, Any] | None = None,
    done_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The customer's place: where, whom to meet, when (label "selected" / "confirmed" /
    "rejected"), and the start OTP once the buyer app should show it."""
    stop: dict[str, Any] = {"type": "end"}
    if cart.get("location"):
        stop["location"] = cart["location"]
    if cart.get("contact"):
        stop["contact"] = cart["contact"]
    if cart.get("person"):
        stop["person"] = cart["person"]
    if cart.get("instructions"):
        stop["instructions"] = cart["instructions"]
    if start and end:
        time: dict[str, Any] = {"range": time_range(start, end)}
        if label:
            time = {"label": label, **time}
        if cart.get("days"):
            time["days"] = cart["days"]
        if done_at:
            time["timestamp"] = ts(done_at)
        stop["time"] = time
    if authorization:
        stop["authorization"] = authorization
    return stop


def start_stop(
    provider: Provider, *, start: dt.datetime, end: dt.datetime, left_at: dt.datetime | None
) -> dict[str, Any]:
    """The Sevamitra who comes (name only: phone numbers stay private) and when they set out."""
    time: dict[str, Any] = {"range": time_range(start, end)}
    if left_at:
        time["timestamp"] = ts(left_at)
    return {"type": "start", "person": {"name": provider.name_latin}, "time": time}


def fulfillment_object(
    *, state: str | None, stops: list[dict[str, Any]], rateable: bool | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {"id": FULFILLMENT_ID, "type": FULFILLMENT_TYPE, "tracking": False}
    if state:
        result["state"] = {"descriptor": {"code": state}}
    result["stops"] = stops
    if rateable is not None:
        result["rateable"] = rateable
    return result


def otp_authorization(
    token: str, *, valid_from: dt.datetime, valid_to: dt.datetime, status: str = "valid"
) -> dict[str, str]:
    return {
        "type": "OTP",
        "token": token,
        "valid_from": ts(valid_from),
        "valid_to": ts(valid_to),
        "status": status,
    }


def schedule_object(slots: list[tuple[dt.datetime, dt.datetime]]) -> dict[str, Any]:
    """Free slots in an item's `time`, the way the spec's rejected-schedule example lists them:
    `range` spans them all, `schedule.times` are their starts, `duration` their length."""
    if not slots:
        return {"label": "validity", "schedule": {"times": []}}
    length = slots[0][1] - slots[0][0]
    return {
        "label": "validity",
        "range": time_range(min(s for s, _ in slots), max(e for _, e in slots)),
        "duration": format_duration(length),
        "schedule": {"times": [ts(s) for s, _ in slots]},
    }


def rejected_order(
    *,
    offer: Offer,
    cart: dict[str, Any],
    start: dt.datetime | None,
    end: dt.datetime | None,
    free: list[tuple[dt.datetime, dt.datetime]],
    quote: Quote | None,
) -> dict[str, Any]:
    """on_select's message next to 90001/90003: the asked slot marked "rejected" and the free
    slots to choose from."""
    item = item_object(offer, cart)
    item["time"] = schedule_object(free)
    order: dict[str, Any] = {
        "provider": provider_object(offer.provider, cart),
        "items": [item],
        "fulfillments": [
            fulfillment_object(
                state="Serviceable",
                stops=[end_stop(cart, start=start, end=end, label="rejected")],
            )
        ],
    }
    if quote is not None:
        order["quote"] = quote_object(quote, item_id=cart["item_id"], offer=offer)
    order["payments"] = [{"type": PAYMENT_TYPE, "collected_by": COLLECTED_BY}]
    return {"order": order}


def draft_order(
    *,
    offer: Offer,
    cart: dict[str, Any],
    start: dt.datetime,
    end: dt.datetime,
    quote: Quote,
    label: str,
    with_terms: bool,
    quote_ttl: str = QUOTE_TTL,
) -> dict[str, Any]:
    """on_select ("selected" → slot free, quoted) and on_init (slot held, billing taken)."""
    order: dict[str, Any] = {
        "provider": provider_object(offer.provider, cart),
        "items": [item_object(offer, cart)],
    }
    if with_terms and cart.get("billing"):
        order["billing"] = cart["billing"]
    order["fulfillments"] = [
        fulfillment_object(
            state="Serviceable" if not with_terms else None,
            stops=[end_stop(cart, start=start, end=end, label=label)],
        )
    ]
    order["quote"] = quote_object(quote, item_id=cart["item_id"], offer=offer, ttl=quote_ttl)
    order["payments"] = [payment_object(total=quote.total, finder_fee=cart.get("finder_fee"))]
    if with_terms:
        order["cancellation_terms"] = cancellation_terms(terms_of(offer.provider))
    return {"order": order}


@dataclass(frozen=True)
class Progress:
    """What the buyer app should see of a booking's fulfillment besides its status."""

    arrived: bool = False  # the Sevamitra is at the door (no status of its own in the engine)
    left_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    authorization: dict[str, Any] | None = None
    paid: bool = False  # the customer's payment to the provider is recorded


def booking_order(
    booking: Booking,
    *,
    cart: dict[str, Any],
    offer: Offer,
    progress: Progress = Progress(),
    cancellation_reason: str | None = None,
) -> dict[str, Any]:
    """The order object of a booking: on_confirm, on_status, on_update, on_cancel."""
    status = booking.status
    state = fulfillment_state(status)
    if progress.arrived and status == S.EN_ROUTE:
        state = AT_LOCATION
    cancelled = status in (S.CANCELLED, S.DECLINED, S.NO_SHOW)
    label = "confirmed"
    stops = [
        start_stop(
            booking.provider, start=booking.starts_at, end=booking.ends_at, left_at=progress.left_at
        ),
        end_stop(
            cart,
            start=booking.starts_at,
            end=booking.ends_at,
            label=label,
            authorization=progress.authorization,
            done_at=progress.done_at,
        ),
    ]
    order: dict[str, Any] = {"id": str(booking.pk), "status": order_status(status)}
    if cancelled:
        by_customer = booking.cancelled_by == CancelledBy.CUSTOMER
        default = CUSTOMER_CANCELLATION_REASON if by_customer else MERCHANT_CANCELLATION_REASON
        order["cancellation"] = {
            "cancelled_by": "CONSUMER" if by_customer else "PRODUCER",
            "reason": {"descriptor": {"code": cancellation_reason or default}},
        }
    order["provider"] = {**provider_object(booking.provider, cart), "rateable": True}
    order["items"] = [item_object(offer, cart, count=0 if cancelled else 1)]
    if cart.get("billing"):
        order["billing"] = cart["billing"]
    order["fulfillments"] = [
        fulfillment_object(
            state=state,
            stops=stops,
            rateable=status in (S.COMPLETED, S.RATED),
        )
    ]
    order["quote"] = quote_object(
        booking.quote,
        item_id=cart["item_id"],
        offer=offer,
        refund=cancelled,
        cancellation_fee=booking.cancellation_fee,
    )
    order["payments"] = [
        payment_object(
            total=order["quote"]["price"]["value"],
            finder_fee=cart.get("finder_fee"),
            paid=progress.paid,
        )
    ]
    order["cancellation_terms"] = cancellation_terms(booking.terms)
    order["created_at"] = ts(booking.created_at)
    order["updated_at"] = ts(booking.updated_at)
    return {"order": order}
