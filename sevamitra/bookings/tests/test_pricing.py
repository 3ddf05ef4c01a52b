"""Booking quotes and cancellation fees: worked examples, refusals and properties.

Pure functions, so no database. Zero commission: the properties check that no quote,
whatever its inputs, has a line other than service, visiting charge, discount, CGST, SGST.
"""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sevamitra.bookings.pricing import (
    LINE_CODES,
    Quote,
    QuoteLine,
    TermsSnapshot,
    build_quote,
    cancellation_fee_due,
    quote_for_slot,
)
from sevamitra.catalog.models import PricingUnit

IST = ZoneInfo("Asia/Kolkata")
D = Decimal

PROPERTY = settings(deadline=None, max_examples=300)


def codes(quote):
    return [line.code for line in quote.lines]


def amounts(quote):
    return {line.code: line.amount for line in quote.lines}


# --- worked examples ---------------------------------------------------------------------------


def test_visit_with_visiting_charge_and_gst():
    quote = build_quote(
        unit=PricingUnit.VISIT,
        unit_price=D("300"),
        quantity=D("1"),
        visiting_charge=D("50"),
        gst_registered=True,
    )

    with translation.override("en"):
        assert quote.as_dict() == {
            "currency": "INR",
            "lines": [
                {
                    "code": "service",
                    "label": "Service",
                    "quantity": "1",
                    "unit_price": "300.00",
                    "amount": "300.00",
                },
                {
                    "code": "visiting_charge",
                    "label": "Visiting charge",
                    "quantity": "1",
                    "unit_price": "50.00",
                    "amount": "50.00",
                },
                {
                    "code": "cgst",
                    "label": "CGST 9%",
                    "quantity": "1",
                    "unit_price": "31.50",
                    "amount": "31.50",
                },
                {
                    "code": "sgst",
                    "label": "SGST 9%",
                    "quantity": "1",
                    "unit_price": "31.50",
                    "amount": "31.50",
                },
            ],
            "taxable_value": "350.00",
            "tax": "63.00",
            "total": "413.00",
        }
    assert quote.total == D("413.00")
    assert quote.taxable_value == D("350.00")
    assert quote.tax == D("63.00")


def test_hourly_price_times_three_and_a_half_hours():
    quote = quote_for_slot(
        unit=PricingUnit.HOUR,
        unit_price=D("150.00"),
        visiting_charge=D("0"),
        gst_registered=False,
        start=dt.datetime(2025, 3, 10, 18, 0, tzinfo=IST),
        end=dt.datetime(2025, 3, 10, 21, 30, tzinfo=IST),
    )

    [service] = quote.lines
    assert service.code == "service"
    assert service.quantity == D("3.5")
    assert service.unit_price == D("150.00")
    assert service.amount == D("525.00")
    assert quote.total == D("525.00")


def test_a_started_half_hour_is_charged_as_a_half_hour():
    quote = quote_for_slot(
        unit=PricingUnit.HOUR,
        unit_price=D("150.00"),
        visiting_charge=D("0"),
        gst_registered=False,
        start=dt.datetime(2025, 3, 10, 18, 0, tzinfo=IST),
        end=dt.datetime(2025, 3, 10, 21, 10, tzinfo=IST),
    )

    assert quote.lines[0].quantity == D("3.5")
    assert quote.total == D("525.00")


def test_daily_price_counts_local_days_touched():
    quote = quote_for_slot(
        unit=PricingUnit.DAY,
        unit_price=D("800.00"),
        visiting_charge=D("0"),
        gst_registered=False,
        start=dt.datetime(2025, 3, 10, 8, 0, tzinfo=IST),
        end=dt.datetime(2025, 3, 12, 20, 0, tzinfo=IST),
    )

    assert quote.lines[0].quantity == D("3")
    assert quote.total == D("2400.00")


def test_without_gst_there_are_no_tax_lines():
    quote = build_quote(
        unit=PricingUnit.VISIT,
        unit_price=D("300.00"),
        quantity=D("1"),
        visiting_charge=D("50.00"),
        gst_registered=False,
    )

    assert codes(quote) == ["service", "visiting_charge"]
    assert quote.tax == D("0.00")
    assert quote.taxable_value == D("350.00")
    assert quote.total == D("350.00")


