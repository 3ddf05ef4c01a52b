"""How the booking engine's objects look in JSON.

Times are ISO 8601 in India time (+05:30); money is a string of rupees with two decimals;
labels are in the reader's language. Phone numbers are never shown whole to the other party:
the customer appears as name + `XXXXXX1234`, the provider without any number.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.bookings.models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingEvent,
    BookingSeries,
    BookingStatus,
    Payment,
    Rating,
)
from sevamitra.bookings.pricing import Quote
from sevamitra.bookings.services import Codes
from sevamitra.catalog.models import Category
from sevamitra.providers.models import CalendarBlock, Offer, Provider


def iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def category_json(category: Category) -> dict[str, Any]:
    return {"slug": category.slug, "name": category.name}


def provider_json(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "display_name": provider.display_name,
        "photo_url": provider.photo.url if provider.photo else None,
    }


def customer_json(user: User) -> dict[str, Any]:
    return {"name": user.name, "phone_masked": user.masked_phone}


def quote_json(quote: Quote) -> dict[str, Any]:
    return quote.as_dict()


def booking_json(booking: Booking, *, codes: Codes | None = None) -> dict[str, Any]:
    """A booking as its customer, provider, an agent or an auditor sees it. `codes` only in
    the answer to the customer (or agent) who just booked or asked for new codes."""
    body: dict[str, Any] = {
        "id": booking.pk,
        "status": booking.status,
        "status_label": str(BookingStatus(booking.status).label),
        "kind": booking.kind,
        "channel": booking.channel,
        "category": category_json(booking.category),
        "provider": provider_json(booking.provider),
        "customer": customer_json(booking.customer),
        "starts_at": iso(booking.starts_at),
        "ends_at": iso(booking.ends_at),
        "address": booking.address,
        "pincode": booking.pincode,
        "notes": booking.notes,
        # Re-read so that the line labels follow the reader's language.
        "quote": quote_json(Quote.from_dict(booking.quote)),
        "total": money(booking.total),
        "terms": booking.terms,
        "cancellation_fee": money(booking.cancellation_fee),
        "cancelled_by": booking.cancelled_by or None,
        "cancel_reason": booking.cancel_reason or None,
        "accept_deadline": iso(booking.accept_deadline),
        "series_id": booking.series_id,
        "replaces_id": booking.replaces_id,
        "created_at": iso(booking.created_at),
    }
    if codes is not None:
        body["codes"] = codes_json(codes)
    return body


def codes_json(codes: Codes) -> dict[str, str]:
    return {"start": codes.start, "end": codes.end}


def _actor(event: BookingEvent, booking: Booking) -> str:
    """Who acted, as a relation to the booking (never a name or a number)."""
    if event.actor_id is None:
        return "system"
    if event.actor_id == booking.customer_id:
        return "customer"
    if event.actor_id == booking.provider.user_id:
        return "provider"
    return "staff"


def event_json(event: BookingEvent, booking: Booking) -> dict[str, Any]:
    return {
        "action": event.action,
        "from_status": event.from_status or None,
        "to_status": event.to_status or None,
        "actor": _actor(event, booking),
        "at": iso(event.at),
        "detail": event.detail,
    }


def booking_detail_json(booking: Booking, events: list[BookingEvent]) -> dict[str, Any]:
    body = booking_json(booking)
    body["history"] = [event_json(event, booking) for event in events]
    return body


def cancellation_fee_json(booking: Booking, fee: Decimal) -> dict[str, Any]:
    return {
        "booking_id": booking.pk,
        "cancellable": BookingStatus.CANCELLED in BOOKING_TRANSITIONS[booking.status],
        "fee": money(fee),
        "currency": "INR",
        "terms": booking.terms,
    }


def hold_json(hold: CalendarBlock) -> dict[str, Any]:
    return {
        "id": hold.pk,
        "provider_id": hold.provider_id,
        "start": iso(hold.starts_at),
        "end": iso(hold.ends_at),
        "expires_at": iso(hold.expires_at),
    }


def series_json(series: BookingSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "kind": series.kind,
        "status": series.status,
        "frequency": series.frequency,
        "weekdays": series.weekdays,
        "interval_days": series.interval_days,
        "starts_on": series.starts_on.isoformat(),
        "ends_on": series.ends_on.isoformat() if series.ends_on else None,
        "count": series.occurrence_count,
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "channel": series.channel,
        "category": category_json(series.category),
        "provider": provider_json(series.provider),
        "customer": customer_json(series.customer),
    }


def payment_json(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "booking_id": payment.booking_id,
        "method": payment.method,
        "status": payment.status,
        "amount": money(payment.amount),
        "reference": payment.reference,
        "recorded_at": iso(payment.recorded_at),
    }


def rating_json(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "booking_id": rating.booking_id,
        "direction": rating.direction,
        "stars": rating.stars,
        "text": rating.text,
        "created_at": iso(rating.created_at),
    }


def substitute_json(offer: Offer, category: Category) -> dict[str, Any]:
    """A free provider proposed for a booking of `category` (the offer's category)."""
    provider = offer.provider
    return {
        "offer_id": offer.pk,
        "provider": provider_json(provider),
        "rating": {"average": float(provider.rating_avg), "count": provider.rating_count},
        "price": money(offer.price),
        "visiting_charge": money(offer.visiting_charge),
        "pricing_unit": category.pricing_unit,
    }
