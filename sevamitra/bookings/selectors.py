"""Reads of the booking engine: who may see which booking, series or hold, decided in one
place, with the joins the API renders decided up front (one query per list page).

Something a user may not see is returned as None, exactly like something that does not
exist: the API answers 404 for both and never reveals that a booking exists.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Address, Role, User
from sevamitra.bookings import permissions as can
from sevamitra.bookings.calendar import check_bookable
from sevamitra.bookings.errors import BookingError
from sevamitra.bookings.models import (
    LIVE_STATUSES,
    Booking,
    BookingEvent,
    BookingSeries,
    Rating,
    RatingDirection,
)
from sevamitra.bookings.pricing import Quote, quote_for_slot
from sevamitra.core.errors import FieldErrors, PermissionDenied
from sevamitra.geo.models import District
from sevamitra.providers.models import BlockKind, CalendarBlock, Offer
from sevamitra.search.params import SearchQuery, slot_errors
from sevamitra.search.selectors import SearchHit, search_providers

# Primary keys are 64-bit: a larger number cannot name a row (and must not reach the driver).
MAX_ID = 2**63 - 1

# Whose bookings a list shows.
SCOPE_CUSTOMER = "customer"  # booked for me (default)
SCOPE_PROVIDER = "provider"  # booked with me, the Sevamitra
SCOPE_ALL = "all"  # every booking: call-centre agents, administrators, auditors
SCOPES = (SCOPE_CUSTOMER, SCOPE_PROVIDER, SCOPE_ALL)


def _is_id(pk: object) -> bool:
    return isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk <= MAX_ID


def sees_every_booking(user: User) -> bool:
    """Call-centre agents (through that role), administrators and auditors see any booking;
    the same rule as `bookings.permissions.can_view` without a booking in hand."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = permissions.roles_of(user)
    return Role.AGENT in roles or Role.AUDITOR in roles or permissions.is_administrator(user)


def bookings_with_parties() -> QuerySet[Booking]:
    """Bookings with what every rendering of one needs: provider, customer, category."""
    return Booking.objects.select_related("provider", "customer", "category")


def booking_get_for(*, user: User, booking_id: int) -> Booking | None:
    """The booking if `user` may see it, else None (whether or not it exists)."""
    if not _is_id(booking_id):
        return None
    booking = bookings_with_parties().filter(pk=booking_id).first()
    if booking is None or not can.can_view(user, booking):
        return None
    return booking


def booking_events(*, booking: Booking) -> list[BookingEvent]:
    """The history of a booking, oldest first."""
    return list(BookingEvent.objects.filter(booking=booking).order_by("at", "pk"))


def booking_list_for(
    *,
    user: User,
    scope: str = SCOPE_CUSTOMER,
    customer_phone: str | None = None,
    statuses: Iterable[str] = (),
) -> QuerySet[Booking]:
    """The bookings `user` asks for, latest start first. Raises PermissionDenied when the
    scope is "all", or a customer's number is looked up, and the user is not an agent, an
    administrator or an auditor (a provider must not learn numbers by trying them)."""
    bookings = bookings_with_parties()
    if customer_phone and scope != SCOPE_ALL:
        scope = SCOPE_ALL  # looking a caller up by number is the back office's
    if scope == SCOPE_CUSTOMER:
        bookings = bookings.filter(customer=user)
    elif scope == SCOPE_PROVIDER:
        bookings = bookings.filter(provider__user=user)
    elif scope == SCOPE_ALL:
        if not sees_every_booking(user):
            raise PermissionDenied(
                _("Only call-centre agents, administrators and auditors see every booking.")
            )
    else:
        raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
    if customer_phone:
        bookings = bookings.filter(customer__phone=customer_phone)
    statuses = list(statuses)
    if statuses:
        bookings = bookings.filter(status__in=statuses)
    return bookings.order_by("-starts_at", "-pk")


def offer_get(*, provider_id: int, category_slug: str) -> Offer | None:
    """A provider's offer of a service (withdrawn ones too: booking them says why not)."""
    if not _is_id(provider_id):
        return None
    return (
        Offer.objects.select_related("provider", "category")
        .filter(provider_id=provider_id, category__slug=category_slug)
        .first()
    )


def offer_get_by_id(*, offer_id: int) -> Offer | None:
    if not _is_id(offer_id):
        return None
    return Offer.objects.select_related("provider", "category").filter(pk=offer_id).first()


def hold_get_for(*, user: User, hold_id: int, include_used: bool = False) -> CalendarBlock | None:
    """A hold that `user` placed (or, for an agent, placed for a caller), else None.

    With `include_used`, a block that was a hold and has since become a booking is returned
    too, so that booking with it again is refused as "hold expired", not "not found"."""
    if not _is_id(hold_id):
        return None
    holds = CalendarBlock.objects.select_related("held_by", "provider").filter(
        pk=hold_id, held_by__isnull=False
    )
    if not include_used:
        holds = holds.filter(kind=BlockKind.HOLD)
    hold = holds.first()
    if hold is None or not can.book_for(user, hold.held_by):
        return None
    return hold


def series_get_for(*, user: User, series_id: int) -> BookingSeries | None:
    """The series if `user` is its customer or provider, or sees every booking; else None."""
    if not _is_id(series_id):
        return None
    series = (
        BookingSeries.objects.select_related("provider", "customer", "category")
        .filter(pk=series_id)
        .first()
    )
    if series is None:
        return None
    mine = user.pk in (series.customer_id, series.provider.user_id)
    return series if mine or sees_every_booking(user) else None