def test_no_visiting_charge_line_when_it_is_zero():
    quote = build_quote(
        unit=PricingUnit.MONTH,
        unit_price=D("9000.00"),
        quantity=D("1"),
        visiting_charge=D("0.00"),
        gst_registered=True,
    )

    assert codes(quote) == ["service", "cgst", "sgst"]
    assert amounts(quote) == {"service": D("9000.00"), "cgst": D("810.00"), "sgst": D("810.00")}
    assert quote.total == D("10620.00")


def test_discount_is_a_negative_line_and_gst_is_on_the_discounted_value():
    quote = build_quote(
        unit=PricingUnit.VISIT,
        unit_price=D("300.00"),
        quantity=D("1"),
        visiting_charge=D("50.00"),
        gst_registered=True,
        discount=D("100.00"),
    )

    assert codes(quote) == ["service", "visiting_charge", "discount", "cgst", "sgst"]
    assert amounts(quote) == {
        "service": D("300.00"),
        "visiting_charge": D("50.00"),
        "discount": D("-100.00"),
        "cgst": D("22.50"),
        "sgst": D("22.50"),
    }
    assert quote.taxable_value == D("250.00")
    assert quote.total == D("295.00")


def test_discount_may_equal_the_whole_subtotal():
    quote = build_quote(
        unit=PricingUnit.EVENT,
        unit_price=D("1000.00"),
        quantity=D("1"),
        visiting_charge=D("0.00"),
        gst_registered=True,
        discount=D("1000.00"),
    )

    assert amounts(quote) == {
        "service": D("1000.00"),
        "discount": D("-1000.00"),
        "cgst": D("0.00"),
        "sgst": D("0.00"),
    }
    assert quote.total == D("0.00")


@pytest.mark.parametrize(
    ("unit_price", "quantity", "service"),
    [
        (D("0.05"), D("0.5"), D("0.03")),  # 0.025 → half up
        (D("0.01"), D("0.5"), D("0.01")),  # 0.005 → half up
        (D("0.03"), D("0.5"), D("0.02")),  # 0.015 → half up, not half even
        (D("99.99"), D("0.5"), D("50.00")),  # 49.995
        (D("150.00"), D("3.5"), D("525.00")),
    ],
)
def test_service_amount_rounds_half_paise_up(unit_price, quantity, service):
    quote = build_quote(
        unit=PricingUnit.HOUR,
        unit_price=unit_price,
        quantity=quantity,
        visiting_charge=D("0"),
        gst_registered=False,
    )

    assert quote.lines[0].amount == service
    assert quote.total == service


def test_gst_is_split_before_rounding_so_cgst_equals_sgst():
    # 9% of 0.50 is 0.045 → 0.05 each; the invoice shows 0.05 + 0.05, never 0.05 + 0.04.
    quote = build_quote(
        unit=PricingUnit.VISIT,
        unit_price=D("0.50"),
        quantity=D("1"),
        visiting_charge=D("0"),
        gst_registered=True,
    )

    assert amounts(quote) == {"service": D("0.50"), "cgst": D("0.05"), "sgst": D("0.05")}
    assert quote.tax == D("0.10")
    assert quote.total == D("0.60")


# --- refusals ----------------------------------------------------------------------------------


def quote_kwargs(**overrides):
    kwargs = {
        "unit": PricingUnit.VISIT,
        "unit_price": D("300.00"),
        "quantity": D("1"),
        "visiting_charge": D("50.00"),
        "gst_registered": True,
        "discount": D("0"),
    }
    kwargs.update(overrides)
    return kwargs


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"discount": D("350.01")}, "cannot exceed"),
        ({"discount": D("-1.00")}, "discount must not be negative"),
        ({"unit_price": D("-0.01")}, "unit_price must not be negative"),
        ({"visiting_charge": D("-50")}, "visiting_charge must not be negative"),
        ({"quantity": D("0")}, "quantity must be a positive"),
        ({"quantity": D("-1")}, "quantity must be a positive"),
        ({"unit_price": 300.0}, "finite Decimal"),
        ({"unit_price": D("NaN")}, "finite Decimal"),
        ({"unit_price": D("300.005")}, "whole paise"),
        ({"unit": "week"}, "unit must be one of"),
    ],
)
def test_build_quote_refuses_bad_input(overrides, message):
    with pytest.raises(ValueError, match=message):
        build_quote(**quote_kwargs(**overrides))


def test_a_slot_must_end_after_it_starts():
    start = dt.datetime(2025, 3, 10, 18, 0, tzinfo=IST)

    with pytest.raises(ValueError, match="must end after it starts"):
        quote_for_slot(
            unit=PricingUnit.HOUR,
            unit_price=D("150.00"),
            visiting_charge=D("0"),
            gst_registered=False,
            start=start,
            end=start,
        )


