"""The quote a customer sees for a booking, and what a cancellation costs.

Zero commission (PRODUCT.md): the quote is the provider's own price × quantity, the
provider's visiting charge, a discount if any, and GST where the provider is GST-registered.
The portal adds nothing: there is no platform-fee or commission line, and `QuoteLine`
refuses any code outside `LINE_CODES`, so a stored snapshot cannot carry one either.

Everything here is pure — no database, no clock. Amounts are `Decimal` rupees with exactly
two decimal places (paise); a quote's total is always exactly the sum of its lines.
A booking stores `Quote.as_dict()` and `TermsSnapshot.as_dict()` as they were when it was
made, so a later change of the provider's price or terms never changes an existing booking.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sevamitra.catalog.models import PricingUnit
from sevamitra.providers.pricing import PAISE, slot_quantity

CURRENCY = "INR"
GST_RATE = Decimal("0.18")
# Each half of GST: CGST to the Centre, SGST to the State.
GST_HALF_RATE = GST_RATE / 2
ZERO = Decimal("0.00")

SERVICE = "service"
VISITING_CHARGE = "visiting_charge"
DISCOUNT = "discount"
CGST = "cgst"
SGST = "sgst"

# The only lines a quote can ever have, in the order they are shown.
LINE_LABELS: dict[str, str | Promise] = {
    SERVICE: _("Service"),
    VISITING_CHARGE: _("Visiting charge"),
    DISCOUNT: _("Discount"),
    CGST: _("CGST 9%"),
    SGST: _("SGST 9%"),
}
LINE_CODES = frozenset(LINE_LABELS)
TAX_CODES = frozenset({CGST, SGST})


def _to_paise(amount: Decimal) -> Decimal:
    return amount.quantize(PAISE, rounding=ROUND_HALF_UP)


def _money(name: str, value: Any, *, allow_negative: bool = False) -> Decimal:
    """`value` as a Decimal with exactly two places; refuses floats, NaN and fractions of paise."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{name} must be a finite Decimal amount in rupees, got {value!r}.")
    if value < 0 and not allow_negative:
        raise ValueError(f"{name} must not be negative, got {value}.")
    if value != value.quantize(PAISE, rounding=ROUND_HALF_UP):
        raise ValueError(f"{name} must be whole paise (two decimal places), got {value}.")
    return value.quantize(PAISE) + ZERO  # + ZERO turns a "-0.00" into "0.00"