def series_occurrences(*, series: BookingSeries) -> list[Booking]:
    return list(bookings_with_parties().filter(series=series).order_by("starts_at", "pk"))


def user_by_phone(*, phone: str) -> User | None:
    """The user with this (normalised, 10-digit) mobile number."""
    return User.objects.filter(phone=phone).first()


def slot_quote(
    *,
    offer: Offer,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    discount: Decimal = Decimal("0"),
) -> Quote:
    """What booking `offer` for [start, end) would cost, checked the way search checks a
    slot (not past, not too far, not too long) and the provider able to take it then; the
    provider's calendar is not looked at (a hold does that)."""
    errors = slot_errors(start, end, now)
    if errors:
        raise FieldErrors(errors)
    provider = offer.provider
    if not offer.is_active:
        raise BookingError(_("This service is no longer offered."), code="offer_withdrawn")
    check_bookable(provider=provider, category=offer.category, start=start, end=end, now=now)
    try:
        return quote_for_slot(
            unit=offer.category.pricing_unit,
            unit_price=offer.price,
            visiting_charge=offer.visiting_charge,
            gst_registered=bool(provider.gstin),
            start=start,
            end=end,
            discount=discount,
        )
    except ValueError as exc:
        raise BookingError(
            _("The discount cannot be more than the price."),
            code="invalid_discount",
            field="discount",
        ) from exc


# --- the citizen's own pages (bookings/web) ---------------------------------------------------


def address_list_for(*, user: User) -> list[Address]:
    """The citizen's saved addresses, by name."""
    return list(Address.objects.filter(user=user).order_by("label", "pk"))


def address_get_for(*, user: User, address_id: int) -> Address | None:
    """One of the citizen's own saved addresses, else None (someone else's too)."""
    if not _is_id(address_id) or not getattr(user, "is_authenticated", False):
        return None
    return Address.objects.filter(pk=address_id, user=user).first()


def customer_bookings_upcoming(*, user: User) -> QuerySet[Booking]:
    """Single bookings of the citizen still to happen or under way, soonest first (the visits
    of a series are shown with their series)."""
    return (
        bookings_with_parties()
        .filter(customer=user, series__isnull=True, status__in=LIVE_STATUSES)
        .order_by("starts_at", "pk")
    )


def customer_bookings_past(*, user: User) -> QuerySet[Booking]:
    """Single bookings of the citizen that are over (done, cancelled, not accepted), latest
    first."""
    return (
        bookings_with_parties()
        .filter(customer=user, series__isnull=True)
        .exclude(status__in=LIVE_STATUSES)
        .order_by("-starts_at", "-pk")
    )


def customer_series(*, user: User, now: dt.datetime) -> list[BookingSeries]:
    """The citizen's series, newest first, each with `next_visit` (the next live visit's
    start, or None) and `visit_count`."""
    live = Booking.objects.filter(
        series=OuterRef("pk"), status__in=LIVE_STATUSES, ends_at__gt=now
    ).order_by("starts_at")
    return list(
        BookingSeries.objects.filter(customer=user)
        .select_related("provider", "category")
        .annotate(
            next_visit=Subquery(live.values("starts_at")[:1]),
            visit_count=Count("occurrences"),
        )
        .order_by("-created_at", "-pk")
    )


def booking_get_for_customer(*, user: User, booking_id: int) -> Booking | None:
    """The booking if `user` is its customer, else None: on the citizen's pages nobody else's
    booking exists (agents use their console)."""
    if not _is_id(booking_id) or not getattr(user, "is_authenticated", False):
        return None
    return (
        Booking.objects.select_related("provider", "provider__user", "customer", "category")
        .filter(pk=booking_id, customer=user)
        .first()
    )


def series_get_for_customer(*, user: User, series_id: int) -> BookingSeries | None:
    if not _is_id(series_id) or not getattr(user, "is_authenticated", False):
        return None
    return (
        BookingSeries.objects.select_related("provider", "provider__user", "category")
        .filter(pk=series_id, customer=user)
        .first()
    )


def booking_rating_by_customer(*, booking: Booking) -> Rating | None:
    return booking.ratings.filter(direction=RatingDirection.CUSTOMER_RATES_PROVIDER).first()


def hold_find(
    *, user: User, offer: Offer, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> CalendarBlock | None:
    """The user's own live hold on exactly this slot with this provider (a reload of the
    booking page keeps it instead of placing another)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CalendarBlock.objects.filter(
            provider_id=offer.provider_id,
            kind=BlockKind.HOLD,
            held_by=user,
            starts_at=start,
            ends_at=end,
            expires_at__gt=now,
        )
        .order_by("-expires_at")
        .first()
    )


def districts_by_code(codes: Iterable[str]) -> dict[str, District]:
    """Districts by their postal code name (to show localities' districts in Hindi)."""
    return {d.code: d for d in District.objects.filter(code__in=set(codes))}


def search_with_quotes(
    *, query: SearchQuery, now: dt.datetime
) -> tuple[list[tuple[SearchHit, Quote]], bool]:
    """One page of search hits, each with the full quote booking it would make (GST lines
    where the provider is GST-registered), and whether more follow."""
    hits, has_more = search_providers(query, now=now)
    return [
        (
            hit,
            quote_for_slot(
                unit=query.category.pricing_unit,
                unit_price=hit.offer.price,
                visiting_charge=hit.offer.visiting_charge,
                gst_registered=bool(hit.offer.provider.gstin),
                start=query.start,
                end=query.end,
            ),
        )
        for hit in hits
    ], has_more
