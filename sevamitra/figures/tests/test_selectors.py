"""Every figure against the hand-computed world of fixtures.py (read its docstring first).

The raw figures (before suppression) are checked here, group by group; what the public sees
of them after suppression is checked in test_suppression.py."""

import datetime as dt
from decimal import Decimal

import pytest

from sevamitra.figures import selectors
from sevamitra.figures.selectors import FigureFilter
from sevamitra.figures.tests.fixtures import NOW, build_world, ist
from sevamitra.govdash import selectors as govdash

pytestmark = pytest.mark.django_db

PERIOD = {"first_month": dt.date(2025, 4, 1), "last_month": dt.date(2026, 3, 1)}


@pytest.fixture
def world():
    return build_world()


def raw(**filters):
    flt = FigureFilter(**(PERIOD | filters))
    return selectors._computed(flt, now=NOW, labels=selectors.labels_compute())


def counts(comp, grouping, key, *names):
    row = comp.counts[grouping][key]
    return tuple(row.get(name, 0) for name in names)


def stats(comp, grouping, key, *names):
    row = comp.stats[grouping][key]
    return tuple(row.get(name) for name in names)


SEVAMITRAS = ("registered", "verified", "new_registrations", "earned_30d")
BOOKINGS = (
    "bookings_completed",
    "cancelled_by_customer",
    "cancelled_by_sevamitra",
    "no_shows_by_sevamitra",
    "no_shows_by_customer",
)
CALLS = ("calls", "calls_booked")
COMPLAINTS = ("complaints", "complaints_resolved")
GOVERNMENT = ("government_orders", "invoices_paid")
STATS = (
    "median_earnings_30d",
    "median_days_to_resolve",
    "median_days_to_payment",
    "average_days_to_payment",
)


def test_recent_months_are_india_calendar_months():
    # 31/03/2026 19:00 UTC is already 1 April in India: April is the current month.
    months = selectors.recent_months(dt.datetime(2026, 3, 31, 19, 0, tzinfo=dt.UTC))
    assert months[0] == dt.date(2025, 5, 1)
    assert months[-1] == dt.date(2026, 4, 1)
    assert len(months) == 12
    months = selectors.recent_months(dt.datetime(2026, 3, 31, 18, 29, tzinfo=dt.UTC))
    assert (months[0], months[-1]) == (dt.date(2025, 4, 1), dt.date(2026, 3, 1))


def test_filter_period_bounds_are_india_midnights():
    flt = FigureFilter(**PERIOD)
    assert flt.starts_at == ist(2025, 4, 1, 0, 0)
    assert flt.ends_at == ist(2026, 4, 1, 0, 0)
    assert len(flt.months) == 12
    assert flt.cache_key() == "figures:v1:*:*:*:2025-04:2026-03"
    named = FigureFilter(**PERIOD, district="KANPUR NAGAR", gender="female")
    assert named.cache_key() == "figures:v1:KANPUR_NAGAR:*:female:2025-04:2026-03"


def test_median_odd_and_even():
    assert selectors.median([]) is None
    assert selectors.median([7]) == Decimal(7)
    assert selectors.median([3, 1, 2]) == Decimal(2)  # sorted 1 2 3: the middle one
    assert selectors.median([4, 1, 3, 2]) == Decimal("2.5")  # (2 + 3) / 2
    assert selectors.median([Decimal("400"), Decimal("600")]) == Decimal(500)


