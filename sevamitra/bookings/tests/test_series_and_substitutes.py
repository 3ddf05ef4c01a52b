"""Recurring series, long engagements, and substitutes when a provider cannot come."""

import datetime as dt

import pytest

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import series as series_services
from sevamitra.bookings import services
from sevamitra.bookings.errors import SeriesTooLong
from sevamitra.bookings.models import Booking, BookingSeries, BookingStatus, CancelledBy
from sevamitra.bookings.series import occurrence_dates
from sevamitra.bookings.substitutes import (
    booking_substitute_accept,
    provider_leave_mark,
    substitutes_for,
)
from sevamitra.bookings.tests.conftest import at
from sevamitra.core.errors import DomainError
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
S = BookingStatus


@pytest.fixture
def dog_walker():
    return ProviderFactory(auto_accept=True, offers=[("dog-walker", "100", "0")]).offers.get()


def make_series(offer, customer, day, **rule):
    kwargs = {
        "offer": offer,
        "customer": customer,
        "kind": "series",
        "frequency": "daily",
        "starts_on": day,
        "start_time": dt.time(8, 0),
        "end_time": dt.time(8, 30),
        "channel": "web",
        "address": "B-4, Gomti Nagar",
        "pincode": "226010",
        "acting_user": customer,
    }
    kwargs.update(rule)
    series, placed = series_services.series_create(**kwargs)
    return series, [p.booking for p in placed]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"frequency": "daily", "count": 3}, [0, 1, 2]),
        ({"frequency": "weekdays", "weekdays": [0, 2, 4], "count": 4}, [0, 2, 4, 7]),
        ({"frequency": "interval", "interval_days": 3, "ends_on_offset": 7}, [0, 3, 6]),
        ({"frequency": "daily", "ends_on_offset": 2, "count": 10}, [0, 1, 2]),
    ],
)
def test_occurrence_dates(rule, expected):
    start = dt.date(2026, 12, 7)  # a Monday
    offset = rule.pop("ends_on_offset", None)
    dates = occurrence_dates(
        frequency=rule["frequency"],
        starts_on=start,
        ends_on=start + dt.timedelta(days=offset) if offset is not None else None,
        count=rule.get("count"),
        weekdays=rule.get("weekdays", []),
        interval_days=rule.get("interval_days", 1),
        limit=62,
    )
    assert [(d - start).days for d in dates] == expected


def test_daily_series_books_every_occurrence_on_the_calendar(dog_walker, customer, day):
    series, bookings = make_series(dog_walker, customer, day, count=5)
    assert [b.starts_at for b in bookings] == [
        at(day + dt.timedelta(days=i), "08:00") for i in range(5)
    ]
    assert all(b.status == S.CONFIRMED and b.series == series and b.block for b in bookings)


def test_an_occurrence_is_cancelled_on_its_own(dog_walker, customer, day):
    _series, bookings = make_series(dog_walker, customer, day, count=3)
    services.booking_cancel(
        booking=bookings[1], by=CancelledBy.CUSTOMER, reason="away", acting_user=customer
    )
    assert [b.status for b in Booking.objects.order_by("starts_at")] == [
        S.CONFIRMED,
        S.CANCELLED,
        S.CONFIRMED,
    ]


def test_a_series_is_all_or_nothing(dog_walker, customer, day):
    # Someone already has the third morning.
    other = UserFactory()
    services.booking_create(
        offer=dog_walker,
        customer=other,
        start=at(day + dt.timedelta(days=2), "08:00"),
        end=at(day + dt.timedelta(days=2), "08:30"),
        kind="visit",
        channel="web",
        address="x",
        acting_user=other,
    )
    with pytest.raises(DomainError) as error:
        make_series(dog_walker, customer, day, count=5)
    assert error.value.code == "series_unavailable"
    assert [f["date"] for f in error.value.extra["failed"]] == [
        (day + dt.timedelta(days=2)).isoformat()
    ]
    assert not BookingSeries.objects.exists()
    assert Booking.objects.filter(customer=customer).count() == 0


def test_a_series_too_long_is_refused(dog_walker, customer, day, settings):
    settings.BOOKING_SERIES_MAX_OCCURRENCES = 10
    with pytest.raises(SeriesTooLong):
        make_series(dog_walker, customer, day, count=11)
    assert not Booking.objects.exists()


