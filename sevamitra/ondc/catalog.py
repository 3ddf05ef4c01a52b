"""Providers → the on_search catalog (ONDC:SRV11 2.0.0). Read-only: no business rule lives here.

Who is found is decided by our search: with a slot, `search.selectors.search_offers` (the one
query of the portal: verified, active, on duty, not on leave, free on the one calendar, police
verification where the category needs it, covering the point by radius or pincode). Without a
slot, `_offers_covering` applies the same cover and eligibility rules without the calendar.

Identifiers (stable; the orders handlers parse them with `parse_provider_id`/`parse_item_id`):
- provider   "P<Provider.pk>"      e.g. "P42"
- item       "I<Offer.pk>"         e.g. "I317"  (one item per category a provider offers)
- location   "L<Provider.pk>"      the provider's service centre (see privacy below)
- fulfillment "F1" = Home-Service (catalog level), payment "PAY1" = ON-FULFILLMENT collected
  by the BPP (the customer pays the provider after the visit: cash or UPI; nothing is taken
  in advance).

Categories: `category_code(category)` is `Category.ondc_category_code`, or — for services
ONDC has no code for yet (dog walker, babysitter, caregiver, driver, event planner, cook, …) —
our own slug (e.g. "dog-walker"), published with our own descriptor. A buyer app may search
by either; "SRV11-*" (or no category) means every active category. The code is a per-category
setting (admin → Catalogue), so when ONDC publishes a code only the setting changes.

The search (handlers/search.py) may narrow by:
- category: intent.category.id (code or slug; unknown → empty catalog);
- fulfillment: intent.fulfillment.type, when given, must be "Home-Service" (else empty);
- item: intent.item.id ("I<pk>") or intent.item.descriptor.name (free text in English, Hindi
  or Hinglish, matched by catalog.matching like the portal's search box);
- provider: intent.provider.id ("P<pk>");
- place: the end stop's gps (required by the SRV11 attributes: a search without it is refused
  by the schema, 30000) and area_code (pincode; served-pincode lists count too);
- schedule: the end stop's time.range — only providers free for that whole slot; a slot that
  breaks the portal's slot rules (past, too long, too far ahead) → 90001 with the reason.

Bounded: at most settings.ONDC_SEARCH_MAX_PROVIDERS providers, nearest first (then best
rated), each with all its matching items. ONDC:SRV11 2.0.0 defines no pagination for
on_search, so the catalog is trimmed; buyer apps narrow by category, place or slot.

Mapping (what a buyer app sees):
- provider: descriptor (name in Latin letters, Hindi name in brackets when short; photo as
  images[] when the provider has one), rating (average, when rated), locations[one], time
  (validity = bookable horizon; days = ISO weekdays with working hours; schedule.frequency =
  PT30M, our slot step; holidays = leave days), a "timing" tag group per run of weekdays with
  the same hours (day_from/day_to 1=Mon..7=Sun, time_from/time_to HHMM local time, "2359" for
  midnight), "serviceability" tag groups per category (type 10: radius km around the centre;
  type 11: the listed pincodes), creds (verification; see `provider_creds`).
- item: descriptor (English name with the Hindi name), price.value = the provider's own price
  per unit; with a slot, price.computed_value = the total for that slot (price × quantity +
  visiting charge + GST when registered); a "pricing" tag group (unit, unit_price,
  visiting_charge, gst_percent, platform_fee 0.00: zero commission); quantity.unitized.measure
  = the pricing unit; cancellation_terms and a "reschedule_terms" tag from the provider's own
  terms (see `cancellation_terms`).
- privacy: a provider's home is the centre of the service area, so the published gps is
  rounded to 2 decimals (about 1 km) and no street address is given; the booking engine checks
  the exact coverage at select.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import (
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone, translation

from sevamitra.bookings.pricing import quote_for_slot
from sevamitra.catalog.matching import match_category
from sevamitra.catalog.models import Category, PricingUnit
from sevamitra.geo import pincodes
from sevamitra.providers.models import (
    Document,
    DocumentKind,
    Leave,
    Offer,
    Provider,
    ServicePincode,
    WeeklyWindow,
)
from sevamitra.search import selectors as search_selectors
from sevamitra.search.params import INDIA_LAT, INDIA_LNG, SearchQuery, slot_errors

from . import errors
from .schemas import SearchRequest, format_duration, format_timestamp

ALL_CATEGORIES = "SRV11-*"
FULFILLMENT_ID = "F1"
FULFILLMENT_TYPE = "Home-Service"
PAYMENT_ID = "PAY1"
PAYMENT_TYPE = "ON-FULFILLMENT"
SLOT_STEP = "PT30M"  # bookings.calendar.STEP
CURRENCY = "INR"
GST_PERCENT = "18"
CATALOG_NAME = "Sevamitra"
CATALOG_SHORT_DESC = "Verified local workers of the Labour Department, Uttar Pradesh"
CATALOG_LONG_DESC = (
    "Electricians, plumbers, cooks, babysitters, caregivers and more, verified by the "
    "state's Labour Department. Each Sevamitra sets their own price and terms; the portal "
    "adds no fee."
)
MAX_NAME_CHARS = 60
UNIT_NAMES = {
    PricingUnit.VISIT: "per visit",
    PricingUnit.HOUR: "per hour",
    PricingUnit.DAY: "per day",
    PricingUnit.MONTH: "per month",
    PricingUnit.EVENT: "per event",
}

# --- identifiers -----------------------------------------------------------------------------


def provider_id(provider: Provider | int) -> str:
    return f"P{provider if isinstance(provider, int) else provider.pk}"


def item_id(offer: Offer | int) -> str:
    return f"I{offer if isinstance(offer, int) else offer.pk}"


def location_id(provider: Provider | int) -> str:
    return f"L{provider if isinstance(provider, int) else provider.pk}"


def _parse(value: object, prefix: str) -> int | None:
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    digits = value[len(prefix) :]
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18 or digits[0] == "0":
        return None
    return int(digits)


def parse_provider_id(value: object) -> int | None:
    """'P42' -> 42; anything else (None, 'p42', 'P042', 'P', 'Px') -> None."""
    return _parse(value, "P")


def parse_item_id(value: object) -> int | None:
    """'I317' -> 317 (an Offer pk); anything else -> None."""
    return _parse(value, "I")


def parse_location_id(value: object) -> int | None:
    """'L42' -> 42 (a Provider pk); anything else -> None."""
    return _parse(value, "L")


def category_code(category: Category) -> str:
    """The category id we publish: the ONDC code, or our own slug where ONDC has none yet."""
    return category.ondc_category_code.strip() or category.slug


def categories_for_code(code: str) -> list[Category]:
    """Active categories published under `code` (an ONDC code or our slug); [] when unknown."""
    code = (code or "").strip()
    active = Category.objects.filter(is_active=True)
    if code in ("", ALL_CATEGORIES, "*"):
        return list(active)
    return [c for c in active if code in (category_code(c), c.ondc_category_code, c.slug)]


# --- the query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogQuery:
    categories: list[Category]
    lat: float
    lng: float
    pincode: str | None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    provider_pk: int | None = None
    offer_pk: int | None = None
    city_code: str = ""
    limit: int = 0  # 0 → settings.ONDC_SEARCH_MAX_PROVIDERS


@dataclass
class ProviderHit:
    provider: Provider
    distance_km: float
    offers: list[Offer] = field(default_factory=list)


def query_from_search(parsed: SearchRequest, *, now: dt.datetime) -> CatalogQuery | None:
    """A validated search request (schemas.SearchRequest) → what to look for; None when
    nothing can match (unknown category or item, place outside India). OndcError 90001 for a
    slot that breaks the slot rules."""
    intent = parsed.message.intent
    categories = categories_for_code(intent.category.id if intent.category else "")
    offer_pk = provider_pk = None
    if intent.item is not None:
        if intent.item.id:
            offer_pk = parse_item_id(intent.item.id)
            if offer_pk is None:
                return None
            offer = Offer.objects.filter(pk=offer_pk).select_related("category").first()
            if offer is None:
                return None
            categories = [c for c in categories if c.pk == offer.category_id]
        elif intent.item.descriptor and intent.item.descriptor.name:
            matched = match_category(intent.item.descriptor.name)
            categories = [c for c in categories if matched is not None and c.pk == matched.pk]
    if intent.provider and intent.provider.get("id"):
        provider_pk = parse_provider_id(intent.provider.get("id"))
        if provider_pk is None:
            return None
    wanted = (intent.fulfillment.type or FULFILLMENT_TYPE).strip().lower()
    if not categories or wanted != FULFILLMENT_TYPE.lower():
        return None  # we only come to the customer's place

    stop = intent.fulfillment.stop("end")
    stops = intent.fulfillment.stops
    point = stop.location.point
    assert point is not None  # the schema requires gps
    if not (
        INDIA_LAT[0] <= point.lat <= INDIA_LAT[1] and INDIA_LNG[0] <= point.lon <= INDIA_LNG[1]
    ):
        return None
    area_code = (stop.location.area_code or "").strip()
    pincode = None
    if pincodes.is_well_formed(area_code) and pincodes.pincode_info(area_code) is not None:
        pincode = area_code
    else:
        pincode = pincodes.nearest_pincode(point.lat, point.lon)

    start = end = None
    if stop.time is not None:
        start, end = stop.time.range.start, stop.time.range.end
        with translation.override("en"):  # the network's language
            problems = [str(p.message) for p in slot_errors(start, end, now)]
        if problems:
            raise errors.OndcError(
                errors.SCHEDULE_NOT_AVAILABLE,
                " ".join(problems),
                type=errors.DOMAIN_ERROR,
                path=f"message.intent.fulfillment.stops[{stops.index(stop)}].time.range",
            )
    city = parsed.context.location.city.code
    return CatalogQuery(
        categories=categories,
        lat=point.lat,
        lng=point.lon,
        pincode=pincode,
        start=start,
        end=end,
        provider_pk=provider_pk,
        offer_pk=offer_pk,
        city_code="" if city == "*" else city,
    )


def _offers_covering(query: CatalogQuery, *, now: dt.datetime) -> QuerySet[Offer]:
    """Offers of these categories whose provider is bookable and covers the point, without a
    slot: search's own cover rule and eligibility (police verification valid today)."""
    return search_selectors.offers_covering(
        categories=query.categories,
        lat=query.lat,
        lng=query.lng,
        pincode=query.pincode,
        police_valid_on=timezone.localdate(now),
    ).select_related("category")