def test_totals(world):
    comp = raw()
    # registered: P1–P7; verified: P1 P2 P3 P5 P7; new in the period: all but P5;
    # earned in (13/02 12:00, 15/03 12:00]: P1 (B1+B2), P2 (B3), P3 (B5), P6 (B9), P7 (B7).
    assert counts(comp, "total", "total", *SEVAMITRAS) == (7, 5, 6, 5)
    # Due in the period: completed B1–B9 (B2 rated, B6 of ₹0 too); by the customer B10, B11
    # (01/04/2025 00:30 India); by the Sevamitra B12; no-show B13; the customer was not there
    # B17 (not counted as the customer's cancellation). B14 (system) and B15 (due
    # 31/03/2025 23:00) count nowhere, B16 is only requested.
    assert counts(comp, "total", "total", *BOOKINGS) == (9, 2, 1, 1, 1)
    # C1–C6 finished in the period (C7 open, C8 before); booked C1 C2 C5.
    assert counts(comp, "total", "total", *CALLS) == (6, 3)
    # Filed K1–K6; decided K1 K2 K3 K6 (K4 open, K5 withdrawn).
    assert counts(comp, "total", "total", *COMPLAINTS) == (6, 4)
    # Orders booked in the period: O1, O3 (O2 was booked on 31/03/2025). Invoices paid in
    # full: I1 (last payment 21/02/2026), I3 (20/05/2025); I2 is paid in part.
    assert counts(comp, "total", "total", *GOVERNMENT) == (2, 2)
    # Earnings 400 600 700 800 1000 → 700. Days to decide 1/6, 1.0, 2.5, 6.5 → (1.0 + 2.5)
    # / 2 = 1.75 → 1.8. Days to payment I1: 01/02 → 21/02/2026 = 20, I3: 10/04 → 20/05/2025
    # = 40 → median 30.0, average 30.0.
    assert stats(comp, "total", "total", *STATS) == (
        Decimal("700.00"),
        Decimal("1.8"),
        Decimal("30.0"),
        Decimal("30.0"),
    )


def test_by_district(world):
    comp = raw()
    assert counts(comp, "district", "LUCKNOW", *SEVAMITRAS) == (4, 3, 4, 3)  # P1–P4; P1–P3
    assert counts(comp, "district", "AGRA", *SEVAMITRAS) == (3, 2, 2, 2)  # P5–P7; P6 P7
    assert counts(comp, "district", "LUCKNOW", *BOOKINGS) == (5, 2, 1, 0, 0)  # B1–B5; B10 B11; B12
    assert counts(comp, "district", "AGRA", *BOOKINGS) == (4, 0, 0, 1, 1)  # B6–B9; B13; B17
    # Calls by the caller's pincode: 226010 and 226001 are in Lucknow, 282001 in Agra; C4
    # has none ("not known").
    assert counts(comp, "district", "LUCKNOW", *CALLS) == (4, 2)
    assert counts(comp, "district", "AGRA", *CALLS) == (1, 1)
    assert counts(comp, "district", "", *CALLS) == (1, 0)
    assert counts(comp, "district", "LUCKNOW", *COMPLAINTS) == (3, 3)  # K1 K2 K6
    assert counts(comp, "district", "AGRA", *COMPLAINTS) == (3, 1)  # K3 K4 K5; K3
    assert counts(comp, "district", "LUCKNOW", *GOVERNMENT) == (1, 1)  # O3 (P3); I3 (P1)
    assert counts(comp, "district", "AGRA", *GOVERNMENT) == (1, 1)  # O1 (P5 P6); I1 (P5)
    # Lucknow: earned 700 800 1000 → 800 (odd); days 1/6 1.0 2.5 → 1.0; payment 40.
    assert stats(comp, "district", "LUCKNOW", *STATS) == (
        Decimal("800.00"),
        Decimal("1.0"),
        Decimal("40.0"),
        Decimal("40.0"),
    )
    # Agra: earned 400 600 → 500 (even); days 6.5; payment 20.
    assert stats(comp, "district", "AGRA", *STATS) == (
        Decimal("500.00"),
        Decimal("6.5"),
        Decimal("20.0"),
        Decimal("20.0"),
    )


