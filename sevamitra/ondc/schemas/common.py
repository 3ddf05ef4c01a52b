"""Shared building blocks of the ONDC:SRV11 2.0.0 payloads (Beckn core 1.1.0), written by us
from the documented structure (spec repository ONDC-Official/ONDC-SRV-Specifications,
branch draft-services: api/build/build.yaml, api/components/attributes/Home_Services/).

Every model allows unknown fields (`extra="allow"`): the network adds fields over time and a
buyer app may send more than we read. Fields we read are typed; fields the SRV11 attributes mark
as required for an action are required in that action's model (schemas/requests.py).

Typed helpers used by the handlers:
- `parse_gps("12.97,77.61") -> GeoPoint(lat, lon)`;
- `parse_duration("PT30S") -> timedelta` (ISO 8601 durations);
- `TimeRange` (start/end, both timezone-aware, end after start);
- `normalize_order_status("ACCEPTED") -> "Accepted"` (both spellings are seen on the network).
"""

from __future__ import annotations

import builtins
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

# --- plain helpers ---------------------------------------------------------------------------


class GeoPoint(NamedTuple):
    lat: float
    lon: float


_GPS = re.compile(r"^\s*([+-]?\d{1,3}(?:\.\d+)?)\s*,\s*([+-]?\d{1,3}(?:\.\d+)?)\s*$")


def parse_gps(value: str) -> GeoPoint:
    """'12.974002,77.613458' -> GeoPoint(12.974002, 77.613458); ValueError when malformed."""
    match = _GPS.match(value or "")
    if not match:
        raise ValueError("gps must be 'latitude,longitude' in decimal degrees")
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("gps out of range (latitude -90..90, longitude -180..180)")
    return GeoPoint(lat, lon)


def format_gps(lat: float | Decimal, lon: float | Decimal) -> str:
    """Our own gps strings: 6 decimals, as the network's examples write them."""
    return f"{float(lat):.6f},{float(lon):.6f}"


_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
# Seen on the network (the official init examples write "P30S"): hours/seconds without the T.
# Unambiguous (M without T would mean months), so we accept it on input and never write it.
_DURATION_LOOSE = re.compile(r"^P(?:(?P<hours>\d+)H)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?$")


def parse_duration(value: str) -> timedelta:
    """ISO 8601 duration -> timedelta: 'PT30S', 'P1D', 'PT1H30M', 'P2W' (years/months are
    refused: they have no fixed length). ValueError when malformed."""
    text = (value or "").strip().upper()
    match = _DURATION.match(text)
    if match is None:
        loose = _DURATION_LOOSE.match(text)
        if loose is None or text == "P":
            raise ValueError(f"invalid ISO 8601 duration {value!r} (e.g. PT30S, P1D)")
        parts = {k: v for k, v in loose.groupdict().items() if v}
    else:
        parts = {k: v for k, v in match.groupdict().items() if v}
    return timedelta(
        weeks=int(parts.get("weeks", 0)),
        days=int(parts.get("days", 0)),
        hours=int(parts.get("hours", 0)),
        minutes=int(parts.get("minutes", 0)),
        seconds=float(parts.get("seconds", 0)),
    )


def format_duration(delta: timedelta) -> str:
    """timedelta -> ISO 8601 ('PT30S', 'P1D', 'PT1H30M', 'PT0S')."""
    total = int(delta.total_seconds())
    if total < 0:
        raise ValueError("negative duration")
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    clock = (
        (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if seconds else "")
    )
    if clock:
        text += "T" + clock
    return text if text != "P" else "PT0S"


