from decimal import Decimal

import pytest

from sevamitra.invoicing.tax import (
    BILL_OF_SUPPLY,
    TAX_INVOICE,
    recipient_state,
    state_label,
    state_of_gstin,
    tax_breakup,
)

UP_GSTIN = "09AAAPA1234A1Z5"
UP_OFFICE_GSTIN = "09AAAGU0001B1ZX"
DELHI_GSTIN = "07AAAGD0001C1Z2"
D = Decimal


def test_intra_state_splits_the_rate_into_cgst_and_sgst():
    result = tax_breakup(
        taxable_value=D("1000.00"), supplier_gstin=UP_GSTIN, recipient_state_code="09"
    )
    assert result.kind == TAX_INVOICE
    assert result.intra_state is True
    assert (result.supplier_state, result.place_of_supply) == ("09", "09")
    assert (result.cgst_rate, result.sgst_rate, result.igst_rate) == (D(9), D(9), D("0.00"))
    assert (result.cgst, result.sgst, result.igst) == (D("90.00"), D("90.00"), D("0.00"))
    assert result.tax == D("180.00")
    assert result.total == D("1180.00")


def test_inter_state_charges_igst_at_the_full_rate():
    result = tax_breakup(
        taxable_value=D("1000.00"),
        supplier_gstin=UP_GSTIN,
        recipient_state_code="09",
        recipient_gstin=DELHI_GSTIN,  # the office's GSTIN decides its state
    )
    assert result.kind == TAX_INVOICE
    assert result.intra_state is False
    assert result.place_of_supply == "07"
    assert (result.cgst, result.sgst, result.igst) == (D("0.00"), D("0.00"), D("180.00"))
    assert result.igst_rate == D(18)
    assert result.total == D("1180.00")


def test_inter_state_by_state_code_without_office_gstin():
    result = tax_breakup(
        taxable_value=D("250.50"), supplier_gstin=UP_GSTIN, recipient_state_code="10"
    )
    # 250.50 × 18% = 45.09 exactly
    assert (result.igst, result.total) == (D("45.09"), D("295.59"))


def test_without_gstin_a_bill_of_supply_with_no_tax():
    result = tax_breakup(
        taxable_value=D("1234.56"),
        supplier_gstin="",
        recipient_state_code="09",
        recipient_gstin=UP_OFFICE_GSTIN,
    )
    assert result.kind == BILL_OF_SUPPLY
    assert result.rate_percent == D("0.00")
    assert (result.cgst, result.sgst, result.igst) == (D("0.00"), D("0.00"), D("0.00"))
    assert result.total == D("1234.56")
    assert result.supplier_state == "09"


@pytest.mark.parametrize(
    ("taxable", "rate", "half_tax"),
    [
        # 0.05 × 9% = 0.0045 → 0.00 (below half a paisa)
        (D("0.05"), D(18), D("0.00")),
        # 0.06 × 9% = 0.0054 → 0.01 (half-up)
        (D("0.06"), D(18), D("0.01")),
        # 333.33 × 9% = 29.9997 → 30.00
        (D("333.33"), D(18), D("30.00")),
        # 105.50 × 9% = 9.495 → 9.50 exactly half a paisa rounds up
        (D("105.50"), D(18), D("9.50")),
        # 5% → 2.5% each: 1001.00 × 2.5% = 25.025 → 25.03
        (D("1001.00"), D(5), D("25.03")),
        # 12% → 6% each: 99.99 × 6% = 5.9994 → 6.00
        (D("99.99"), D(12), D("6.00")),
    ],
)
def test_each_tax_line_is_rounded_half_up_and_the_total_is_their_sum(taxable, rate, half_tax):
    result = tax_breakup(
        taxable_value=taxable, supplier_gstin=UP_GSTIN, recipient_state_code="09", rate_percent=rate
    )
    assert result.cgst == half_tax
    assert result.sgst == half_tax
    assert result.total == taxable + 2 * half_tax


def test_igst_rounded_on_the_full_rate_not_as_two_halves():
    # 105.50 × 18% = 18.99 exactly; two halves would give 9.50 + 9.50 = 19.00.
    result = tax_breakup(
        taxable_value=D("105.50"), supplier_gstin=UP_GSTIN, recipient_state_code="07"
    )
    assert result.igst == D("18.99")
    assert result.total == D("124.49")


def test_zero_rate_category():
    result = tax_breakup(
        taxable_value=D("500.00"),
        supplier_gstin=UP_GSTIN,
        recipient_state_code="09",
        rate_percent=D(0),
    )
    assert result.kind == TAX_INVOICE
    assert result.total == D("500.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"taxable_value": D("-1.00")},
        {"taxable_value": D("1.001")},
        {"taxable_value": 100},
        {"rate_percent": D(-1)},
        {"rate_percent": D(101)},
        {"supplier_gstin": "09ABC"},
        {"recipient_state_code": "U"},
        {"recipient_gstin": "not-a-gstin"},
    ],
)
def test_bad_input_refused(kwargs):
    arguments = {
        "taxable_value": D("100.00"),
        "supplier_gstin": UP_GSTIN,
        "recipient_state_code": "09",
        **kwargs,
    }
    with pytest.raises(ValueError):
        tax_breakup(**arguments)


def test_state_helpers():
    assert state_of_gstin(" 09aaapa1234a1z5 ") == "09"
    assert recipient_state(state_code="09", gstin=DELHI_GSTIN) == "07"
    assert recipient_state(state_code="10") == "10"
    assert state_label("09") == ("Uttar Pradesh", "उत्तर प्रदेश")
    assert state_label("99") == ("99", "99")
