"""One model per inbound action: `{context, message}` with the SRV11 required fields.

Required here (a missing one is a JSON-SCHEMA-ERROR 30000 naming the path):
- every action: the whole context (see context.py) and `message`;
- search: message.intent.fulfillment.stops[] (at least one) with location.gps — the SRV11
  attributes require the customer's place, so a search without a location is refused (30000);
  when a stop has `time`, its range.start/end (timezone-aware, end after start);
- select: order.provider.id, order.items[] (>= 1) with id and quantity.selected.count,
  order.fulfillments[] (>= 1) with stops[] (>= 1), order.payments[] (>= 1). The slot
  (end stop time) is optional: without it the seller lists free slots (90003);
- init: as select, plus billing.name/phone, fulfillments[].id, and for the end stop
  location.gps/address/area_code and contact.phone; payments[].type/collected_by;
- confirm: as init, plus order.id, order.status ("Created" or "CREATED"...), created_at,
  updated_at, quote.price.currency/value;
- update: update_target, order.id; when update_target names fulfillments: order.fulfillments
  with an end stop carrying time.range (the new slot);
- status, track, cancel: order_id; rating: ratings[] (>= 1) with id, rating_category, value;
  support: nothing beyond the context (support.ref_id or ref_id when given).
Deliberately optional although the attributes list them: items[].location_ids/category_ids
(the official examples themselves omit them; our item id alone names the offer),
billing.tax_id/state/city (a household has no GSTIN), the end stop's time at init/confirm
(the handler answers 90003 "schedule not provided", more useful than a schema error),
payment params (depend on who collects).
items[].quantity.selected.count stays required at select/init/confirm as the attributes say
(the official select_consultation example puts quantity under provider by mistake).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator

from .common import (
    Billing,
    Category,
    Contact,
    Descriptor,
    Fulfillment,
    GpsStr,
    Id,
    Item,
    ItemQuantity,
    Location,
    OndcModel,
    OrderStatus,
    Payment,
    ProviderRef,
    Quote,
    RatingCategory,
    RequiredCount,
    RequiredPrice,
    Stop,
    Str,
    TagGroup,
    Time,
    TimeRange,
    Timestamp,
    tag_value,
)
from .context import Context


def _relative_error(error: ValidationError, prefix: str) -> ValueError:
    """Turn a nested validation error into a ValueError whose text starts with the relative path
    ("@stops[0].location.address: field required"); parse_request joins it to the outer path."""
    from . import format_loc  # circular at import time only

    first = error.errors()[0]
    path = format_loc((*_split(prefix), *first["loc"]))
    msg = "field required" if first["type"] == "missing" else first["msg"]
    return ValueError(f"@{path}: {msg}")


def _split(prefix: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in prefix.split("/") if p)


# --- search ----------------------------------------------------------------------------------


class SearchLocation(Location):
    gps: GpsStr  # type: ignore[assignment]


class SearchTime(Time):
    range: TimeRange  # type: ignore[assignment]


class SearchStop(Stop):
    location: SearchLocation  # type: ignore[assignment]
    time: SearchTime | None = None  # type: ignore[assignment]


class SearchFulfillment(Fulfillment):
    stops: Annotated[list[SearchStop], Field(min_length=1, max_length=10)]  # type: ignore[assignment]

    def stop(self, stop_type: str = "end") -> SearchStop:  # type: ignore[override]
        """The customer's place: the "end" stop, else the first stop."""
        return super().stop(stop_type) or self.stops[0]  # type: ignore[return-value]


class SearchIntent(OndcModel):
    item: Item | None = None
    category: Category | None = None
    provider: dict[str, Any] | None = None
    fulfillment: SearchFulfillment
    payment: Payment | None = None
    tags: list[TagGroup] | None = None

    @property
    def finder_fee(self) -> tuple[str | None, str | None]:
        """(finder_fee_type, finder_fee_amount) from the BAP_Terms tag, e.g. ("percent", "3")."""
        return (
            tag_value(self.tags, "BAP_Terms", "finder_fee_type"),
            tag_value(self.tags, "BAP_Terms", "finder_fee_amount"),
        )