def format_timestamp(value: datetime) -> str:
    """Aware datetime -> '2023-11-16T09:30:00.000Z' (UTC, milliseconds), as the network writes."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


ORDER_STATUSES = ("Created", "Accepted", "In-progress", "Completed", "Cancelled")
_ORDER_STATUS_KEYS = {s.upper().replace("_", "-"): s for s in ORDER_STATUSES}


def normalize_order_status(value: str) -> str:
    """'ACCEPTED' / 'accepted' / 'Accepted' -> 'Accepted'; 'IN_PROGRESS' -> 'In-progress'."""
    key = str(value).strip().upper().replace("_", "-")
    if key not in _ORDER_STATUS_KEYS:
        raise ValueError(f"unknown order status {value!r} (one of {', '.join(ORDER_STATUSES)})")
    return _ORDER_STATUS_KEYS[key]


RATING_CATEGORIES = ("Item", "Order", "Fulfillment", "Provider", "Agent", "Support")


def _enum_normalizer(values: tuple[str, ...], what: str):
    keys = {v.upper(): v for v in values}

    def normalize(value: Any) -> Any:
        if isinstance(value, str) and value.strip().upper() in keys:
            return keys[value.strip().upper()]
        if isinstance(value, str):
            raise ValueError(f"unknown {what} {value!r} (one of {', '.join(values)})")
        return value

    return normalize


# --- annotated field types -------------------------------------------------------------------


def _check_gps(value: str) -> str:
    parse_gps(value)
    return value.strip()


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value.strip()


def _check_decimal(value: str) -> str:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("must be a decimal number as a string, e.g. '499.00'") from None
    if not number.is_finite():
        raise ValueError("must be a finite decimal number")
    return str(value).strip()


def _number_to_str(value: Any) -> Any:
    # Prices arrive as "499" per the spec, but some buyer apps send 499: accept both.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _timestamp_text(value: Any) -> Any:
    # RFC 3339 text only: pydantic would also take a number as Unix time.
    if not isinstance(value, str | datetime):
        raise ValueError("must be an RFC 3339 date-time string, e.g. 2031-03-03T04:30:00.000Z")
    return value


# An RFC 3339 date-time with its offset ("...Z" or "+05:30"); a naive one is refused.
Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp_text)]
Str = Annotated[str, Field(max_length=2000)]
Id = Annotated[str, Field(min_length=1, max_length=255)]
GpsStr = Annotated[str, Field(max_length=100), AfterValidator(_check_gps)]
DurationStr = Annotated[str, Field(max_length=40), AfterValidator(_check_duration)]
DecimalStr = Annotated[
    str, BeforeValidator(_number_to_str), Field(max_length=40), AfterValidator(_check_decimal)
]
OrderStatus = Annotated[str, AfterValidator(normalize_order_status)]
RatingCategory = Annotated[
    str, AfterValidator(_enum_normalizer(RATING_CATEGORIES, "rating_category"))
]


# --- base model and shared objects -----------------------------------------------------------


class OndcModel(BaseModel):
    """Base: unknown fields allowed and kept (model.model_extra), names as in the spec."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, str_max_length=100_000)


class Descriptor(OndcModel):
    name: Str | None = None
    code: Str | None = None
    short_desc: Str | None = None
    long_desc: Str | None = None


class Tag(OndcModel):
    descriptor: Descriptor | None = None
    value: Str | None = None
    display: bool | None = None

    @property
    def code(self) -> str:
        return (self.descriptor.code or "") if self.descriptor else ""


class TagGroup(OndcModel):
    descriptor: Descriptor | None = None
    display: bool | None = None
    list: builtins.list[Tag] = Field(default_factory=builtins.list)

    @property
    def code(self) -> str:
        return (self.descriptor.code or "") if self.descriptor else ""

    def value(self, code: str) -> str | None:
        """The value of the tag `code` in this group (case-insensitive), or None."""
        for tag in self.list:
            if tag.code.lower() == code.lower():
                return tag.value
        return None


def tag_value(groups: list[TagGroup] | None, group: str, code: str) -> str | None:
    """tag_value(intent.tags, "BAP_Terms", "finder_fee_amount") -> "3" or None."""
    for tag_group in groups or []:
        if tag_group.code.lower() == group.lower():
            return tag_group.value(code)
    return None


class City(OndcModel):
    name: Str | None = None
    code: Str | None = None


class Country(OndcModel):
    name: Str | None = None
    code: Str | None = None


class State(OndcModel):
    name: Str | None = None
    code: Str | None = None


class Circle(OndcModel):
    gps: GpsStr | None = None
    radius: dict[str, Any] | None = None


