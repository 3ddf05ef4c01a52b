"""Quote, cancellation terms and payment objects."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sevamitra.bookings.pricing import Quote, TermsSnapshot
from sevamitra.ondc import catalog
from sevamitra.ondc.mapping.base import (
    COLLECTED_BY,
    CURRENCY,
    PAYMENT_ID,
    PAYMENT_TYPE,
    QUOTE_TTL,
    money,
    tag_group,
)
from sevamitra.providers.models import Offer, Provider

_LINE_TITLES = {
    "visiting_charge": "Visiting charge",
    "discount": "Discount",
    "cgst": "CGST 9%",
    "sgst": "SGST 9%",
}
_LINE_TYPES = {
    "service": "item",
    "visiting_charge": "misc",  # the provider's own charge for coming (fulfillment level)
    "discount": "discount",
    "cgst": "tax",
    "sgst": "tax",
}


def _breakup_line(
    line: dict[str, str], *, item_id: str, title: str, unit: str, sign: int = 1
) -> dict[str, Any]:
    code = line["code"]
    amount = Decimal(line["amount"]) * sign
    item: dict[str, Any] = {"id": item_id}
    if code == "service":
        item["quantity"] = {
            "selected": {"count": 1 if sign > 0 else 0},
            "measure": {"unit": unit, "value": line["quantity"]},
        }
        item["price"] = money(line["unit_price"])
    kind = "refund" if sign < 0 else _LINE_TYPES[code]
    return {
        "title": title if code == "service" else _LINE_TITLES[code],
        "price": money(amount),
        "item": item,
        "tags": [tag_group("title", {"type": kind})],
    }


def quote_object(
    quote: dict[str, Any] | Quote,
    *,
    item_id: str,
    offer: Offer,
    ttl: str = QUOTE_TTL,
    cancellation_fee: Decimal | None = None,
    refund: bool = False,
) -> dict[str, Any]:
    """The ONDC quote of a booking-engine quote. With `refund` (a cancelled order), every
    line is followed by its refund and the price is what remains: the cancellation fee."""
    data = quote.as_dict() if isinstance(quote, Quote) else quote
    title, unit = offer.category.name_en, offer.category.pricing_unit
    breakup = []
    for line in data["lines"]:
        breakup.append(_breakup_line(line, item_id=item_id, title=title, unit=unit))
        if refund:
            breakup.append(_breakup_line(line, item_id=item_id, title=title, unit=unit, sign=-1))
    total = Decimal(data["total"])
    if refund:
        fee = cancellation_fee or Decimal("0")
        if fee:
            breakup.append(
                {
                    "title": "Cancellation fee",
                    "price": money(fee),
                    "item": {"id": item_id},
                    "tags": [tag_group("title", {"type": "misc"})],
                }
            )
        total = fee
    return {"price": money(total), "breakup": breakup, "ttl": ttl}


def cancellation_terms(terms: dict[str, Any]) -> list[dict[str, Any]]:
    """The provider's own terms as agreed (a booking's TermsSnapshot), written exactly as the
    catalog publishes them (catalog.cancellation_terms), so on_init/on_confirm never differ
    from on_search."""
    snapshot = TermsSnapshot.from_dict(terms)
    return catalog.cancellation_terms(
        SimpleNamespace(  # type: ignore[arg-type]
            cancellation_fee=snapshot.cancellation_fee,
            free_cancellation_hours=snapshot.free_cancellation_hours,
        )
    )


def terms_of(provider: Provider) -> dict[str, Any]:
    return TermsSnapshot(
        free_cancellation_hours=provider.free_cancellation_hours,
        cancellation_fee=provider.cancellation_fee,
        included=provider.terms_included,
    ).as_dict()


def finder_fee_tag(finder_fee: dict[str, str] | None) -> dict[str, Any]:
    """The buyer app's fee as it told us (BAP_Terms in search, or Buyer_Finder_Fee in its
    payment); "0" when it told us none. It is settled between the buyer app and the seller, not
    added to the customer's price."""
    fee = finder_fee or {}
    return tag_group(
        "Buyer_Finder_Fee",
        {
            "Buyer_Finder_Fee_Type": fee.get("type") or "percent",
            "Buyer_Finder_Fee_Amount": fee.get("amount") or "0",
        },
    )


def payment_object(
    *, total: Decimal | str, finder_fee: dict[str, str] | None, paid: bool = False
) -> dict[str, Any]:
    return {
        "id": PAYMENT_ID,
        "type": PAYMENT_TYPE,
        "collected_by": COLLECTED_BY,
        "status": "PAID" if paid else "NOT-PAID",
        "params": {"amount": f"{Decimal(total):.2f}", "currency": CURRENCY},
        "tags": [finder_fee_tag(finder_fee)],
    }
