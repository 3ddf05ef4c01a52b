"""The price a customer sees: the provider's own price and visiting charge, nothing added.

Zero commission: there is no platform fee, so there is no such line. GST on top of a
GST-registered provider's price comes with the booking engine's full quote.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from sevamitra.catalog.models import PricingUnit

PAISE = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SlotQuote:
    unit: str
    unit_price: Decimal
    quantity: Decimal
    amount: Decimal
    visiting_charge: Decimal
    total: Decimal

    def as_dict(self) -> dict[str, str]:
        return {
            "currency": "INR",
            "unit": self.unit,
            "unit_price": str(self.unit_price),
            "quantity": str(self.quantity),
            "amount": str(self.amount),
            "visiting_charge": str(self.visiting_charge),
            "total": str(self.total),
        }


def slot_quantity(unit: str, start: dt.datetime, end: dt.datetime) -> Decimal:
    """How many pricing units a slot takes: hours are counted in started half hours,
    days in local calendar days touched; a visit, a month or an event count once."""
    if unit == PricingUnit.HOUR:
        half_hours = math.ceil((end - start).total_seconds() / 1800)
        return Decimal(half_hours) / 2
    if unit == PricingUnit.DAY:
        last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
        return Decimal((last - timezone.localtime(start).date()).days + 1)
    return Decimal(1)


def quote_slot(
    *, unit: str, price: Decimal, visiting_charge: Decimal, start: dt.datetime, end: dt.datetime
) -> SlotQuote:
    quantity = slot_quantity(unit, start, end)
    amount = (price * quantity).quantize(PAISE, rounding=ROUND_HALF_UP)
    visiting = visiting_charge.quantize(PAISE, rounding=ROUND_HALF_UP)
    return SlotQuote(
        unit=unit,
        unit_price=price.quantize(PAISE),
        quantity=quantity,
        amount=amount,
        visiting_charge=visiting,
        total=amount + visiting,
    )
