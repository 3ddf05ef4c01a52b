"""Checks before a slot is quoted or held — the booking engine's rules, the network's codes:
the slot (90001 with the nearest free slots; 90003 when none was given), the provider (30021),
the customer's place (30009) — and the buyer app's finder fee."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from sevamitra.bookings import selectors as booking_selectors
from sevamitra.bookings.calendar import free_alternatives
from sevamitra.bookings.errors import (
    BookingError,
    NotBookable,
    OnLeave,
    OutsideHours,
)
from sevamitra.bookings.pricing import Quote
from sevamitra.core.errors import DomainError
from sevamitra.geo.pincodes import pincode_info
from sevamitra.ondc import errors, mapping
from sevamitra.ondc.flow.base import Ident, error
from sevamitra.ondc.mapping import Cart, OndcRefusal
from sevamitra.ondc.models import Direction as LogDirection
from sevamitra.ondc.models import OndcMessage, OndcTransaction
from sevamitra.ondc.schemas.common import parse_gps
from sevamitra.providers.models import BlockKind, CalendarBlock, Offer
from sevamitra.search.params import SearchQuery
from sevamitra.search.selectors import search_offers

FREE_SLOTS_LISTED = 5
HALF_HOUR = 1800  # seconds: the calendar's step (bookings.calendar.STEP)
PERCENT_TYPES = frozenset({"percent", "percentage"})


def free_slots(offer: Offer, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list:
    slots = free_alternatives(
        provider=offer.provider, start=start, end=end, now=now, count=FREE_SLOTS_LISTED
    )
    return [(slot.start, slot.end) for slot in slots]


def slot_refusal(
    cart: Cart, message: str, *, now: dt.datetime, quote: Quote | None = None
) -> OndcRefusal:
    """90001 with the nearest free slots of the same length (the spec's rejected schedule)."""
    assert cart.start is not None and cart.end is not None
    offer = cart.offer
    free = []
    if cart.end > cart.start:
        free = free_slots(offer, cart.start, cart.end, now)
    return OndcRefusal(
        errors.SCHEDULE_NOT_AVAILABLE,
        message,
        callback_message=mapping.rejected_order(
            offer=offer, cart=cart.as_json(), start=cart.start, end=cart.end, free=free, quote=quote
        ),
    )


def no_slot_refusal(cart: Cart, *, now: dt.datetime) -> OndcRefusal:
    """90003: the buyer gave no slot; list the provider's nearest free ones."""
    offer = cart.offer
    # From the first half hour an hour ahead: free_alternatives looks at the half hours around
    # `base` (not `base` itself), so start one step before it.
    soon = (now + dt.timedelta(hours=1)).timestamp()
    first = dt.datetime.fromtimestamp(math.ceil(soon / HALF_HOUR) * HALF_HOUR, tz=dt.UTC)
    base = first - dt.timedelta(seconds=HALF_HOUR)
    free = free_slots(offer, base, base + mapping.default_slot_length(offer), now)
    return OndcRefusal(
        errors.SCHEDULE_NOT_PROVIDED,
        "schedule not provided: choose one of the free slots in items[0].time.schedule.times",
        callback_message=mapping.rejected_order(
            offer=offer, cart=cart.as_json(), start=None, end=None, free=free, quote=None
        ),
    )


def _calendar_free(offer: Offer, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> bool:
    """Nothing live on the provider's calendar in [start, end) (a quick look; the hold is what
    really takes the slot)."""
    buffer = dt.timedelta(minutes=offer.provider.travel_buffer_minutes)
    blocks = CalendarBlock.objects.filter(
        provider=offer.provider, busy_from__lt=end + buffer, busy_until__gt=start - buffer
    ).values_list("kind", "expires_at")
    return not any(kind != BlockKind.HOLD or (exp and exp > now) for kind, exp in blocks)


def quote_checked(cart: Cart, now: dt.datetime) -> Quote:
    """The engine's quote for the slot, or the network's refusal of it."""
    assert cart.start is not None and cart.end is not None
    offer = cart.offer
    try:
        quote = booking_selectors.slot_quote(offer=offer, start=cart.start, end=cart.end, now=now)
    except NotBookable as exc:
        if exc.code == "police_verification_lapsed":
            raise slot_refusal(cart, f"schedule not available: {exc.message}", now=now) from exc
        raise error(mapping.MERCHANT_INACTIVE, "provider is not taking orders now") from exc
    except (OutsideHours, OnLeave) as exc:
        raise slot_refusal(cart, f"schedule not available: {exc.message}", now=now) from exc
    except BookingError as exc:  # the offer was withdrawn
        raise error(errors.ITEM_NOT_FOUND, f"item {cart.item_id!r}: {exc.message}") from exc
    except DomainError as exc:  # past, too long, too far ahead
        raise slot_refusal(cart, f"schedule not available: {exc.message}", now=now) from exc
    if not _calendar_free(offer, cart.start, cart.end, now):
        raise slot_refusal(
            cart, "schedule not available: the provider is booked then", now=now, quote=quote
        )
    return quote


def point_of(location: dict[str, Any]) -> tuple[float, float, str | None] | None:
    area = str(location.get("area_code") or "").strip()
    pincode = area if len(area) == 6 and area.isdigit() else None
    if location.get("gps"):
        point = parse_gps(location["gps"])
        return point.lat, point.lon, pincode
    info = pincode_info(pincode) if pincode else None
    return (info.lat, info.lng, pincode) if info else None


def check_serviceable(cart: Cart, now: dt.datetime) -> None:
    """The provider serves the customer's place (radius from home or a listed pincode)."""
    assert cart.start is not None and cart.end is not None
    point = point_of(cart.location)
    if point is None:
        if cart.location:
            raise error(
                errors.SERVICEABILITY_LOCATION,
                "location not serviceable: unknown area_code and no gps",
            )
        return
    lat, lng, pincode = point
    query = SearchQuery(
        category=cart.offer.category,
        lat=lat,
        lng=lng,
        pincode=pincode,
        start=cart.start,
        end=cart.end,
        limit=1,
        offset=0,
    )
    if not search_offers(query, now=now).filter(pk=cart.offer.pk).exists():
        raise error(
            errors.SERVICEABILITY_LOCATION,
            "location not serviceable by this provider (outside their area)",
        )


def _finder_fee_from_search(ident: Ident) -> dict[str, str] | None:
    """BAP_Terms (finder_fee_type / finder_fee_amount) of this flow's search, from the log."""
    rows = OndcMessage.objects.filter(
        direction=LogDirection.INBOUND, action="search", transaction_id=ident.transaction_id
    ).order_by("-created_at", "-pk")
    for body in rows.values_list("body", flat=True)[:5]:
        try:
            data = json.loads(body)
            if data["context"]["bap_id"] != ident.bap_id:
                continue
            tags = data["message"]["intent"].get("tags") or []
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        for group in tags:
            if str((group.get("descriptor") or {}).get("code", "")).lower() != "bap_terms":
                continue
            values = {
                str((t.get("descriptor") or {}).get("code", "")).lower(): t.get("value")
                for t in group.get("list") or []
            }
            if values.get("finder_fee_amount") is not None:
                return {
                    "type": str(values.get("finder_fee_type") or "percent"),
                    "amount": str(values["finder_fee_amount"]),
                }
    return None


def finder_fee_checked(kind: str | None, amount: str) -> dict[str, str]:
    """The buyer app's finder fee as it states it: a percentage of the order (0-100) or an
    amount in rupees; anything else → 41001 "finder fee not acceptable"."""
    kind = (kind or "percent").strip().lower()
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    limit = Decimal(100) if kind in PERCENT_TYPES else None
    if (
        kind not in PERCENT_TYPES | {"amount"}
        or not value.is_finite()
        or value < 0
        or (limit is not None and value > limit)
    ):
        raise error(
            mapping.FINDER_FEE_NOT_ACCEPTABLE,
            f"finder fee not acceptable: {kind!r} {amount!r} (percent 0-100, or an amount)",
        )
    return {"type": kind, "amount": str(amount).strip()}


def finder_fee(cart: Cart, txn: OndcTransaction, ident: Ident) -> dict[str, str] | None:
    """The fee the buyer app asked for in this order, else earlier in the flow, else in its
    search (BAP_Terms); None when it never said."""
    return cart.finder_fee or (txn.order or {}).get("finder_fee") or _finder_fee_from_search(ident)