def _narrow(offers: QuerySet[Offer], query: CatalogQuery) -> QuerySet[Offer]:
    if query.offer_pk is not None:
        offers = offers.filter(pk=query.offer_pk)
    if query.provider_pk is not None:
        offers = offers.filter(provider_id=query.provider_pk)
    return offers


def find_providers(query: CatalogQuery, *, now: dt.datetime) -> list[ProviderHit]:
    """The nearest providers (at most the limit) with their matching offers, nearest first."""
    limit = query.limit or settings.ONDC_SEARCH_MAX_PROVIDERS
    rows: list[Offer] = []
    if query.start is not None and query.end is not None:
        # Availability is search's: one search_offers per category, each trimmed to `limit`
        # (a provider among the `limit` nearest overall is among the `limit` nearest of each
        # of its categories, so nothing that should show is lost).
        for category in query.categories:
            search_query = SearchQuery(
                category=category,
                lat=query.lat,
                lng=query.lng,
                pincode=query.pincode,
                start=query.start,
                end=query.end,
                limit=limit,
                offset=0,
            )
            offers = _narrow(search_selectors.search_offers(search_query, now=now), query)
            rows.extend(offers.select_related("category")[:limit])
    else:
        offers = _narrow(_offers_covering(query, now=now), query)
        rows.extend(offers[: limit * len(query.categories)])

    rows.sort(key=lambda o: (o.distance2, -o.provider.rating_avg, o.provider_id))  # type: ignore[attr-defined]
    hits: dict[int, ProviderHit] = {}
    for offer in rows:
        hit = hits.get(offer.provider_id)
        if hit is None:
            if len(hits) == limit:
                continue
            hit = hits[offer.provider_id] = ProviderHit(
                provider=offer.provider,
                distance_km=math.sqrt(max(offer.distance2, 0.0)),  # type: ignore[attr-defined]
            )
        offer.provider = hit.provider  # one instance per provider (prefetched below)
        hit.offers.append(offer)
    for hit in hits.values():
        hit.offers.sort(key=lambda o: (o.category.sort_order, o.category.name_en))
    _prefetch([hit.provider for hit in hits.values()], now=now)
    return list(hits.values())