class SearchMessage(OndcModel):
    intent: SearchIntent


class SearchRequest(OndcModel):
    context: Context
    message: SearchMessage


# --- select / init / confirm -----------------------------------------------------------------


class SelectedQuantity(ItemQuantity):
    selected: RequiredCount  # type: ignore[assignment]


class OrderItem(Item):
    id: Id  # type: ignore[assignment]
    quantity: SelectedQuantity  # type: ignore[assignment]


class SelectFulfillment(Fulfillment):
    stops: Annotated[list[Stop], Field(min_length=1, max_length=10)]  # type: ignore[assignment]


class SelectOrder(OndcModel):
    id: Id | None = None
    provider: ProviderRef
    items: Annotated[list[OrderItem], Field(min_length=1, max_length=50)]
    fulfillments: Annotated[list[SelectFulfillment], Field(min_length=1, max_length=10)]
    payments: Annotated[list[Payment], Field(min_length=1, max_length=10)]
    quote: Quote | None = None
    tags: list[TagGroup] | None = None


class SelectMessage(OndcModel):
    order: SelectOrder


class SelectRequest(OndcModel):
    context: Context
    message: SelectMessage


class EndLocation(Location):
    gps: GpsStr  # type: ignore[assignment]
    address: Str  # type: ignore[assignment]
    area_code: Annotated[str, Field(min_length=1, max_length=20)]  # type: ignore[assignment]


class EndContact(Contact):
    phone: Annotated[str, Field(min_length=1, max_length=30)]  # type: ignore[assignment]


class EndStop(Stop):
    """The customer's place at init/confirm: full address and a phone."""

    location: EndLocation  # type: ignore[assignment]
    contact: EndContact  # type: ignore[assignment]


class InitFulfillment(SelectFulfillment):
    id: Id  # type: ignore[assignment]

    @model_validator(mode="after")
    def _end_stop_complete(self) -> InitFulfillment:
        for index, stop in enumerate(self.stops):
            if (stop.type or "").lower() == "end" or len(self.stops) == 1:
                try:
                    EndStop.model_validate(stop.model_dump(exclude_none=True))
                except ValidationError as error:
                    raise _relative_error(error, f"stops/{index}") from None
        return self


class InitPayment(Payment):
    type: Annotated[str, Field(min_length=1, max_length=50)]  # type: ignore[assignment]
    collected_by: Annotated[str, Field(min_length=1, max_length=10)]  # type: ignore[assignment]


class InitBilling(Billing):
    name: Annotated[str, Field(min_length=1, max_length=200)]  # type: ignore[assignment]
    phone: Annotated[str, Field(min_length=1, max_length=30)]  # type: ignore[assignment]


class InitOrder(SelectOrder):
    billing: InitBilling
    fulfillments: Annotated[list[InitFulfillment], Field(min_length=1, max_length=10)]  # type: ignore[assignment]
    payments: Annotated[list[InitPayment], Field(min_length=1, max_length=10)]  # type: ignore[assignment]


class InitMessage(OndcModel):
    order: InitOrder


class InitRequest(OndcModel):
    context: Context
    message: InitMessage


class ConfirmQuote(Quote):
    price: RequiredPrice  # type: ignore[assignment]


class ConfirmOrder(InitOrder):
    id: Id  # type: ignore[assignment]
    status: OrderStatus
    created_at: Timestamp
    updated_at: Timestamp
    quote: ConfirmQuote  # type: ignore[assignment]
    cancellation_terms: list[dict[str, Any]] | None = None


class ConfirmMessage(OndcModel):
    order: ConfirmOrder


class ConfirmRequest(OndcModel):
    context: Context
    message: ConfirmMessage


# --- update ----------------------------------------------------------------------------------


class UpdateOrder(OndcModel):
    id: Id
    status: OrderStatus | None = None
    provider: ProviderRef | None = None
    items: list[Item] | None = None
    fulfillments: list[Fulfillment] | None = None
    payments: list[Payment] | None = None
    quote: Quote | None = None