def test_by_category(world):
    comp = raw()
    # A Sevamitra counts for every service offered: P2 is both an electrician and a plumber.
    assert counts(comp, "category", "electrician", *SEVAMITRAS) == (4, 4, 4, 3)
    assert counts(comp, "category", "plumber", *SEVAMITRAS) == (2, 1, 2, 1)
    assert counts(comp, "category", "cook", *SEVAMITRAS) == (2, 1, 1, 1)
    assert counts(comp, "category", "electrician", *BOOKINGS) == (5, 2, 1, 0, 1)
    assert counts(comp, "category", "plumber", *BOOKINGS) == (1, 0, 0, 0, 0)
    assert counts(comp, "category", "cook", *BOOKINGS) == (3, 0, 0, 1, 0)
    assert counts(comp, "category", "electrician", *CALLS) == (3, 2)  # C1 C2 C6
    assert counts(comp, "category", "plumber", *CALLS) == (2, 1)  # C3 C5
    assert counts(comp, "category", "", *CALLS) == (1, 0)  # C4: no service noted
    assert counts(comp, "category", "electrician", *COMPLAINTS) == (3, 3)  # K1 K3 K6
    assert counts(comp, "category", "cook", *COMPLAINTS) == (2, 0)  # K4 K5
    assert counts(comp, "category", "electrician", *GOVERNMENT) == (1, 1)  # O3; I3
    assert counts(comp, "category", "cook", *GOVERNMENT) == (1, 1)  # O1; I1
    # Electrician earnings: P1 800, P3 700, P7 400 (P2's electrician booking B4 was
    # completed exactly 30 days before: outside) → 700. Days 2.5 6.5 1/6 → 2.5.
    assert stats(comp, "category", "electrician", *STATS) == (
        Decimal("700.00"),
        Decimal("2.5"),
        Decimal("40.0"),
        Decimal("40.0"),
    )
    assert stats(comp, "category", "plumber", "median_earnings_30d") == (Decimal("1000.00"),)
    assert stats(comp, "category", "cook", "median_earnings_30d") == (Decimal("600.00"),)


def test_by_gender(world):
    comp = raw()
    assert counts(comp, "gender", "female", *SEVAMITRAS) == (3, 3, 2, 2)  # P1 P2 P5
    assert counts(comp, "gender", "male", *SEVAMITRAS) == (3, 1, 3, 2)  # P3 P4 P6
    assert counts(comp, "gender", "undisclosed", *SEVAMITRAS) == (1, 1, 1, 1)  # P7
    assert counts(comp, "gender", "other", *SEVAMITRAS) == (0, 0, 0, 0)
    assert counts(comp, "gender", "female", *BOOKINGS) == (6, 1, 0, 0, 0)  # B1–B4 B6 B8; B10
    assert counts(comp, "gender", "male", *BOOKINGS) == (2, 1, 1, 1, 0)  # B5 B9; B11; B12; B13
    assert counts(comp, "gender", "female", *COMPLAINTS) == (4, 3)  # K1 K2 K5 K6
    assert counts(comp, "gender", "male", *GOVERNMENT) == (2, 0)  # O1 (P6), O3 (P3)
    assert counts(comp, "gender", "female", *GOVERNMENT) == (1, 2)  # O1 (P5); I1, I3
    # Calls have no Sevamitra: nothing by gender.
    assert counts(comp, "gender", "female", *CALLS) == (0, 0)
    assert stats(comp, "gender", "female", *STATS) == (
        Decimal("900.00"),  # 800 1000 (even)
        Decimal("1.0"),  # 2.5 1.0 1/6
        Decimal("30.0"),  # 20 40
        Decimal("30.0"),
    )
    assert stats(comp, "gender", "male", "median_earnings_30d") == (Decimal("650.00"),)