def _prefetch(providers: list[Provider], *, now: dt.datetime) -> None:
    """Working hours, leave in the horizon, served pincodes and valid police verification of
    the page's providers: four queries whatever the page size."""
    if not providers:
        return
    today = timezone.localdate(now)
    horizon_end = today + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)
    prefetch_related_objects(
        providers,
        Prefetch(
            "weekly_windows",
            queryset=WeeklyWindow.objects.order_by("weekday", "start_minute"),
            to_attr="ondc_windows",
        ),
        Prefetch(
            "leaves",
            queryset=Leave.objects.filter(ends_on__gte=today, starts_on__lte=horizon_end),
            to_attr="ondc_leaves",
        ),
        Prefetch(
            "service_pincodes",
            queryset=ServicePincode.objects.order_by("pincode"),
            to_attr="ondc_pincodes",
        ),
        Prefetch(
            "documents",
            queryset=Document.objects.filter(
                kind=DocumentKind.POLICE_VERIFICATION, expires_on__gte=today
            ).order_by("-expires_on"),
            to_attr="ondc_police",
        ),
    )


# --- building the catalog --------------------------------------------------------------------


def _tag_group(
    code: str, values: Iterable[tuple[str, str]], *, display: bool | None = None
) -> dict:
    group: dict = {"descriptor": {"code": code}}
    if display is not None:
        group["display"] = display
    group["list"] = [{"descriptor": {"code": k}, "value": v} for k, v in values]
    return group


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _both_names(english: str, hindi: str) -> str:
    """ "Electrician (इलेक्ट्रीशियन)"; English alone when the pair would be long or the same."""
    english, hindi = english.strip(), hindi.strip()
    if not hindi or hindi == english:
        return english
    both = f"{english} ({hindi})"
    return both if len(both) <= MAX_NAME_CHARS else english