@pytest.mark.parametrize("code", ["platform_fee", "commission", "convenience_fee", "igst"])
def test_a_quote_line_cannot_be_a_platform_fee(code):
    with pytest.raises(ValueError, match="quote line must be one of"):
        QuoteLine(code=code, label="Fee", quantity=D("1"), unit_price=D("10"), amount=D("10"))


def test_a_stored_snapshot_with_a_platform_fee_is_refused():
    data = build_quote(**quote_kwargs()).as_dict()
    data["lines"].append(
        {
            "code": "platform_fee",
            "label": "Platform fee",
            "quantity": "1",
            "unit_price": "20.00",
            "amount": "20.00",
        }
    )
    data["total"] = "433.00"

    with pytest.raises(ValueError, match="quote line must be one of"):
        Quote.from_dict(data)


def test_a_stored_snapshot_whose_total_is_not_its_lines_sum_is_refused():
    data = build_quote(**quote_kwargs()).as_dict()
    data["total"] = "433.00"

    with pytest.raises(ValueError, match="not the sum of its lines"):
        Quote.from_dict(data)


def test_a_quote_has_each_line_at_most_once():
    line = QuoteLine(
        code="service", label="Service", quantity=D("1"), unit_price=D("10"), amount=D("10")
    )

    with pytest.raises(ValueError, match="at most once"):
        Quote(lines=(line, line))


# --- properties --------------------------------------------------------------------------------

prices = st.decimals(min_value=0, max_value=D("99999.99"), places=2)
quantities = st.integers(min_value=1, max_value=1440).map(lambda halves: D(halves) / 2)
visiting_charges = st.decimals(min_value=0, max_value=D("9999.99"), places=2)
units = st.sampled_from(PricingUnit.values)


@st.composite
def quote_inputs(draw):
    unit_price = draw(prices)
    quantity = draw(quantities)
    visiting_charge = draw(visiting_charges)
    subtotal = (unit_price * quantity).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    subtotal += visiting_charge
    discount = draw(
        st.one_of(st.just(D("0")), st.decimals(min_value=0, max_value=subtotal, places=2))
    )
    return {
        "unit": draw(units),
        "unit_price": unit_price,
        "quantity": quantity,
        "visiting_charge": visiting_charge,
        "gst_registered": draw(st.booleans()),
        "discount": discount,
    }


def has_two_places(amount):
    return amount.as_tuple().exponent == -2


@PROPERTY
@given(quote_inputs())
def test_total_is_exactly_the_sum_of_the_lines(kwargs):
    quote = build_quote(**kwargs)

    assert quote.total == sum(line.amount for line in quote.lines)
    assert quote.total == quote.taxable_value + quote.tax
    assert quote.total >= 0


@PROPERTY
@given(quote_inputs())
def test_every_amount_has_exactly_two_decimal_places(kwargs):
    quote = build_quote(**kwargs)

    for line in quote.lines:
        assert has_two_places(line.amount), line
        assert has_two_places(line.unit_price), line
        assert line.amount == (line.quantity * line.unit_price).quantize(
            D("0.01"), rounding=ROUND_HALF_UP
        )
    assert has_two_places(quote.total)
    assert has_two_places(quote.taxable_value)
    assert has_two_places(quote.tax)