def _quantity(value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise ValueError(f"quantity must be a positive finite Decimal, got {value!r}.")
    return value


def _plain(value: Decimal) -> str:
    """A Decimal as JSON-ready text without exponent notation: "123.45", "3.5"."""
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One line of the breakup. `amount` = `quantity` × `unit_price`, rounded to paise."""

    code: str
    label: str | Promise
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def __post_init__(self) -> None:
        if self.code not in LINE_CODES:
            # Zero commission: no platform fee, commission or any other invented line.
            raise ValueError(
                f"A quote line must be one of {sorted(LINE_CODES)}, got {self.code!r}."
            )
        negative = self.code == DISCOUNT
        object.__setattr__(self, "quantity", _quantity(self.quantity))
        object.__setattr__(
            self, "unit_price", _money("unit_price", self.unit_price, allow_negative=negative)
        )
        object.__setattr__(self, "amount", _money("amount", self.amount, allow_negative=negative))

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": str(self.label),
            "quantity": _plain(self.quantity),
            "unit_price": _plain(self.unit_price),
            "amount": _plain(self.amount),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "QuoteLine":
        code = data["code"]
        return cls(
            code=code,
            # The label follows the code, so a stored quote reads in the reader's language.
            label=LINE_LABELS.get(code, str(data.get("label", ""))),
            quantity=Decimal(data["quantity"]),
            unit_price=Decimal(data["unit_price"]),
            amount=Decimal(data["amount"]),
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote's breakup. `total` is the exact sum of the lines; nothing is added to it."""

    lines: tuple[QuoteLine, ...]
    currency: str = CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        if self.currency != CURRENCY:
            raise ValueError(f"Quotes are in {CURRENCY}, got {self.currency!r}.")
        codes = [line.code for line in self.lines]
        if len(codes) != len(set(codes)):
            raise ValueError(f"A quote has each kind of line at most once, got {codes}.")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def taxable_value(self) -> Decimal:
        """Service + visiting charge − discount: the value before tax (GST is charged on it)."""
        return sum((line.amount for line in self.lines if line.code not in TAX_CODES), ZERO)

    @property
    def tax(self) -> Decimal:
        """CGST + SGST; 0.00 when the provider is not GST-registered."""
        return sum((line.amount for line in self.lines if line.code in TAX_CODES), ZERO)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready snapshot; amounts are strings such as "123.45", labels plain text."""
        return {
            "currency": self.currency,
            "lines": [line.as_dict() for line in self.lines],
            "taxable_value": _plain(self.taxable_value),
            "tax": _plain(self.tax),
            "total": _plain(self.total),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Quote":
        """Read a stored snapshot back; refuses one whose stored total is not its lines' sum."""
        quote = cls(
            lines=tuple(QuoteLine.from_dict(line) for line in data["lines"]),
            currency=data.get("currency", CURRENCY),
        )
        if "total" in data and Decimal(data["total"]) != quote.total:
            raise ValueError(
                f"Stored total {data['total']} is not the sum of its lines ({quote.total})."
            )
        return quote


def _single(code: str, amount: Decimal) -> QuoteLine:
    return QuoteLine(
        code=code, label=LINE_LABELS[code], quantity=Decimal(1), unit_price=amount, amount=amount
    )


def build_quote(
    *,
    unit: str,
    unit_price: Decimal,
    quantity: Decimal,
    visiting_charge: Decimal,
    gst_registered: bool,
    discount: Decimal = ZERO,
) -> Quote:
    """The quote for `quantity` pricing units of a provider's service at `unit_price` each.

    - service = unit_price × quantity, rounded to paise (half up);
    - visiting charge, only when above zero;
    - discount as a negative line, only when above zero, never more than service + visiting;
    - when the provider is GST-registered, CGST 9% and SGST 9% on the taxable value
      (service + visiting − discount). Each half is rounded to paise on its own and the tax
      is their sum: splitting first keeps CGST == SGST, the way GST invoices show it
      (rounding 18% first could leave an odd paisa to split).

    No platform fee, ever. Raises ValueError for an unknown unit, negative or sub-paisa
    amounts, a quantity that is not positive, or a discount above the subtotal.
    """
    if unit not in PricingUnit.values:
        raise ValueError(f"unit must be one of {PricingUnit.values}, got {unit!r}.")
    price = _money("unit_price", unit_price)
    qty = _quantity(quantity)
    visiting = _money("visiting_charge", visiting_charge)
    off = _money("discount", discount)

    service = _to_paise(price * qty)
    subtotal = service + visiting
    if off > subtotal:
        raise ValueError(
            f"discount ({off}) cannot exceed the service and visiting charge ({subtotal})."
        )

    lines = [
        QuoteLine(
            code=SERVICE,
            label=LINE_LABELS[SERVICE],
            quantity=qty,
            unit_price=price,
            amount=service,
        )
    ]
    if visiting > 0:
        lines.append(_single(VISITING_CHARGE, visiting))
    if off > 0:
        lines.append(_single(DISCOUNT, -off))
    if gst_registered:
        half = _to_paise((subtotal - off) * GST_HALF_RATE)
        lines.append(_single(CGST, half))
        lines.append(_single(SGST, half))
    return Quote(lines=tuple(lines))


def quote_for_slot(
    *,
    unit: str,
    unit_price: Decimal,
    visiting_charge: Decimal,
    gst_registered: bool,
    start: dt.datetime,
    end: dt.datetime,
    discount: Decimal = ZERO,
) -> Quote:
    """The quote for a booked slot: the quantity is what `slot_quantity` counts for the unit."""
    if end <= start:
        raise ValueError(f"A slot must end after it starts ({start} – {end}).")
    return build_quote(
        unit=unit,
        unit_price=unit_price,
        quantity=slot_quantity(unit, start, end),
        visiting_charge=visiting_charge,
        gst_registered=gst_registered,
        discount=discount,
    )


@dataclass(frozen=True, slots=True)
class TermsSnapshot:
    """The provider's published cancellation terms, as they stood when the booking was made."""

    free_cancellation_hours: int
    cancellation_fee: Decimal
    included: str = ""

    def __post_init__(self) -> None:
        hours = self.free_cancellation_hours
        if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
            raise ValueError(f"free_cancellation_hours must be a whole number ≥ 0, got {hours!r}.")
        object.__setattr__(
            self, "cancellation_fee", _money("cancellation_fee", self.cancellation_fee)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "free_cancellation_hours": self.free_cancellation_hours,
            "cancellation_fee": _plain(self.cancellation_fee),
            "included": self.included,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TermsSnapshot":
        return cls(
            free_cancellation_hours=int(data["free_cancellation_hours"]),
            cancellation_fee=Decimal(data["cancellation_fee"]),
            included=str(data.get("included", "")),
        )


def cancellation_fee_due(
    *, terms: TermsSnapshot, starts_at: dt.datetime, cancelled_at: dt.datetime
) -> Decimal:
    """0.00 when cancelled at least `free_cancellation_hours` before the start, else the fee.

    A cancellation after the start costs the same fee; nothing more.
    """
    if timezone.is_naive(starts_at) or timezone.is_naive(cancelled_at):
        raise ValueError("starts_at and cancelled_at must be timezone-aware.")
    if starts_at - cancelled_at >= dt.timedelta(hours=terms.free_cancellation_hours):
        return ZERO
    return terms.cancellation_fee


def split_evenly(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` shares that differ by at most one paisa and add up exactly
    (the earlier shares take the odd paise)."""
    if parts < 1:
        raise ValueError("Split into at least one part.")
    paise = int((amount * 100).to_integral_value())
    base, extra = divmod(paise, parts)
    return [Decimal(base + (1 if i < extra else 0)) / 100 for i in range(parts)]
