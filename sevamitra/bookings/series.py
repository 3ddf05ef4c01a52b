"""Recurring series and long engagements: a rule plus concrete occurrences.

The rule is stored (BookingSeries); each occurrence is an ordinary Booking on the provider's
calendar, so it can be cancelled, rescheduled or handed to a substitute on its own. A series
is booked all or nothing: if any occurrence cannot be had, nothing is written and the error
lists the dates that failed.

Audit: each occurrence is recorded by the engine ("booking.created", "booking.cancelled");
the rule itself as "series.created" and "series.cancelled".
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.bookings import notify
from sevamitra.bookings import permissions as can
from sevamitra.bookings.errors import BookingError, SeriesTooLong
from sevamitra.bookings.models import (
    Booking,
    BookingKind,
    BookingSeries,
    BookingStatus,
    CancelledBy,
    SeriesFrequency,
    SeriesStatus,
)
from sevamitra.bookings.pricing import split_evenly
from sevamitra.bookings.services import Placed, booking_cancel, booking_create
from sevamitra.catalog.models import PricingUnit
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.providers.models import Offer


def occurrence_dates(
    *,
    frequency: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    count: int | None,
    weekdays: list[int],
    interval_days: int,
    limit: int,
) -> list[dt.date]:
    """The dates of a rule, at most `limit` + 1 of them (one more tells "too long")."""
    if frequency == SeriesFrequency.WEEKDAYS and not weekdays:
        raise BookingError(
            _("Choose at least one weekday."), code="invalid_series", field="weekdays"
        )
    if interval_days < 1:
        raise BookingError(
            _("Repeat every 1 day or more."), code="invalid_series", field="interval_days"
        )
    dates: list[dt.date] = []
    day = starts_on
    while len(dates) <= limit:
        if ends_on is not None and day > ends_on:
            break
        if count is not None and len(dates) >= count:
            break
        if frequency == SeriesFrequency.DAILY:
            dates.append(day)
            day += dt.timedelta(days=1)
        elif frequency == SeriesFrequency.INTERVAL:
            dates.append(day)
            day += dt.timedelta(days=interval_days)
        else:
            if day.weekday() in weekdays:
                dates.append(day)
            day += dt.timedelta(days=1)
    return dates


def _monthly_shares(offer: Offer, dates: list[dt.date]) -> dict[dt.date, Decimal]:
    """For a service priced per month: each 30-day period from the first visit costs the
    provider's monthly price, shared evenly by that period's visits. Empty otherwise."""
    if offer.category.pricing_unit != PricingUnit.MONTH:
        return {}
    periods: dict[int, list[dt.date]] = {}
    for day in dates:
        periods.setdefault((day - dates[0]).days // 30, []).append(day)
    shares: dict[dt.date, Decimal] = {}
    for days in periods.values():
        shares.update(zip(days, split_evenly(offer.price, len(days)), strict=True))
    return shares


@transaction.atomic
def series_create(
    *,
    offer: Offer,
    customer: User,
    kind: str,
    frequency: str,
    starts_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    ends_on: dt.date | None = None,
    count: int | None = None,
    weekdays: list[int] | None = None,
    interval_days: int = 1,
    channel: str,
    address: str,
    pincode: str = "",
    lat: float | None = None,
    lng: float | None = None,
    notes: str = "",
    acting_user: User,
    now: dt.datetime | None = None,
) -> tuple[BookingSeries, list[Placed]]:
    """Book every occurrence of a rule (a dog walk every morning for a month, a cook on
    weekdays, a caregiver for two weeks), all or nothing."""

    now = now or timezone.now()
    if not can.book_for(acting_user, customer):
        raise PermissionDenied(_("You are not allowed to do this."))
    if kind not in (BookingKind.SERIES, BookingKind.ENGAGEMENT):
        raise BookingError(
            _("A series is a recurring series or a long engagement."),
            code="invalid_kind",
            field="kind",
        )
    if frequency not in SeriesFrequency.values:
        raise BookingError(
            _("Choose how the visits repeat."), code="invalid_series", field="frequency"
        )
    if ends_on is None and count is None:
        raise BookingError(
            _("Give an end date or a number of visits."), code="invalid_series", field="ends_on"
        )
    if end_time <= start_time:
        raise BookingError(
            _("The end must be after the start."), code="end_before_start", field="end_time"
        )
    limit = settings.BOOKING_SERIES_MAX_OCCURRENCES
    dates = occurrence_dates(
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
        count=count,
        weekdays=sorted(set(weekdays or [])),
        interval_days=interval_days,
        limit=limit,
    )
    if len(dates) > limit:
        raise SeriesTooLong(
            _("A series can have at most %(n)d visits; book the rest later.") % {"n": limit},
            field="ends_on",
        )
    if not dates:
        raise BookingError(_("These rules give no visit at all."), code="invalid_series")
    series = BookingSeries.objects.create(
        customer=customer,
        provider=offer.provider,
        category=offer.category,
        kind=kind,
        frequency=frequency,
        weekdays=sorted(set(weekdays or [])),
        interval_days=interval_days,
        starts_on=starts_on,
        ends_on=ends_on,
        occurrence_count=count,
        start_time=start_time,
        end_time=end_time,
        channel=channel,
        created_by=acting_user,
        created_at=now,
    )
    shares = _monthly_shares(offer, dates)
    placed_all: list[Placed] = []
    failed: list[dict[str, str]] = []
    for day in dates:
        start = timezone.make_aware(dt.datetime.combine(day, start_time))
        end = timezone.make_aware(dt.datetime.combine(day, end_time))
        try:
            with transaction.atomic():
                placed = booking_create(
                    offer=offer,
                    customer=customer,
                    start=start,
                    end=end,
                    kind=kind,
                    channel=channel,
                    address=address,
                    pincode=pincode,
                    lat=lat,
                    lng=lng,
                    notes=notes,
                    series=series,
                    acting_user=acting_user,
                    now=now,
                    quiet=True,
                    unit_price=shares.get(day),
                )
            placed_all.append(placed)
        except DomainError as exc:
            failed.append({"date": day.isoformat(), "code": exc.code, "message": str(exc)})
    if failed:  # raising rolls the whole series back: all or nothing
        raise BookingError(
            _("%(n)d of the visits cannot be booked; nothing was booked.") % {"n": len(failed)},
            code="series_unavailable",
            status=409,
            extra={"failed": failed},
        )
    notify.series_booked(series, [p.booking for p in placed_all])
    audit_record(
        actor=acting_user,
        role=can.capacity(acting_user, customer_id=customer.pk),
        action="series.created",
        obj=series,
        after={
            "status": series.status,
            "customer": customer.pk,
            "provider": offer.provider_id,
            "offer": offer.pk,
            "category": offer.category_id,
            "kind": kind,
            "frequency": frequency,
            "weekdays": series.weekdays,
            "interval_days": interval_days,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "occurrence_count": count,
            "start_time": start_time,
            "end_time": end_time,
            "channel": channel,
            "bookings": [p.booking.pk for p in placed_all],
            "total": sum((p.booking.total for p in placed_all), Decimal("0")),
        },
    )
    return series, placed_all


@transaction.atomic
def series_cancel(
    *, series: BookingSeries, reason: str, acting_user: User, now: dt.datetime | None = None
) -> list[Booking]:
    """Cancel the rest of a series: every occurrence not yet started."""

    now = now or timezone.now()
    if not reason.strip():
        raise BookingError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    first = series.occurrences.first()
    if first is None or not can.act_as_customer(acting_user, first):
        raise PermissionDenied(_("You are not allowed to do this."))
    # Every row this changes is locked before the first cancellation writes the audit trail
    # (whose lock is held until commit): the series, then its visits in id order.
    old_status = (
        BookingSeries.objects.select_for_update(no_key=True)
        .filter(pk=series.pk)
        .values_list("status", flat=True)
        .get()
    )
    upcoming = list(
        series.occurrences.select_for_update(of=("self",))
        .filter(status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED], starts_at__gt=now)
        .order_by("pk")
    )
    for booking in upcoming:
        booking_cancel(
            booking=booking,
            by=CancelledBy.CUSTOMER,
            reason=reason,
            acting_user=acting_user,
            now=now,
        )
    series.status = SeriesStatus.CANCELLED
    series.save(update_fields=["status"])
    audit_record(
        actor=acting_user,
        role=can.capacity(acting_user, customer_id=first.customer_id),
        action="series.cancelled",
        obj=series,
        before={"status": old_status},
        after={
            "status": series.status,
            "bookings_cancelled": [booking.pk for booking in upcoming],
            "reason_given": True,
        },
    )
    return upcoming
