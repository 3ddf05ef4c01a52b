"""Parsing and validating the query string of GET /api/v1/search.

Every problem becomes a DomainError naming its field; all are reported at once.
"""

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sevamitra.catalog.matching import match_category, suggest_categories
from sevamitra.catalog.models import Category
from sevamitra.core.errors import DomainError, FieldErrors
from sevamitra.geo import pincodes

# India's extent, with a margin: a point outside cannot be served by any Sevamitra.
INDIA_LAT = (6.0, 37.5)
INDIA_LNG = (68.0, 97.5)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    category: Category
    lat: float
    lng: float
    pincode: str | None
    start: dt.datetime
    end: dt.datetime
    limit: int
    offset: int


def _parse_category(q: str | None) -> Category:
    if not q or not q.strip():
        raise DomainError(_("Say which service you need."), code="required", field="q")
    category = match_category(q)
    if category is None:
        suggestions = suggest_categories(q)
        raise DomainError(
            _("We do not know the service “%(q)s”.") % {"q": q.strip()[:60]},
            code="unknown_category",
            field="q",
            extra={
                "suggestions": [
                    {"slug": c.slug, "name": c.name, "name_en": c.name_en, "name_hi": c.name_hi}
                    for c in suggestions
                ]
            },
        )
    return category


def _parse_float(raw: str, field: str) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise DomainError(
            _("%(field)s must be a number in decimal degrees.") % {"field": field},
            code="invalid_coordinates",
            field=field,
        )
    return value


def _parse_point(params: Mapping[str, str]) -> tuple[float, float, str | None]:
    raw_lat, raw_lng = params.get("lat"), params.get("lng")
    raw_pin = (params.get("pincode") or "").strip() or None
    pin_info = None
    if raw_pin is not None:
        if not pincodes.is_well_formed(raw_pin):
            raise DomainError(
                _("A pincode has 6 digits and does not start with 0."),
                code="invalid_pincode",
                field="pincode",
            )
        pin_info = pincodes.pincode_info(raw_pin)
        if pin_info is None:
            raise DomainError(
                _("There is no pincode %(pincode)s.") % {"pincode": raw_pin},
                code="unknown_pincode",
                field="pincode",
            )
    if raw_lat is None and raw_lng is None:
        if pin_info is None:
            raise DomainError(
                _("Give a location: lat and lng, or a pincode."),
                code="location_required",
                field="lat",
            )
        return pin_info.lat, pin_info.lng, pin_info.pincode
    if raw_lat is None or raw_lng is None:
        missing = "lng" if raw_lng is None else "lat"
        raise DomainError(_("Give both lat and lng."), code="invalid_coordinates", field=missing)
    lat, lng = _parse_float(raw_lat, "lat"), _parse_float(raw_lng, "lng")
    if not (-90 <= lat <= 90):
        raise DomainError(
            _("lat must be between -90 and 90."), code="invalid_coordinates", field="lat"
        )
    if not (-180 <= lng <= 180):
        raise DomainError(
            _("lng must be between -180 and 180."), code="invalid_coordinates", field="lng"
        )
    if not (INDIA_LAT[0] <= lat <= INDIA_LAT[1] and INDIA_LNG[0] <= lng <= INDIA_LNG[1]):
        raise DomainError(
            _("This location is outside India."), code="invalid_coordinates", field="lat"
        )
    if pin_info is not None:
        return lat, lng, pin_info.pincode
    return lat, lng, pincodes.nearest_pincode(lat, lng)


_LOST_PLUS = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+) (\d\d:?\d\d)$")


def parse_local_datetime(raw: str) -> dt.datetime | None:
    """An ISO 8601 date and time, read as India time when it has no offset; None when it is
    not one (or lies outside what a datetime can hold). Shared by every API that takes times.
    """
    # An unencoded "+05:30" in a query string arrives as " 05:30": read it as meant.
    text = _LOST_PLUS.sub(r"\1+\2", raw.strip())
    try:
        value = parse_datetime(text)
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)  # must also exist in UTC
    except (ValueError, OverflowError):
        return None
    return value


def _parse_time(raw: str | None, field: str) -> dt.datetime:
    if not raw:
        raise DomainError(
            _("Give the %(field)s time.") % {"field": field}, code="required", field=field
        )
    value = parse_local_datetime(raw)
    if value is None:
        raise DomainError(
            _("%(field)s must be a date and time in ISO 8601, like 2026-12-01T18:00:00+05:30.")
            % {"field": field},
            code="invalid_datetime",
            field=field,
        )
    return value


def _parse_int(raw: str | None, field: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise DomainError(
            _("%(field)s must be a whole number from %(low)d to %(high)d.")
            % {"field": field, "low": low, "high": high},
            code="invalid_number",
            field=field,
        )
    return value


def slot_errors(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list[DomainError]:
    """Everything wrong with a slot's times (order, past, length, horizon): the one rule set
    search, quotes and bookings share."""
    errors = []
    if end <= start:
        errors.append(
            DomainError(_("The end must be after the start."), code="end_before_start", field="end")
        )
    elif end - start > dt.timedelta(hours=settings.SEARCH_MAX_SLOT_HOURS):
        errors.append(
            DomainError(
                _("A slot can be at most %(hours)d hours; for longer work book a series.")
                % {"hours": settings.SEARCH_MAX_SLOT_HOURS},
                code="slot_too_long",
                field="end",
            )
        )
    if start < now:
        errors.append(
            DomainError(_("This time is in the past."), code="slot_in_past", field="start")
        )
    horizon = now + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)
    if end > horizon:
        errors.append(
            DomainError(
                _("You can book at most %(days)d days ahead.")
                % {"days": settings.SEARCH_MAX_DAYS_AHEAD},
                code="slot_too_far",
                field="start" if start > horizon else "end",
            )
        )
    return errors


def parse_search_params(params: Mapping[str, str], *, now: dt.datetime) -> SearchQuery:
    errors: list[DomainError] = []

    def attempt(fn, *args):  # type: ignore[no-untyped-def]
        try:
            return fn(*args)
        except DomainError as exc:
            errors.append(exc)
            return None

    category = attempt(_parse_category, params.get("q"))
    point = attempt(_parse_point, params)
    start = attempt(_parse_time, params.get("start"), "start")
    end = attempt(_parse_time, params.get("end"), "end")
    limit = attempt(
        _parse_int,
        params.get("limit"),
        "limit",
        settings.SEARCH_PAGE_SIZE,
        1,
        settings.SEARCH_MAX_PAGE_SIZE,
    )
    offset = attempt(_parse_int, params.get("offset"), "offset", 0, 0, 1000)
    if start is not None and end is not None:
        errors.extend(slot_errors(start, end, now))
    if errors:
        raise FieldErrors(errors)
    assert category is not None and point is not None and start is not None and end is not None
    return SearchQuery(
        category=category,
        lat=point[0],
        lng=point[1],
        pincode=point[2],
        start=start,
        end=end,
        limit=limit,
        offset=offset,
    )