def _site_origin() -> str:
    parts = urlsplit(settings.ONDC_SUBSCRIBER_URL or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def provider_badge_url(provider: Provider) -> str | None:
    """Where a buyer app can check the provider's verification badge.

    THE PLACE FOR THE TRUST ISSUE: return the public badge/verification URL here once it
    exists; until then None (the cred is published without a url).
    """
    return None


def provider_creds(provider: Provider) -> list[dict]:
    """Credentials a buyer app can show: the department's verification (always: only verified
    providers are published) and a valid police verification (with its expiry date)."""
    verified = {
        "id": f"SEVAMITRA-VERIFIED-{provider_id(provider)}",
        "type": "Verification",
        "desc": "Verified by the Labour Department, Government of Uttar Pradesh",
    }
    badge = provider_badge_url(provider)
    if badge:
        verified["url"] = badge
    creds = [verified]
    police = getattr(provider, "ondc_police", None)
    if police:
        creds.append(
            {
                "id": f"SEVAMITRA-POLICE-{provider_id(provider)}",
                "type": "PoliceVerification",
                "desc": f"Police verification valid until {police[0].expires_on:%d/%m/%Y}",
            }
        )
    return creds


def _hhmm(minute: int) -> str:
    if minute >= 24 * 60:
        return "2359"
    return f"{minute // 60:02d}{minute % 60:02d}"


def timing_runs(windows: Iterable[WeeklyWindow]) -> list[tuple[int, int, int, int]]:
    """Weekly windows → (day_from, day_to, start_minute, end_minute) runs, ISO days 1..7:
    consecutive weekdays with exactly the same window are one run."""
    by_span: dict[tuple[int, int], list[int]] = defaultdict(list)
    for window in windows:
        by_span[(window.start_minute, window.end_minute)].append(window.weekday + 1)
    runs = []
    for (start, end), days in by_span.items():
        days.sort()
        first = prev = days[0]
        for day in days[1:]:
            if day != prev + 1:
                runs.append((first, prev, start, end))
                first = day
            prev = day
        runs.append((first, prev, start, end))
    return sorted(runs)


def provider_time(provider: Provider, *, now: dt.datetime) -> dict:
    """The provider's schedule: validity = the bookable horizon, days with working hours,
    the slot step, and leave days as holidays."""
    today = timezone.localdate(now)
    horizon_end = today + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)
    windows = getattr(provider, "ondc_windows", None)
    if windows is None:
        windows = list(provider.weekly_windows.order_by("weekday", "start_minute"))
    leaves = getattr(provider, "ondc_leaves", None)
    if leaves is None:
        leaves = list(provider.leaves.filter(ends_on__gte=today, starts_on__lte=horizon_end))
    holidays: set[dt.date] = set()
    for leave in leaves:
        day = max(leave.starts_on, today)
        while day <= min(leave.ends_on, horizon_end):
            holidays.add(day)
            day += dt.timedelta(days=1)

    def midnight(day: dt.date) -> str:
        return format_timestamp(timezone.make_aware(dt.datetime.combine(day, dt.time())))

    return {
        "label": "validity",
        "range": {"start": midnight(today), "end": midnight(horizon_end)},
        "days": ",".join(str(d) for d in sorted({w.weekday + 1 for w in windows})),
        "schedule": {
            "frequency": SLOT_STEP,
            "holidays": [f"{d:%Y-%m-%d}" for d in sorted(holidays)],
        },
    }


