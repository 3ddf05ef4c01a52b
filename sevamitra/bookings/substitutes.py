"""When a provider cannot come: pass a request on to the next best provider, and propose
verified substitutes for a cancelled occurrence (leave, or the provider cancelled)."""

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.bookings import notify
from sevamitra.bookings import permissions as can
from sevamitra.bookings.calendar import calendar_lock
from sevamitra.bookings.errors import BookingError
from sevamitra.bookings.models import Booking, BookingStatus, CancelledBy
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.geo.pincodes import pincode_info
from sevamitra.providers.models import Offer, Provider
from sevamitra.providers.services import leave_add
from sevamitra.search.params import SearchQuery
from sevamitra.search.selectors import search_offers

if TYPE_CHECKING:
    from sevamitra.bookings.services import Placed

S = BookingStatus


def _tried_providers(booking: Booking) -> set[int]:
    """Providers already asked in this chain of passed-on requests."""
    seen: set[int] = set()
    current: Booking | None = booking
    while current is not None:
        seen.add(current.provider_id)
        current = current.replaces
    return seen


def _query(booking: Booking, limit: int) -> SearchQuery | None:
    lat, lng = booking.lat, booking.lng
    if lat is None or lng is None:
        info = pincode_info(booking.pincode) if booking.pincode else None
        if info is None:
            return None
        lat, lng = info.lat, info.lng
    return SearchQuery(
        category=booking.category,
        lat=lat,
        lng=lng,
        pincode=booking.pincode or None,
        start=booking.starts_at,
        end=booking.ends_at,
        limit=limit,
        offset=0,
    )


def substitutes_for(
    booking: Booking, *, limit: int = 3, now: dt.datetime | None = None
) -> list[Offer]:
    """The best free verified providers for the same service, place and time (nearest first,
    then best rated), excluding everyone already asked."""
    query = _query(booking, limit)
    if query is None:
        return []
    exclude = _tried_providers(booking)
    offers = search_offers(query, now=now or timezone.now()).exclude(provider_id__in=exclude)
    return list(offers[:limit])


def pass_on(booking: Booking, *, now: dt.datetime) -> Booking | None:
    """Book the next best free provider for a declined or expired request."""
    from sevamitra.bookings.services import booking_create  # services imports this module

    for offer in substitutes_for(booking, limit=5, now=now):
        try:
            with transaction.atomic():
                placed = booking_create(
                    offer=offer,
                    customer=booking.customer,
                    start=booking.starts_at,
                    end=booking.ends_at,
                    kind=booking.kind,
                    channel=booking.channel,
                    address=booking.address,
                    pincode=booking.pincode,
                    lat=booking.lat,
                    lng=booking.lng,
                    notes=booking.notes,
                    series=booking.series,
                    replaces=booking,
                    acting_user=booking.created_by,
                    now=now,
                )
        except DomainError:
            continue  # taken meanwhile: try the next one
        notify.booking_passed_on(booking, placed.booking)
        return placed.booking
    notify.booking_passed_on(booking, None)
    return None


@transaction.atomic
def provider_leave_mark(
    *, provider: Provider, starts_on: dt.date, ends_on: dt.date, reason: str, acting_user: User
) -> list[Booking]:
    """The provider marks leave: their live bookings on those days are cancelled (by the
    provider, no fee for the customer), and booking_cancel offers each customer verified
    substitutes.
    Returns the cancelled bookings."""
    from sevamitra.bookings.services import booking_cancel  # services imports this module

    first = timezone.make_aware(dt.datetime.combine(starts_on, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time.min))
    # Lock what the cancellations change before the leave is recorded: the leave and each
    # cancellation write the audit trail, whose lock is held until commit, and nothing may
    # wait for a row lock after that. Bookings first (in id order), then the provider's row,
    # the order every booking service follows.
    affected = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(
            provider=provider,
            status__in=[S.REQUESTED, S.CONFIRMED],
            starts_at__lt=last,
            ends_at__gt=first,
        )
        .select_related("customer", "category", "provider")
        .order_by("pk")
    )
    calendar_lock(provider=provider)
    leave_add(
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        acting_user=acting_user,
    )
    affected.sort(key=lambda booking: booking.starts_at, reverse=True)  # latest first
    for booking in affected:
        booking_cancel(
            booking=booking,
            by=CancelledBy.PROVIDER,
            reason=_("The Sevamitra is on leave."),
            acting_user=acting_user,
        )  # which offers the customer substitutes
    return affected


@transaction.atomic
def booking_substitute_accept(
    *, booking: Booking, offer: Offer, acting_user: User, now: dt.datetime | None = None
) -> "Placed":
    """The customer takes a proposed substitute for a visit the provider cancelled; returns the
    new booking with its codes when confirmed at once."""
    from sevamitra.bookings.services import booking_create  # services imports this module

    now = now or timezone.now()
    if not can.act_as_customer(acting_user, booking):
        raise PermissionDenied(_("You are not allowed to do this."))
    if booking.status != S.CANCELLED or booking.cancelled_by != CancelledBy.PROVIDER:
        raise BookingError(
            _("A substitute is offered only when the Sevamitra cancels."),
            code="no_substitute_needed",
        )
    if booking.replaced_by.exists():
        raise BookingError(_("A substitute has already been booked."), code="already_replaced")
    if offer.pk not in {o.pk for o in substitutes_for(booking, limit=20, now=now)}:
        raise BookingError(
            _("This Sevamitra is not free for that time."), code="substitute_not_free"
        )
    placed = booking_create(
        offer=offer,
        customer=booking.customer,
        start=booking.starts_at,
        end=booking.ends_at,
        kind=booking.kind,
        channel=booking.channel,
        address=booking.address,
        pincode=booking.pincode,
        lat=booking.lat,
        lng=booking.lng,
        notes=booking.notes,
        series=booking.series,
        replaces=booking,
        acting_user=acting_user,
        now=now,
    )
    return placed
