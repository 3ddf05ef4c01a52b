"""The transaction flow: select, init, confirm, status, track, update, cancel, rating, support.

Each handler reads its (validated) request into our terms, calls one function of
`sevamitra.ondc.flow` (which calls the booking engine), and returns the `message` of the
on_<action> callback built by `sevamitra.ondc.mapping`; a refusal is an OndcError (an
`OndcRefusal` also carries the callback's message, e.g. on_select's free slots next to 90001).
The engine runs in English here: its refusals become the network's error messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from sevamitra.ondc import (
    catalog,
    errors,
    flow,
    mapping,
    unsolicited,  # noqa: F401 - registers the job ondc.booking_changed
)
from sevamitra.ondc.flow import Ident
from sevamitra.ondc.handlers import Inbound, handler, precheck
from sevamitra.ondc.mapping import Cart
from sevamitra.ondc.schemas import format_duration, tag_value
from sevamitra.providers.models import Offer

RATEABLE = ("Provider", "Agent", "Fulfillment", "Order", "Item")


def _in_english(func: Callable[[Inbound], dict[str, Any]]) -> Callable[[Inbound], dict[str, Any]]:
    @wraps(func)
    def run(inbound: Inbound) -> dict[str, Any]:
        with translation.override("en"):
            return func(inbound)

    return run


def _ident(inbound: Inbound) -> Ident:
    context = inbound.context
    city = ((context.get("location") or {}).get("city") or {}).get("code", "")
    return Ident(
        bap_id=inbound.bap_id,
        bap_uri=inbound.bap_uri,
        transaction_id=inbound.transaction_id,
        city_code=str(city),
    )


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True) if model is not None else {}


def _offer(provider_ref: str, item_ref: str) -> Offer:
    provider_pk = catalog.parse_provider_id(provider_ref)
    offer_pk = catalog.parse_item_id(item_ref)
    if provider_pk is None:
        raise errors.OndcError(errors.PROVIDER_NOT_FOUND, f"provider {provider_ref!r} not found")
    offer = (
        Offer.objects.select_related("provider", "category")
        .filter(pk=offer_pk, provider_id=provider_pk, is_active=True, category__is_active=True)
        .first()
        if offer_pk is not None
        else None
    )
    if offer is None:
        if not Offer.objects.filter(provider_id=provider_pk).exists():
            raise errors.OndcError(
                errors.PROVIDER_NOT_FOUND, f"provider {provider_ref!r} not found"
            )
        raise errors.OndcError(
            errors.ITEM_NOT_FOUND, f"item {item_ref!r} not found for provider {provider_ref!r}"
        )
    return offer


def _finder_fee(payments: list[Any]) -> dict[str, str] | None:
    """The Buyer_Finder_Fee tag of the order's payment, when the buyer app sends one."""
    for payment in payments or []:
        amount = tag_value(payment.tags, "Buyer_Finder_Fee", "Buyer_Finder_Fee_Amount")
        if amount is not None:
            kind = tag_value(payment.tags, "Buyer_Finder_Fee", "Buyer_Finder_Fee_Type")
            return flow.finder_fee_checked(kind, amount)
    return None


def _cart(order: Any) -> Cart:
    """select/init/confirm's order → Cart (one service, one visit per order)."""
    if len(order.items) != 1:
        raise errors.OndcError(
            errors.INVALID_REQUEST,
            "message.order.items: one service per order",
            path="message.order.items",
        )
    item = order.items[0]
    if item.quantity.selected.count != 1:
        raise errors.OndcError(
            errors.INVALID_REQUEST,
            "message.order.items[0].quantity.selected.count: 1 (the slot's length sets the "
            "quantity of hours or days)",
            path="message.order.items[0].quantity.selected.count",
        )
    offer = _offer(order.provider.id, item.id)
    fulfillment = order.fulfillments[0]
    stop = fulfillment.stop("end") or fulfillment.stops[0]
    time = stop.time
    start = end = None
    if time is not None and time.range is not None:
        start, end = time.range.start, time.range.end
    payment = order.payments[0] if order.payments else None
    location_ids = list(item.location_ids or [])
    if not location_ids and order.provider.locations:
        location_ids = [loc.id for loc in order.provider.locations if loc.id]
    return Cart(
        provider_id=order.provider.id,
        item_id=item.id,
        offer=offer,
        start=start,
        end=end,
        parent_item_id=item.parent_item_id,
        location_ids=location_ids,
        days=time.days if time is not None else None,
        location=_dump(stop.location),
        contact=_dump(stop.contact),
        person=_dump(stop.person),
        instructions=_dump(stop.instructions),
        billing=_dump(getattr(order, "billing", None)),
        payment={"type": payment.type, "collected_by": payment.collected_by} if payment else {},
        finder_fee=_finder_fee(order.payments),
    )


# --- select, init, confirm -------------------------------------------------------------------


@handler("select")
@_in_english
def select(inbound: Inbound) -> dict[str, Any]:
    cart = _cart(inbound.parsed.message.order)
    quote = flow.transaction_select(ident=_ident(inbound), cart=cart, now=timezone.now())
    assert cart.start is not None and cart.end is not None
    return mapping.draft_order(
        offer=cart.offer,
        cart=cart.as_json(),
        start=cart.start,
        end=cart.end,
        quote=quote,
        label="confirmed",
        with_terms=False,
    )


