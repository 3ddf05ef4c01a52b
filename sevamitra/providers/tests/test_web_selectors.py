"""Reads behind the Sevamitra pages: price guidance and earnings periods."""

import datetime as dt
from decimal import Decimal

import pytest

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings.models import BookingEvent, BookingStatus
from sevamitra.bookings.services import booking_create
from sevamitra.providers import selectors
from sevamitra.providers.tests.factories import ProviderFactory, category, district, local

pytestmark = pytest.mark.django_db


def test_price_range_is_the_25th_to_75th_percentile():
    for price in ("100", "200", "300", "400", "500", "600", "700", "800", "900"):
        ProviderFactory(offers=[("plumber", price, "0")])
    ProviderFactory(offers=[("plumber", "5000", "0")], verification_status="pending")
    ProviderFactory(offers=[("plumber", "5000", "0")], district=district("KANPUR NAGAR"))
    plumber, cook = category("plumber"), category("cook")
    ranges = selectors.price_ranges(district=district("LUCKNOW"), categories=[plumber, cook])
    assert ranges == {
        plumber.pk: selectors.PriceRange(low=Decimal("300"), high=Decimal("700"), offers=9),
        cook.pk: None,
    }


def test_price_range_needs_five_offers():
    for price in ("100", "200", "300", "400"):
        ProviderFactory(offers=[("plumber", price, "0")])
    plumber = category("plumber")
    assert selectors.price_ranges(district=district("LUCKNOW"), categories=[plumber]) == {
        plumber.pk: None
    }
    ProviderFactory(offers=[("plumber", "500", "0")])
    found = selectors.price_ranges(district=district("LUCKNOW"), categories=[plumber])
    assert found[plumber.pk] == selectors.PriceRange(Decimal("200"), Decimal("400"), 5)


def test_earnings_by_week_and_month_by_the_day_finished():
    provider = ProviderFactory(auto_accept=True, offers=[("electrician", "300", "0")])
    customer = UserFactory()
    today = dt.date(2026, 11, 28)  # a Saturday
    finished = {
        dt.date(2026, 11, 23): "completed",  # Monday of this week
        dt.date(2026, 11, 22): "rated",  # Sunday: last week
        dt.date(2026, 10, 31): "completed",  # last month
        dt.date(2026, 11, 27): "cancelled",  # not counted
    }
    for n, (day, status) in enumerate(finished.items()):
        start = local(dt.date(2027, 1, 4) + dt.timedelta(days=n), "10:00")
        booking = booking_create(
            offer=provider.offers.get(),
            customer=customer,
            start=start,
            end=start + dt.timedelta(hours=1),
            kind="visit",
            channel="web",
            address="x",
            acting_user=customer,
            now=local(today, "09:00"),
            quiet=True,
        ).booking
        booking.status = status
        booking.cancelled_by = "customer" if status == "cancelled" else ""
        booking.save()
        BookingEvent.objects.create(
            booking=booking, action="completed", at=local(day, "18:00"), to_status=status
        )
    weeks = selectors.provider_earnings(provider=provider, by="week", periods=3, today=today)
    assert [(w.starts_on, w.ends_on, w.jobs, w.total) for w in weeks] == [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 29), 1, Decimal("300.00")),
        (dt.date(2026, 11, 16), dt.date(2026, 11, 22), 1, Decimal("300.00")),
        (dt.date(2026, 11, 9), dt.date(2026, 11, 15), 0, Decimal("0.00")),
    ]
    months = selectors.provider_earnings(provider=provider, by="month", periods=2, today=today)
    assert [(m.starts_on, m.ends_on, m.jobs, m.total) for m in months] == [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30), 2, Decimal("600.00")),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31), 1, Decimal("300.00")),
    ]
    assert BookingStatus.CANCELLED not in selectors.EARNING_STATUSES
