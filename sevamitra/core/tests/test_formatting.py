from decimal import Decimal

import pytest

from sevamitra.core.formatting import format_inr


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "₹0.00"),
        (Decimal("5"), "₹5.00"),
        (Decimal("999.5"), "₹999.50"),
        (1000, "₹1,000.00"),
        (Decimal("123456"), "₹1,23,456.00"),
        (Decimal("12345678.905"), "₹1,23,45,678.91"),
        (Decimal("-1500"), "-₹1,500.00"),
    ],
)
def test_indian_grouping(amount, text):
    assert format_inr(amount) == text
