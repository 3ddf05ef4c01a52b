"""Recurring series and long engagements: POST /series, GET /series/{id},
POST /series/{id}/cancel.

A series is booked all or nothing. Its visits are booked quietly, without codes: the
customer asks for each visit's codes with POST /bookings/{id}/codes (the app does it).
"""

from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _

from sevamitra.bookings import selectors
from sevamitra.bookings import series as series_services
from sevamitra.bookings.api import render
from sevamitra.bookings.api.base import (
    NotFound,
    SignedInRequest,
    endpoint,
    json_body,
    json_response,
    signed_in,
)
from sevamitra.bookings.api.bookings import channel_for, customer_for, offer_or_404
from sevamitra.bookings.calendar import calendar_lock
from sevamitra.bookings.models import BookingSeries

MAX_INTERVAL_DAYS = 365
MAX_COUNT = 32767  # the column's limit; the configured cap (series_too_long) is far lower


def _series_or_404(request: SignedInRequest, series_id: int) -> BookingSeries:
    series = selectors.series_get_for(user=request.user, series_id=series_id)
    if series is None:
        raise NotFound(_("There is no such series."))
    return series


@signed_in
def series_create(request: SignedInRequest) -> JsonResponse:
    fields = json_body(request)
    provider_id = fields.integer("provider_id", required=True)
    slug = fields.text("category", required=True, max_length=50)
    kind = fields.text("kind", required=True, max_length=20)
    frequency = fields.text("frequency", required=True, max_length=20)
    weekdays = fields.weekdays("weekdays")
    interval_days = fields.integer("interval_days", low=1, high=MAX_INTERVAL_DAYS)
    starts_on = fields.date("starts_on", required=True)
    ends_on = fields.date("ends_on")
    count = fields.integer("count", low=1, high=MAX_COUNT)
    start_time = fields.time("start_time", required=True)
    end_time = fields.time("end_time", required=True)
    address = fields.text("address", required=True)
    pincode = fields.pincode()
    lat = fields.number("lat", low=-90, high=90)
    lng = fields.number("lng", low=-180, high=180)
    notes = fields.text("notes")
    phone = fields.phone("customer_phone")
    fields.check()
    assert provider_id is not None and slug is not None and kind is not None
    assert frequency is not None and starts_on is not None and address is not None
    assert start_time is not None and end_time is not None
    offer = offer_or_404(provider_id, slug)
    user = request.user
    with transaction.atomic():
        calendar_lock(provider=offer.provider)  # before customer_for (see there)
        customer = customer_for(user, phone)
        series, placed = series_services.series_create(
            offer=offer,
            customer=customer,
            kind=kind,
            frequency=frequency,
            starts_on=starts_on,
            start_time=start_time,
            end_time=end_time,
            ends_on=ends_on,
            count=count,
            weekdays=weekdays,
            interval_days=interval_days or 1,
            channel=channel_for(user, customer),
            address=address,
            pincode=pincode or "",
            lat=lat,
            lng=lng,
            notes=notes or "",
            acting_user=user,
        )
    return json_response(
        {
            "series": render.series_json(series),
            "bookings": [render.booking_json(p.booking, codes=p.codes) for p in placed],
        },
        status=201,
    )


@signed_in
def series_detail(request: SignedInRequest, series_id: int) -> JsonResponse:
    series = _series_or_404(request, series_id)
    bookings = selectors.series_occurrences(series=series)
    return json_response(
        {
            "series": render.series_json(series),
            "bookings": [render.booking_json(booking) for booking in bookings],
        }
    )


@signed_in
def series_cancel(request: SignedInRequest, series_id: int) -> JsonResponse:
    """Cancel every visit of the series not yet started (the customer's fee rules apply)."""
    series = _series_or_404(request, series_id)
    fields = json_body(request)
    reason = fields.text("reason")
    fields.check()
    cancelled = series_services.series_cancel(
        series=series, reason=reason or "", acting_user=request.user
    )
    return json_response(
        {"series": render.series_json(series), "cancelled": [b.pk for b in cancelled]}
    )


series_collection = endpoint(POST=series_create)
series_item = endpoint(GET=series_detail)
series_cancel_view = endpoint(POST=series_cancel)