class Location(OndcModel):
    id: Id | None = None
    descriptor: Descriptor | None = None
    gps: GpsStr | None = None
    address: Str | None = None
    area_code: Str | None = None
    city: City | None = None
    country: Country | None = None
    state: State | None = None
    circle: Circle | None = None

    @property
    def point(self) -> GeoPoint | None:
        return parse_gps(self.gps) if self.gps else None


class TimeRange(OndcModel):
    start: Timestamp
    end: Timestamp

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError("time range end must be after start")
        return self


class Schedule(OndcModel):
    frequency: DurationStr | None = None
    holidays: list[Str] | None = None
    times: list[Str] | None = None


class Time(OndcModel):
    label: Str | None = None
    timestamp: Timestamp | None = None
    duration: DurationStr | None = None
    range: TimeRange | None = None
    days: Str | None = None
    schedule: Schedule | None = None


class Contact(OndcModel):
    phone: Str | None = None
    email: Str | None = None


class Person(OndcModel):
    name: Str | None = None


class Authorization(OndcModel):
    type: Str | None = None
    token: Str | None = None
    valid_from: Timestamp | None = None
    valid_to: Timestamp | None = None
    status: Str | None = None


class Stop(OndcModel):
    id: Id | None = None
    type: Str | None = None
    location: Location | None = None
    time: Time | None = None
    contact: Contact | None = None
    person: Person | None = None
    instructions: Descriptor | None = None
    authorization: Authorization | None = None


class FulfillmentState(OndcModel):
    descriptor: Descriptor | None = None


class Fulfillment(OndcModel):
    id: Id | None = None
    type: Str | None = None
    state: FulfillmentState | None = None
    tracking: bool | None = None
    stops: list[Stop] | None = None
    rateable: bool | None = None
    tags: list[TagGroup] | None = None

    def stop(self, stop_type: str = "end") -> Stop | None:
        """The first stop of that type ("end" = the customer's place for a home service)."""
        for stop in self.stops or []:
            if (stop.type or "").lower() == stop_type:
                return stop
        return None


class Price(OndcModel):
    currency: Str | None = None
    value: DecimalStr | None = None


class RequiredPrice(Price):
    currency: Str
    value: DecimalStr


class Measure(OndcModel):
    unit: Str | None = None
    value: DecimalStr | None = None


class QuantityCount(OndcModel):
    count: Annotated[int, Field(ge=0, le=10_000)] | None = None
    measure: dict[str, Any] | None = None


class RequiredCount(QuantityCount):
    count: Annotated[int, Field(ge=1, le=10_000)]


class ItemQuantity(OndcModel):
    selected: QuantityCount | None = None


class Category(OndcModel):
    id: Id | None = None
    descriptor: Descriptor | None = None


class Item(OndcModel):
    id: Id | None = None
    parent_item_id: Id | None = None
    descriptor: Descriptor | None = None
    category_ids: list[Id] | None = None
    location_ids: list[Id] | None = None
    fulfillment_ids: list[Id] | None = None
    payment_ids: list[Id] | None = None
    quantity: ItemQuantity | None = None
    price: Price | None = None
    tags: list[TagGroup] | None = None


class ProviderRef(OndcModel):
    id: Id
    locations: list[Location] | None = None


class Payment(OndcModel):
    id: Id | None = None
    type: Str | None = None
    collected_by: Str | None = None
    status: Str | None = None
    params: dict[str, Any] | None = None
    tags: list[TagGroup] | None = None


class Billing(OndcModel):
    name: Str | None = None
    address: Str | None = None
    state: State | None = None
    city: City | None = None
    email: Str | None = None
    phone: Str | None = None
    tax_id: Str | None = None


class BreakupLine(OndcModel):
    title: Str | None = None
    price: Price | None = None
    item: Item | None = None
    tags: list[TagGroup] | None = None


class Quote(OndcModel):
    price: Price | None = None
    breakup: list[BreakupLine] | None = None
    ttl: DurationStr | None = None


class CancellationTerm(OndcModel):
    fulfillment_state: FulfillmentState | None = None
    reason_required: bool | None = None
    cancel_by: Time | None = None
    cancellation_fee: dict[str, Any] | None = None