def cancellation_terms(provider: Provider) -> list[dict]:
    """The provider's own terms (as bookings.pricing.cancellation_fee_due applies them): free
    up to `free_cancellation_hours` before the start, the provider's fee after that.

    Pending: free with cancel_by = that many hours before the start, then the fee;
    In-Transit / At-Location (the visit is about to start): the fee. With a zero fee every
    state is free.
    """
    fee = provider.cancellation_fee

    def term(state: str, amount: Decimal, cancel_by_hours: int | None = None) -> dict:
        item: dict = {"fulfillment_state": {"descriptor": {"code": state}}}
        if cancel_by_hours is not None:
            item["cancel_by"] = {"duration": format_duration(dt.timedelta(hours=cancel_by_hours))}
        item["cancellation_fee"] = {"amount": {"currency": CURRENCY, "value": _money(amount)}}
        item["reason_required"] = False
        return item

    if fee <= 0:
        return [term(state, Decimal(0)) for state in ("Pending", "In-Transit", "At-Location")]
    return [
        term("Pending", Decimal(0), provider.free_cancellation_hours),
        term("Pending", fee),
        term("In-Transit", fee),
        term("At-Location", fee),
    ]


def reschedule_terms() -> dict:
    """Our booking engine moves a booking free of charge any time before the visit starts
    (bookings.services.booking_reschedule): reschedule_within PT0S = up to the start."""
    return _tag_group(
        "reschedule_terms",
        [
            ("fulfillment_state", "Pending"),
            ("reschedule_eligible", "true"),
            ("reschedule_fee", "0.00"),
            ("reschedule_within", "PT0S"),
        ],
    )


def serviceability_tags(provider: Provider, offers: list[Offer]) -> list[dict]:
    """Per offered category: type 10 (radius in km around the centre) and/or type 11 (pincodes)."""
    pins = getattr(provider, "ondc_pincodes", None)
    if pins is None:
        pins = list(provider.service_pincodes.order_by("pincode"))
    pin_list = ",".join(p.pincode for p in pins)
    groups = []
    for code in dict.fromkeys(category_code(o.category) for o in offers):
        if provider.service_radius_km > 0:
            groups.append(
                _tag_group(
                    "serviceability",
                    [
                        ("location", location_id(provider)),
                        ("category", code),
                        ("type", "10"),
                        ("val", str(provider.service_radius_km)),
                        ("unit", "km"),
                    ],
                )
            )
        if pin_list:
            groups.append(
                _tag_group(
                    "serviceability",
                    [
                        ("location", location_id(provider)),
                        ("category", code),
                        ("type", "11"),
                        ("val", pin_list),
                        ("unit", "pincode"),
                    ],
                )
            )
    return groups


def _location(provider: Provider, city_code: str) -> dict:
    lat, lng = round(provider.home_lat, 2), round(provider.home_lng, 2)
    city: dict = {"name": provider.district.name_en}
    if city_code:
        city["code"] = city_code
    location = {"id": location_id(provider), "gps": f"{lat:.2f},{lng:.2f}"}
    pin = pincodes.nearest_pincode(provider.home_lat, provider.home_lng)
    if pin:
        location["area_code"] = pin
    location.update(
        {
            "city": city,
            "state": {"name": provider.district.state.title()},
            "country": {"code": "IND"},
        }
    )
    return location