@handler("init")
@_in_english
def init(inbound: Inbound) -> dict[str, Any]:
    cart = _cart(inbound.parsed.message.order)
    quote = flow.transaction_init(ident=_ident(inbound), cart=cart, now=timezone.now())
    assert cart.start is not None and cart.end is not None
    return mapping.draft_order(
        offer=cart.offer,
        cart=cart.as_json(),
        start=cart.start,
        end=cart.end,
        quote=quote,
        label="confirmed",
        with_terms=True,
        quote_ttl=format_duration(dt.timedelta(minutes=flow.hold_minutes())),
    )


@precheck("confirm")
def confirm_in_order(action: str, parsed: Any) -> None:
    """Confirm before init is NACKed at once (31002), with no callback."""
    context = parsed.context
    flow.confirm_precheck(bap_id=context.bap_id, transaction_id=context.transaction_id)


@handler("confirm")
@_in_english
def confirm(inbound: Inbound) -> dict[str, Any]:
    order = inbound.parsed.message.order
    cart = _cart(order)
    now = timezone.now()
    done = flow.transaction_confirm(
        ident=_ident(inbound), cart=cart, quoted_total=order.quote.price.value, now=now
    )
    return flow.order_message(done.txn, now=now)


# --- after confirmation ----------------------------------------------------------------------


def _txn(inbound: Inbound, order_id: str) -> Any:
    return flow.transaction_for_order(bap_id=inbound.bap_id, order_id=order_id)


@handler("status")
@_in_english
def status(inbound: Inbound) -> dict[str, Any]:
    txn = _txn(inbound, inbound.parsed.message.order_id)
    return flow.order_message(txn, now=timezone.now())


@handler("track")
@_in_english
def track(inbound: Inbound) -> dict[str, Any]:
    """No live location is shared (fulfillment.tracking is false): 40005, as the network's
    code for "tracking not enabled"; the order's progress comes in on_status."""
    _txn(inbound, inbound.parsed.message.order_id)
    raise errors.OndcError(
        mapping.TRACKING_NOT_ENABLED,
        "tracking not enabled: no live location; the visit's progress is sent in on_status",
    )


@handler("update")
@_in_english
def update(inbound: Inbound) -> dict[str, Any]:
    message = inbound.parsed.message
    txn = _txn(inbound, message.order.id)
    if message.targets != {"fulfillments"} or message.new_slot is None:
        raise errors.OndcError(
            errors.UPDATE_NOT_POSSIBLE,
            f"update not possible: only a reschedule (update_target fulfillments with a new "
            f"time range) is supported, not {message.update_target!r}",
        )
    now = timezone.now()
    flow.order_reschedule(txn=txn, start=message.new_slot.start, end=message.new_slot.end, now=now)
    txn.refresh_from_db()
    return flow.order_message(txn, now=now)


@handler("cancel")
@_in_english
def cancel(inbound: Inbound) -> dict[str, Any]:
    message = inbound.parsed.message
    txn = _txn(inbound, message.order_id)
    descriptor = message.descriptor
    text = ""
    if descriptor is not None:
        text = (descriptor.short_desc or descriptor.name or "").strip()[:300]
    now = timezone.now()
    flow.order_cancel(
        txn=txn, reason_code=message.cancellation_reason_id or "", reason_text=text, now=now
    )
    txn.refresh_from_db()
    return flow.order_message(txn, now=now)


@handler("rating")
@_in_english
def rating(inbound: Inbound) -> dict[str, Any]:
    """Stars for the Sevamitra (Provider, Agent, Fulfillment, Order or Item: one rating of the
    visit) are stored with bookings.services.rating_add."""
    ratings = inbound.parsed.message.ratings
    usable = [r for r in ratings if r.rating_category in RATEABLE]
    if not usable:
        raise errors.OndcError(
            mapping.UNSUPPORTED_RATING_CATEGORY,
            "unsupported rating category: rate the Provider, Agent, Fulfillment, Order or Item",
        )
    chosen = usable[0]
    if chosen.score is None:
        raise errors.OndcError(
            mapping.INVALID_RATING, f"invalid rating value {chosen.value!r}: 1 to 5 stars"
        )
    order_id = chosen.id if chosen.rating_category == "Order" else None
    txn = flow.transaction_for_order(
        bap_id=inbound.bap_id, order_id=order_id or _order_of_transaction(inbound)
    )
    flow.order_rate(txn=txn, stars=chosen.score)
    return {}


def _order_of_transaction(inbound: Inbound) -> str:
    """The order of this request's transaction (ratings name the provider or item, not it)."""
    from sevamitra.ondc.models import OndcTransaction

    booking_id = (
        OndcTransaction.objects.filter(bap_id=inbound.bap_id, transaction_id=inbound.transaction_id)
        .values_list("booking_id", flat=True)
        .first()
    )
    return str(booking_id or "")


@handler("support")
@_in_english
def support(inbound: Inbound) -> dict[str, Any]:
    """Our helpline for the order (or the portal in general)."""
    reference = inbound.parsed.message.reference or inbound.transaction_id
    result: dict[str, Any] = {"ref_id": reference}
    phone = settings.ONDC_SUPPORT_PHONE
    result["phone"] = phone
    result["callback_phone"] = phone
    email = settings.ONDC_SUPPORT_EMAIL
    if email:
        result["email"] = email
    url = settings.ONDC_SUPPORT_URL
    if url:
        result["url"] = url
    return {"support": result}