class UpdateMessage(OndcModel):
    update_target: Annotated[str, Field(min_length=1, max_length=200)]
    order: UpdateOrder

    @property
    def targets(self) -> set[str]:
        """{"fulfillments"} for "fulfillments"; "item,fulfillment" -> {"items", "fulfillments"}."""
        names = {part.strip().lower() for part in self.update_target.split(",") if part.strip()}
        return {name if name.endswith("s") else name + "s" for name in names}

    @model_validator(mode="after")
    def _reschedule_has_slot(self) -> UpdateMessage:
        if "fulfillments" not in self.targets:
            return self
        if not self.order.fulfillments:
            raise ValueError("@order.fulfillments: field required")
        for index, fulfillment in enumerate(self.order.fulfillments):
            end = fulfillment.stop("end")
            if end is None:
                raise ValueError(f"@order.fulfillments[{index}].stops: an end stop is required")
            if end.time is None or end.time.range is None:
                position = (fulfillment.stops or []).index(end)
                raise ValueError(
                    f"@order.fulfillments[{index}].stops[{position}].time.range: field required"
                )
        return self

    @property
    def new_slot(self) -> TimeRange | None:
        """The requested slot of a reschedule (the first fulfillment's end stop range)."""
        for fulfillment in self.order.fulfillments or []:
            end = fulfillment.stop("end")
            if end and end.time and end.time.range:
                return end.time.range
        return None


class UpdateRequest(OndcModel):
    context: Context
    message: UpdateMessage


# --- status / track / cancel -----------------------------------------------------------------


class OrderIdMessage(OndcModel):
    order_id: Id


class StatusRequest(OndcModel):
    context: Context
    message: OrderIdMessage


class TrackMessage(OrderIdMessage):
    callback_url: Annotated[str, Field(max_length=500)] | None = None


class TrackRequest(OndcModel):
    context: Context
    message: TrackMessage


class CancelMessage(OrderIdMessage):
    cancellation_reason_id: Annotated[str, Field(max_length=20)] | None = None
    descriptor: Descriptor | None = None


class CancelRequest(OndcModel):
    context: Context
    message: CancelMessage


# --- rating / support ------------------------------------------------------------------------


class Rating(OndcModel):
    rating_category: RatingCategory
    id: Id
    value: Annotated[str, Field(min_length=1, max_length=50)]

    @property
    def score(self) -> int | None:
        """The value as a whole number 1..5, or None when it is not one."""
        try:
            number = float(self.value)
        except ValueError:
            return None
        return int(number) if number.is_integer() and 1 <= number <= 5 else None


class RatingMessage(OndcModel):
    ratings: Annotated[list[Rating], Field(min_length=1, max_length=20)]


class RatingRequest(OndcModel):
    context: Context
    message: RatingMessage


class Support(OndcModel):
    ref_id: Annotated[str, Field(max_length=255)] | None = None
    order_id: Annotated[str, Field(max_length=255)] | None = None
    callback_phone: Annotated[str, Field(max_length=30)] | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None
    email: Annotated[str, Field(max_length=255)] | None = None
    url: Annotated[str, Field(max_length=500)] | None = None


class SupportMessage(OndcModel):
    support: Support | None = None
    ref_id: Annotated[str, Field(max_length=255)] | None = None

    @property
    def reference(self) -> str:
        """The order (or transaction) the buyer asks about, wherever the buyer app put it."""
        if self.support:
            return self.support.ref_id or self.support.order_id or self.ref_id or ""
        return self.ref_id or ""


class SupportRequest(OndcModel):
    context: Context
    message: SupportMessage


REQUEST_MODELS: dict[str, type[OndcModel]] = {
    "search": SearchRequest,
    "select": SelectRequest,
    "init": InitRequest,
    "confirm": ConfirmRequest,
    "status": StatusRequest,
    "update": UpdateRequest,
    "cancel": CancelRequest,
    "track": TrackRequest,
    "rating": RatingRequest,
    "support": SupportRequest,
}