def item_for(offer: Offer, *, start: dt.datetime | None, end: dt.datetime | None) -> dict:
    category, provider = offer.category, offer.provider
    unit = category.pricing_unit
    gst = bool(provider.gstin)
    price: dict = {"currency": CURRENCY, "value": _money(offer.price)}
    if start is not None and end is not None:
        quote = quote_for_slot(
            unit=unit,
            unit_price=offer.price.quantize(Decimal("0.01")),
            visiting_charge=offer.visiting_charge.quantize(Decimal("0.01")),
            gst_registered=gst,
            start=start,
            end=end,
        )
        price["computed_value"] = _money(quote.total)
    short = f"₹{_money(offer.price)} {UNIT_NAMES.get(unit, unit)}"
    if offer.visiting_charge > 0:
        short += f" + ₹{_money(offer.visiting_charge)} visiting charge"
    if gst:
        short += " + 18% GST"
    descriptor = {
        "name": _both_names(category.name_en, category.name_hi),
        "code": category_code(category),
        "short_desc": short,
    }
    if provider.terms_included.strip():
        descriptor["long_desc"] = provider.terms_included.strip()[:1000]
    return {
        "id": item_id(offer),
        "descriptor": descriptor,
        "price": price,
        "quantity": {"unitized": {"measure": {"unit": unit, "value": "1"}}},
        "category_ids": [category_code(category)],
        "fulfillment_ids": [FULFILLMENT_ID],
        "location_ids": [location_id(provider)],
        "payment_ids": [PAYMENT_ID],
        "cancellation_terms": cancellation_terms(provider),
        "tags": [
            reschedule_terms(),
            _tag_group(
                "pricing",
                [
                    ("unit", unit),
                    ("unit_price", _money(offer.price)),
                    ("visiting_charge", _money(offer.visiting_charge)),
                    ("gst_percent", GST_PERCENT if gst else "0"),
                    ("platform_fee", "0.00"),
                ],
            ),
        ],
        "rateable": True,
    }


def provider_for(hit: ProviderHit, query: CatalogQuery, *, now: dt.datetime) -> dict:
    provider = hit.provider
    short = f"Sevamitra in {provider.district.name_en}"
    years = provider.experience_years
    if years:
        short += f", {years} year{'s' if years > 1 else ''} of experience"
    descriptor: dict = {
        "name": _both_names(provider.name_latin, provider.name_hi),
        "short_desc": short,
    }
    origin = _site_origin()
    if provider.photo and origin:
        path = reverse("providers:photo", kwargs={"provider_id": provider.pk})
        descriptor["images"] = [{"url": origin + path}]
    data: dict = {"id": provider_id(provider), "descriptor": descriptor}
    if provider.rating_count:
        data["rating"] = f"{provider.rating_avg:.1f}"
    windows = getattr(provider, "ondc_windows", None)
    if windows is None:
        windows = list(provider.weekly_windows.order_by("weekday", "start_minute"))
    timing = [
        _tag_group(
            "timing",
            [
                ("type", "All"),
                ("location", location_id(provider)),
                ("day_from", str(day_from)),
                ("day_to", str(day_to)),
                ("time_from", _hhmm(start)),
                ("time_to", _hhmm(end)),
            ],
        )
        for day_from, day_to, start, end in timing_runs(windows)
    ]
    data.update(
        {
            "locations": [_location(provider, query.city_code)],
            "time": provider_time(provider, now=now),
            "creds": provider_creds(provider),
            "tags": serviceability_tags(provider, hit.offers) + timing,
            "items": [item_for(o, start=query.start, end=query.end) for o in hit.offers],
        }
    )
    return data


def build_catalog(query: CatalogQuery | None, hits: list[ProviderHit], *, now: dt.datetime) -> dict:
    """The on_search `message`: {"catalog": {...}} with the providers found (maybe none)."""
    return {
        "catalog": {
            "descriptor": {
                "name": CATALOG_NAME,
                "short_desc": CATALOG_SHORT_DESC,
                "long_desc": CATALOG_LONG_DESC,
            },
            "fulfillments": [{"id": FULFILLMENT_ID, "type": FULFILLMENT_TYPE}],
            "payments": [{"id": PAYMENT_ID, "type": PAYMENT_TYPE, "collected_by": "BPP"}],
            "providers": [provider_for(hit, query, now=now) for hit in hits] if query else [],
        }
    }


def catalog_for_search(parsed: SearchRequest, *, now: dt.datetime | None = None) -> dict:
    """A validated search request → the on_search message (the search handler's one call)."""
    now = now or timezone.now()
    query = query_from_search(parsed, now=now)
    hits = find_providers(query, now=now) if query is not None else []
    return build_catalog(query, hits, now=now)