def test_long_engagement_of_consecutive_days(customer, day):
    caregiver = ProviderFactory(auto_accept=True, offers=[("caregiver", "900", "0")])
    from sevamitra.providers.tests.factories import police_document

    police_document(caregiver, day + dt.timedelta(days=60))
    _series, bookings = make_series(
        caregiver.offers.get(),
        customer,
        day,
        kind="engagement",
        start_time=dt.time(9, 0),
        end_time=dt.time(17, 0),
        ends_on=day + dt.timedelta(days=13),
    )
    assert len(bookings) == 14
    assert {b.total for b in bookings} == {bookings[0].total}


def test_series_cancel_cancels_the_rest(dog_walker, customer, day):
    series, _ = make_series(dog_walker, customer, day, count=4)
    cancelled = series_services.series_cancel(series=series, reason="moving", acting_user=customer)
    assert len(cancelled) == 4
    assert set(series.occurrences.values_list("status", flat=True)) == {S.CANCELLED}


def test_leave_cancels_the_visit_and_offers_substitutes_without_a_fee(dog_walker, customer, day):
    _series, bookings = make_series(dog_walker, customer, day, count=3)
    substitute = ProviderFactory(auto_accept=True, offers=[("dog-walker", "120", "0")])
    missed = bookings[1]

    affected = provider_leave_mark(
        provider=dog_walker.provider,
        starts_on=missed.starts_at.date(),
        ends_on=missed.starts_at.date(),
        reason="शादी",
        acting_user=dog_walker.provider.user,
    )

    assert [b.pk for b in affected] == [missed.pk]
    missed.refresh_from_db()
    assert (missed.status, missed.cancelled_by, missed.cancellation_fee) == (
        S.CANCELLED,
        CancelledBy.PROVIDER,
        0,
    )
    offers = substitutes_for(missed)
    assert [o.provider_id for o in offers] == [substitute.pk]
    placed = booking_substitute_accept(booking=missed, offer=offers[0], acting_user=customer)
    new = placed.booking
    assert len(placed.codes.start) == 4  # the substitute accepts automatically
    assert (new.provider, new.replaces, new.starts_at) == (substitute, missed, missed.starts_at)
    assert new.series == missed.series
    with pytest.raises(DomainError) as error:
        booking_substitute_accept(booking=missed, offer=offers[0], acting_user=customer)
    assert error.value.code == "already_replaced"


def test_a_month_priced_series_costs_the_monthly_price_per_30_days(customer, day):
    # Dog walking is priced per month (₹100 in this test): 31 daily walks span two periods.
    walker = ProviderFactory(auto_accept=True, offers=[("dog-walker", "100", "0")])
    _series, bookings = make_series(walker.offers.get(), customer, day, count=31)
    assert sum(b.total for b in bookings[:30]) == 100
    assert bookings[30].total == 100
    assert {str(b.total) for b in bookings[:30]} == {"3.34", "3.33"}


def test_each_confirmed_occurrence_comes_with_its_codes(dog_walker, customer, day):
    _series, placed = series_services.series_create(
        offer=dog_walker,
        customer=customer,
        kind="series",
        frequency="daily",
        starts_on=day,
        start_time=dt.time(8, 0),
        end_time=dt.time(8, 30),
        count=2,
        channel="web",
        address="B-4, Gomti Nagar",
        acting_user=customer,
    )
    assert [len(p.codes.start) for p in placed] == [4, 4]
    booking = placed[0].booking
    started = services.booking_start(
        booking=booking, code=placed[0].codes.start, acting_user=booking.provider.user
    )
    assert started.status == S.IN_PROGRESS


def test_cancelling_a_series_needs_a_reason(dog_walker, customer, day):
    series, _ = make_series(dog_walker, customer, day, count=2)
    with pytest.raises(DomainError) as error:
        series_services.series_cancel(series=series, reason=" ", acting_user=customer)
    assert error.value.code == "reason_required"


def test_a_provider_cancelling_one_visit_of_a_series_offers_substitutes(dog_walker, customer, day):
    from sevamitra.notifications.models import Message

    _series, bookings = make_series(dog_walker, customer, day, count=3)
    substitute = ProviderFactory(
        auto_accept=True,
        name_latin="Ravi Kumar",
        name_hi="रवि कुमार",
        offers=[("dog-walker", "120", "0")],
    )
    services.booking_cancel(
        booking=bookings[2],
        by=CancelledBy.PROVIDER,
        reason="ill",
        acting_user=dog_walker.provider.user,
    )
    offered = Message.objects.get(event="booking.substitutes", to=f"+91{customer.phone}")
    assert substitute.name_hi in offered.body
    assert [o.provider_id for o in substitutes_for(bookings[2])] == [substitute.pk]
    assert [b.status for b in Booking.objects.filter(series=_series).order_by("starts_at")] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.CANCELLED,
    ]
