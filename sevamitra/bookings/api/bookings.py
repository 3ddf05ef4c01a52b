"""Quotes, holds and bookings: POST /quotes, POST|DELETE /holds, GET|POST /bookings,
GET /bookings/{id}."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import can_create_user
from sevamitra.accounts.services import user_create
from sevamitra.bookings import selectors, services
from sevamitra.bookings.api import render
from sevamitra.bookings.api.base import (
    Fields,
    NotFound,
    SignedInRequest,
    endpoint,
    json_body,
    json_response,
    public,
    signed_in,
)
from sevamitra.bookings.calendar import calendar_lock
from sevamitra.bookings.models import Booking, BookingStatus, Channel
from sevamitra.core.errors import PermissionDenied
from sevamitra.providers.models import Offer

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


def offer_or_404(provider_id: int, category_slug: str) -> Offer:
    offer = selectors.offer_get(provider_id=provider_id, category_slug=category_slug)
    if offer is None:
        raise NotFound(_("This Sevamitra does not offer this service."))
    return offer


def customer_for(user: User, phone: str | None) -> User:
    """Whom the caller books for: themself, or, for a call-centre agent, the caller on the
    phone, found by number or registered now. Call it inside the booking's transaction, so
    that a refused booking leaves no new user behind, after locking the provider's calendar
    (calendar_lock): registering writes the audit trail, and the calendar may not be locked
    after that (bookings.calendar.calendar_lock says why)."""
    if phone is None or phone == user.phone:
        return user
    if not can_create_user(user):
        raise PermissionDenied(_("Only call-centre agents can book for someone else."))
    return selectors.user_by_phone(phone=phone) or user_create(phone=phone, acting_user=user)


def channel_for(user: User, customer: User) -> str:
    """An agent booking for a caller books by phone; everyone else on the web."""
    return Channel.WEB if customer.pk == user.pk else Channel.PHONE


def _slot_fields(fields: Fields) -> tuple[Any, Any, Any, Any]:
    """provider_id, category slug, start, end: all set once `fields.check()` has passed."""
    return (
        fields.integer("provider_id", required=True),
        fields.text("category", required=True, max_length=50),
        fields.datetime("start", required=True),
        fields.datetime("end", required=True),
    )


# --- quotes and holds -----------------------------------------------------------------------


@public
def quote_create(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/quotes: the price of a slot with a provider (no sign-in needed)."""
    fields = json_body(request)
    provider_id, slug, start, end = _slot_fields(fields)
    discount = fields.amount("discount")
    fields.check()
    offer = offer_or_404(provider_id, slug)
    quote = selectors.slot_quote(
        offer=offer, start=start, end=end, now=timezone.now(), discount=discount or Decimal("0")
    )
    return json_response(
        {
            "provider": render.provider_json(offer.provider),
            "category": render.category_json(offer.category),
            "start": render.iso(start),
            "end": render.iso(end),
            "quote": render.quote_json(quote),
            "total": render.money(quote.total),
        }
    )


@signed_in
def hold_create(request: SignedInRequest) -> JsonResponse:
    """POST /api/v1/holds: keep a slot for a few minutes while the customer decides."""
    fields = json_body(request)
    provider_id, slug, start, end = _slot_fields(fields)
    phone = fields.phone("customer_phone")
    fields.check()
    offer = offer_or_404(provider_id, slug)
    with transaction.atomic():
        calendar_lock(provider=offer.provider)
        customer = customer_for(request.user, phone)
        hold = services.hold_place(
            offer=offer, customer=customer, start=start, end=end, acting_user=request.user
        )
    return json_response(render.hold_json(hold), status=201)


@signed_in
def hold_delete(request: SignedInRequest, hold_id: int) -> HttpResponse:
    """DELETE /api/v1/holds/{id}: give the slot back."""
    hold = selectors.hold_get_for(user=request.user, hold_id=hold_id)
    if hold is None:
        raise NotFound(_("There is no such hold."))
    services.hold_release(hold=hold, acting_user=request.user)
    return HttpResponse(status=204)


# --- bookings -------------------------------------------------------------------------------


@signed_in
def booking_create(request: SignedInRequest) -> JsonResponse:
    """POST /api/v1/bookings: book a slot (confirmed at once, or a request to the provider)."""
    fields = json_body(request)
    provider_id, slug, start, end = _slot_fields(fields)
    kind = fields.text("kind", required=True, max_length=20)
    address = fields.text("address", required=True)
    pincode = fields.pincode()
    lat = fields.number("lat", low=-90, high=90)
    lng = fields.number("lng", low=-180, high=180)
    notes = fields.text("notes")
    hold_id = fields.integer("hold_id")
    phone = fields.phone("customer_phone")
    fields.check()
    assert kind is not None and address is not None
    offer = offer_or_404(provider_id, slug)
    user = request.user
    with transaction.atomic():
        calendar_lock(provider=offer.provider)
        customer = customer_for(user, phone)
        hold = None
        if hold_id is not None:
            hold = selectors.hold_get_for(user=user, hold_id=hold_id, include_used=True)
            if hold is None:
                raise NotFound(_("There is no such hold."))
        placed = services.booking_create(
            offer=offer,
            customer=customer,
            start=start,
            end=end,
            kind=kind,
            channel=channel_for(user, customer),
            address=address,
            pincode=pincode or "",
            lat=lat,
            lng=lng,
            notes=notes or "",
            hold=hold,
            acting_user=user,
        )
    return json_response(render.booking_json(placed.booking, codes=placed.codes), status=201)


@signed_in
def booking_list(request: SignedInRequest) -> JsonResponse:
    """GET /api/v1/bookings: mine as a customer; ?as=provider mine as a Sevamitra;
    ?as=all (agents, administrators, auditors) everyone's, by ?customer_phone= and ?status=."""
    fields = Fields(request.GET.dict())
    phone = fields.phone("customer_phone")
    scope = fields.choice("as", selectors.SCOPES) or selectors.SCOPE_CUSTOMER
    if phone:
        scope = selectors.SCOPE_ALL  # looking a caller up by number: the back office only
    statuses = fields.choice_list("status", BookingStatus.values)
    limit = fields.integer("limit", low=1, high=MAX_PAGE_SIZE) or PAGE_SIZE
    offset = fields.integer("offset", low=0, high=100_000) or 0
    fields.check()
    bookings = selectors.booking_list_for(
        user=request.user, scope=scope, customer_phone=phone, statuses=statuses
    )
    page = list(bookings[offset : offset + limit + 1])
    return json_response(
        {
            "as": scope,
            "limit": limit,
            "offset": offset,
            "has_more": len(page) > limit,
            "results": [render.booking_json(booking) for booking in page[:limit]],
        }
    )


@signed_in
def booking_detail(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """GET /api/v1/bookings/{id}: the booking with its history."""
    booking = booking_or_404(request, booking_id)
    events = selectors.booking_events(booking=booking)
    return json_response(render.booking_detail_json(booking, events))


def booking_or_404(request: SignedInRequest, booking_id: int) -> Booking:
    booking = selectors.booking_get_for(user=request.user, booking_id=booking_id)
    if booking is None:
        raise NotFound(_("There is no such booking."))
    return booking


quotes = endpoint(POST=quote_create)
holds = endpoint(POST=hold_create)
hold = endpoint(DELETE=hold_delete)
bookings = endpoint(GET=booking_list, POST=booking_create)
booking = endpoint(GET=booking_detail)
