"""Constants of the network, the refusal that carries a callback message, the Cart (an order as
a buyer app describes it) and small pieces shared by the builders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sevamitra.bookings.models import BookingStatus
from sevamitra.catalog.models import PricingUnit
from sevamitra.ondc import catalog, errors
from sevamitra.ondc.schemas.common import format_timestamp
from sevamitra.providers.models import Offer

S = BookingStatus
FULFILLMENT_TYPE = catalog.FULFILLMENT_TYPE  # "Home-Service"
FULFILLMENT_ID = catalog.FULFILLMENT_ID  # one fulfillment (the visit) per order
PAYMENT_ID = catalog.PAYMENT_ID

# Payment terms: the customer pays the provider directly after the work (zero commission).
PAYMENT_TYPE = catalog.PAYMENT_TYPE  # "ON-FULFILLMENT"
COLLECTED_BY = "BPP"
QUOTE_TTL = "P1D"
CURRENCY = "INR"

# Error codes of the network we answer with that errors.py does not name (yet).
ORDER_NOT_FOUND = "30018"
MERCHANT_INACTIVE = "30021"
INVALID_RATING = "30015"
BUSINESS_ERROR = "40000"
PAYMENT_TYPE_NOT_SUPPORTED = "40004"
TRACKING_NOT_ENABLED = "40005"
FINDER_FEE_NOT_ACCEPTABLE = "41001"
UNSUPPORTED_RATING_CATEGORY = "50003"

# Cancellation reason codes we send (the buyer's own code is echoed on a buyer cancellation).
MERCHANT_CANCELLATION_REASON = "022"  # as the spec's merchant-cancellation example
CUSTOMER_CANCELLATION_REASON = "012"  # as the spec's buyer-cancellation example

# Fulfillment states (enums/fulfillments.yaml) and order statuses (enums/order.yaml).
PENDING, IN_TRANSIT, AT_LOCATION, COMPLETED = "Pending", "In-Transit", "At-Location", "Completed"
CANCELLED_STATE = "Cancelled"
ORDER_CREATED, ORDER_ACCEPTED, ORDER_IN_PROGRESS = "Created", "Accepted", "In-progress"
ORDER_COMPLETED, ORDER_CANCELLED = "Completed", "Cancelled"
_ORDER_STATUS = {
    S.REQUESTED: ORDER_CREATED,
    S.CONFIRMED: ORDER_ACCEPTED,
    S.EN_ROUTE: ORDER_IN_PROGRESS,
    S.IN_PROGRESS: ORDER_IN_PROGRESS,
    S.COMPLETED: ORDER_COMPLETED,
    S.RATED: ORDER_COMPLETED,
    S.DECLINED: ORDER_CANCELLED,
    S.CANCELLED: ORDER_CANCELLED,
    S.NO_SHOW: ORDER_CANCELLED,
}
_FULFILLMENT_STATE = {
    S.REQUESTED: PENDING,
    S.CONFIRMED: PENDING,
    S.EN_ROUTE: IN_TRANSIT,
    S.IN_PROGRESS: AT_LOCATION,  # the spec's "service started" update keeps At-Location
    S.COMPLETED: COMPLETED,
    S.RATED: COMPLETED,
    S.DECLINED: CANCELLED_STATE,
    S.CANCELLED: CANCELLED_STATE,
    S.NO_SHOW: CANCELLED_STATE,
}

# Length of the free slots listed when the buyer gave no slot (90003), by pricing unit.
DEFAULT_SLOT_HOURS: dict[str, int] = {PricingUnit.EVENT: 4, PricingUnit.DAY: 8}


class OndcRefusal(errors.OndcError):
    """A refusal that also carries the `message` of its callback: on_select with 90001/90003
    lists the free slots next to the error, as the spec's rejected-schedule example does.
    The transport (outbox.inbound_process) sends `callback_message` with the error."""

    def __init__(
        self, code: str, message: str, *, callback_message: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(code, message, **kwargs)
        self.callback_message = callback_message


def money(amount: Decimal | str) -> dict[str, str]:
    return {"currency": CURRENCY, "value": f"{Decimal(amount):.2f}"}


def ts(value: dt.datetime) -> str:
    return format_timestamp(value)


def time_range(start: dt.datetime, end: dt.datetime) -> dict[str, str]:
    return {"start": ts(start), "end": ts(end)}


def tag_group(code: str, values: dict[str, str]) -> dict[str, Any]:
    return {
        "descriptor": {"code": code},
        "list": [{"descriptor": {"code": k}, "value": v} for k, v in values.items()],
    }


def order_status(status: str) -> str:
    return _ORDER_STATUS[S(status)]


def fulfillment_state(status: str) -> str:
    return _FULFILLMENT_STATE[S(status)]


def default_slot_length(offer: Offer) -> dt.timedelta:
    return dt.timedelta(hours=DEFAULT_SLOT_HOURS.get(offer.category.pricing_unit, 1))


@dataclass
class Cart:
    """The order a buyer app describes in select/init/confirm, in our terms."""

    provider_id: str
    item_id: str
    offer: Offer
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    parent_item_id: str | None = None
    location_ids: list[str] = field(default_factory=list)
    days: str | None = None
    location: dict[str, Any] = field(default_factory=dict)  # the end stop's location
    contact: dict[str, Any] = field(default_factory=dict)
    person: dict[str, Any] = field(default_factory=dict)
    instructions: dict[str, Any] = field(default_factory=dict)
    billing: dict[str, Any] = field(default_factory=dict)
    payment: dict[str, Any] = field(default_factory=dict)  # type / collected_by asked for
    finder_fee: dict[str, str] | None = None  # {"type": "percent", "amount": "3"}

    def as_json(self) -> dict[str, Any]:
        """What OndcTransaction.order keeps (the offer and slot have their own columns)."""
        return {
            "provider_id": self.provider_id,
            "item_id": self.item_id,
            "parent_item_id": self.parent_item_id,
            "location_ids": self.location_ids,
            "days": self.days,
            "location": self.location,
            "contact": self.contact,
            "person": self.person,
            "instructions": self.instructions,
            "billing": self.billing,
            "payment": self.payment,
            "finder_fee": self.finder_fee,
        }