@PROPERTY
@given(quote_inputs())
def test_gst_is_nine_plus_nine_percent_only_for_gst_registered_providers(kwargs):
    quote = build_quote(**kwargs)
    lines = amounts(quote)

    if kwargs["gst_registered"]:
        half = (quote.taxable_value * D("0.09")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert lines["cgst"] == lines["sgst"] == half
        assert quote.tax == 2 * half
    else:
        assert "cgst" not in lines
        assert "sgst" not in lines
        assert quote.tax == D("0.00")


@PROPERTY
@given(quote_inputs())
def test_no_line_outside_the_allowed_set_and_never_a_platform_fee(kwargs):
    quote = build_quote(**kwargs)
    stored = json.dumps(quote.as_dict()).lower()

    assert set(codes(quote)) <= {"service", "visiting_charge", "discount", "cgst", "sgst"}
    assert set(codes(quote)) <= LINE_CODES
    assert codes(quote)[0] == "service"
    assert "platform" not in stored
    assert "commission" not in stored


@PROPERTY
@given(quote_inputs())
def test_a_stored_quote_reads_back_equal(kwargs):
    quote = build_quote(**kwargs)

    stored = json.loads(json.dumps(quote.as_dict()))
    restored = Quote.from_dict(stored)

    assert restored == quote
    assert restored.as_dict() == quote.as_dict()


@PROPERTY
@given(quote_inputs())
def test_without_gst_the_total_is_service_plus_visiting_minus_discount(kwargs):
    kwargs["gst_registered"] = False
    quote = build_quote(**kwargs)
    service = (kwargs["unit_price"] * kwargs["quantity"]).quantize(
        D("0.01"), rounding=ROUND_HALF_UP
    )

    assert quote.total == service + kwargs["visiting_charge"] - kwargs["discount"]


@PROPERTY
@given(quote_inputs(), st.integers(min_value=1, max_value=10_000))
def test_a_discount_above_the_subtotal_is_refused(kwargs, paise_over):
    subtotal = build_quote(**{**kwargs, "gst_registered": False, "discount": D("0")}).total
    kwargs["discount"] = subtotal + D(paise_over) / 100

    with pytest.raises(ValueError, match="cannot exceed"):
        build_quote(**kwargs)


# --- cancellation ------------------------------------------------------------------------------

STARTS_AT = dt.datetime(2025, 3, 10, 18, 0, tzinfo=IST)
SECOND = dt.timedelta(seconds=1)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("free_hours", "cancelled_at", "fee"),
    [
        (24, STARTS_AT - 48 * HOUR, D("0.00")),
        (24, STARTS_AT - 24 * HOUR, D("0.00")),  # exactly at the edge of the free window
        (24, STARTS_AT - 24 * HOUR + SECOND, D("100.00")),  # one second later
        (24, STARTS_AT - HOUR, D("100.00")),
        (24, STARTS_AT, D("100.00")),
        (24, STARTS_AT + 2 * HOUR, D("100.00")),  # after the start: the fee, nothing more
        (0, STARTS_AT, D("0.00")),
        (0, STARTS_AT + SECOND, D("100.00")),
        (2, (STARTS_AT - 2 * HOUR).astimezone(dt.UTC), D("0.00")),  # same instant, in UTC
        (2, (STARTS_AT - 2 * HOUR + SECOND).astimezone(dt.UTC), D("100.00")),
    ],
)
def test_cancellation_fee_follows_the_free_window(free_hours, cancelled_at, fee):
    terms = TermsSnapshot(
        free_cancellation_hours=free_hours,
        cancellation_fee=D("100"),
        included="Two hours of work",
    )

    due = cancellation_fee_due(terms=terms, starts_at=STARTS_AT, cancelled_at=cancelled_at)

    assert due == fee
    assert has_two_places(due)


def test_no_fee_terms_cost_nothing_even_late():
    terms = TermsSnapshot(free_cancellation_hours=24, cancellation_fee=D("0"), included="")

    due = cancellation_fee_due(terms=terms, starts_at=STARTS_AT, cancelled_at=STARTS_AT)

    assert due == D("0.00")


def test_terms_snapshot_reads_back_equal():
    terms = TermsSnapshot(
        free_cancellation_hours=12,
        cancellation_fee=D("75.5"),
        included="नल की मरम्मत, पुर्ज़े अलग",
    )

    stored = json.loads(json.dumps(terms.as_dict()))

    assert stored == {
        "free_cancellation_hours": 12,
        "cancellation_fee": "75.50",
        "included": "नल की मरम्मत, पुर्ज़े अलग",
    }
    assert TermsSnapshot.from_dict(stored) == terms


@pytest.mark.parametrize(
    ("free_hours", "fee", "message"),
    [
        (-1, D("100"), "free_cancellation_hours"),
        (True, D("100"), "free_cancellation_hours"),
        (24, D("-1"), "cancellation_fee must not be negative"),
        (24, D("0.001"), "whole paise"),
    ],
)
def test_terms_snapshot_refuses_bad_terms(free_hours, fee, message):
    with pytest.raises(ValueError, match=message):
        TermsSnapshot(free_cancellation_hours=free_hours, cancellation_fee=fee, included="")


def test_cancellation_needs_aware_datetimes():
    terms = TermsSnapshot(free_cancellation_hours=24, cancellation_fee=D("100"), included="")
    naive = dt.datetime(2025, 3, 10, 12, 0)  # noqa: DTZ001 - the naive value under test

    with pytest.raises(ValueError, match="timezone-aware"):
        cancellation_fee_due(terms=terms, starts_at=STARTS_AT, cancelled_at=naive)