def test_by_month_india_time(world):
    comp = raw()

    def month(key, *names):
        return counts(comp, "month", key, *names)

    # P4 registered 01/03/2026 00:10 India (still February in UTC): March.
    assert [month(m, "new_registrations") for m in ("2025-05", "2025-06", "2025-07")] == [
        (1,),
        (2,),
        (1,),
    ]
    assert month("2026-01", "new_registrations") == (1,)
    assert month("2026-03", "new_registrations") == (1,)
    assert month("2026-03", *BOOKINGS) == (6, 0, 1, 0, 1)  # B1 B2 B5 B6 B7 B9; B12; B17
    assert month("2026-02", *BOOKINGS) == (2, 1, 0, 1, 0)  # B3 B4; B10; B13
    assert month("2026-01", *BOOKINGS) == (1, 0, 0, 0, 0)  # B8
    # B11 at 01/04/2025 00:30 India (31/03 in UTC): April 2025.
    assert month("2025-04", *BOOKINGS) == (0, 1, 0, 0, 0)
    assert month("2026-03", *CALLS) == (3, 2)
    assert month("2026-02", *CALLS) == (3, 1)
    # Filed: March K1 K3 K4 K6 (K6 at 00:10 on 1 March India); decided: March K1 K3 K6.
    assert month("2026-03", *COMPLAINTS) == (4, 3)
    assert month("2026-02", *COMPLAINTS) == (1, 1)
    assert month("2026-01", *COMPLAINTS) == (1, 0)
    assert stats(comp, "month", "2026-03", "median_days_to_resolve") == (Decimal("2.5"),)
    # O3 booked 01/03/2026 00:30 India: March; I1 paid in full in February, I3 in May 2025.
    assert month("2026-03", *GOVERNMENT) == (1, 0)
    assert month("2026-01", *GOVERNMENT) == (1, 0)
    assert month("2026-02", *GOVERNMENT) == (0, 1)
    assert month("2025-05", *GOVERNMENT) == (0, 1)
    # Figures as of now have no months.
    assert counts(comp, "month", "2026-03", "registered", "earned_30d") == (0, 0)


def test_filters(world):
    comp = raw(district="AGRA", gender="male")  # P6 only
    assert counts(comp, "total", "total", *SEVAMITRAS) == (1, 0, 1, 1)
    assert counts(comp, "total", "total", *BOOKINGS) == (1, 0, 0, 1, 0)  # B9; B13
    assert counts(comp, "total", "total", *COMPLAINTS) == (1, 0)  # K4
    assert counts(comp, "total", "total", *GOVERNMENT) == (1, 0)  # O1
    assert counts(comp, "total", "total", *CALLS) == (0, 0)  # no calls under a gender filter
    # A fixed dimension has one group, the total.
    assert dict(comp.counts["district"]).keys() == {"AGRA"}
    comp = raw(category="plumber")
    assert counts(comp, "total", "total", *SEVAMITRAS) == (2, 1, 2, 1)  # P2 P4; P2; P2
    assert counts(comp, "total", "total", *CALLS) == (2, 1)
    assert stats(comp, "total", "total", "median_earnings_30d") == (Decimal("1000.00"),)
    comp = raw(district="LUCKNOW")
    assert counts(comp, "total", "total", *CALLS) == (4, 2)  # pincodes of Lucknow
    comp = raw(first_month=dt.date(2026, 3, 1), last_month=dt.date(2026, 3, 1))
    assert counts(comp, "total", "total", "new_registrations", *BOOKINGS) == (1, 6, 0, 1, 0, 1)
    # As of now, whatever the months.
    assert counts(comp, "total", "total", "registered", "earned_30d") == (7, 5)


def test_earnings_window_edges(world):
    # One second later B5 (completed at exactly NOW) is still in; at NOW − 1 s it is not yet.
    before = selectors._computed(
        FigureFilter(**PERIOD),
        now=NOW - dt.timedelta(seconds=1),
        labels=selectors.labels_compute(),
    )
    assert counts(before, "total", "total", "earned_30d") == (4,)  # P1 P2 P6 P7


def test_days_to_payment_as_govdash_counts_them(world):
    # The period April 2025 – March 2026 is the financial year 2025-26 of govdash.
    flt = govdash.DashboardFilter(office_ids=None, year=2025)
    assert govdash.payment_days(flt) == govdash.PaymentDays(invoices=2, average=Decimal("30.0"))
    assert stats(raw(), "total", "total", "average_days_to_payment") == (Decimal("30.0"),)


def test_labels(world):
    labels = selectors.labels_compute()
    assert labels.district("AGRA").name_en == "Agra"
    assert len(labels.districts) == 75
    assert labels.category("electrician") is not None
    assert labels.category("nothing") is None
