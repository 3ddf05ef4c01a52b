"""Search: which verified providers can come to this point for this whole slot.

One SQL query. Candidate offers come from the index on (category, lat, lng) within a
bounding box of the largest allowed service radius; the rest are correlated EXISTS tests
on small indexed tables. Distance is the equirectangular approximation, exact to well under
0.1% at these distances and plain arithmetic, so SQLite and PostgreSQL compute (and order)
identically. See docs/adr/0002-search.md.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet
from django.utils import timezone

from sevamitra.providers.models import (
    CalendarBlock,
    Document,
    DocumentKind,
    Leave,
    Offer,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)
from sevamitra.providers.pricing import SlotQuote, quote_slot
from sevamitra.search.params import SearchQuery

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG_EQUATOR = 111.320


@dataclass(frozen=True, slots=True)
class DaySegment:
    date: dt.date
    weekday: int
    start_minute: int
    end_minute: int  # 1440 = midnight at the end of the day


@dataclass(frozen=True, slots=True)
class SearchHit:
    offer: Offer
    distance_km: float
    quote: SlotQuote


def day_segments(start: dt.datetime, end: dt.datetime) -> list[DaySegment]:
    """Split a slot into the parts that fall on each local calendar day."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    segments = []
    day = local_start.date()
    while True:
        seg_start = local_start if day == local_start.date() else None
        start_minute = seg_start.hour * 60 + seg_start.minute if seg_start else 0
        if local_end.date() == day:
            end_minute = (
                local_end.hour * 60
                + local_end.minute
                + (1 if local_end.second or local_end.microsecond else 0)
            )
        else:
            end_minute = 24 * 60
        if end_minute > start_minute:
            segments.append(DaySegment(day, day.weekday(), start_minute, end_minute))
        if local_end.date() <= day:
            break
        day += dt.timedelta(days=1)
    return segments


def _on_duty(segments: list[DaySegment]) -> Q:
    condition = Q()
    for seg in segments:
        condition &= Q(
            Exists(
                WeeklyWindow.objects.filter(
                    provider=OuterRef("provider_id"),
                    weekday=seg.weekday,
                    start_minute__lte=seg.start_minute,
                    end_minute__gte=seg.end_minute,
                )
            )
        )
    first, last = segments[0].date, segments[-1].date
    condition &= ~Q(
        Exists(
            Leave.objects.filter(
                provider=OuterRef("provider_id"), starts_on__lte=last, ends_on__gte=first
            )
        )
    )
    return condition


def _free(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> Q:
    return ~Q(
        Exists(
            CalendarBlock.objects.filter(
                provider=OuterRef("provider_id"), busy_from__lt=end, busy_until__gt=start
            ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        )
    )


def _police_verified_through(day: dt.date) -> Q:
    return Q(
        Exists(
            Document.objects.filter(
                provider=OuterRef("provider_id"),
                kind=DocumentKind.POLICE_VERIFICATION,
                expires_on__gte=day,
            )
        )
    )


def _base_offers(query: SearchQuery, *, now: dt.datetime) -> QuerySet[Offer]:
    """Bookable offers of the category, on duty and free for the slot, with distance²."""
    km_per_lng = KM_PER_DEGREE_LNG_EQUATOR * math.cos(math.radians(query.lat))
    dx = (F("lng") - query.lng) * km_per_lng
    dy = (F("lat") - query.lat) * KM_PER_DEGREE_LAT
    segments = day_segments(query.start, query.end)
    offers = (
        Offer.objects.filter(category=query.category, is_active=True)
        .annotate(distance2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        .filter(
            provider__verification_status=VerificationStatus.VERIFIED,
            provider__is_active=True,
        )
        .filter(_on_duty(segments))
        .filter(_free(query.start, query.end, now))
    )
    if query.category.police_verification_required:
        offers = offers.filter(_police_verified_through(segments[-1].date))
    return offers.select_related("provider", "provider__district").order_by(*ORDER)


ORDER = ("distance2", "-provider__rating_avg", "provider_id")


def search_offers(query: SearchQuery, *, now: dt.datetime) -> QuerySet[Offer]:
    """Bookable offers whose provider covers the point, in search order.

    Every provider lives within PROVIDER_MAX_RADIUS_KM of the points they serve, whether by
    the radius around home or by a listed pincode (provider services refuse pincodes farther
    away), so a bounding box of that distance lets the (category, lat, lng) index find all
    candidates; the cover test and the availability tests then run on those rows only.
    """
    max_km = settings.PROVIDER_MAX_RADIUS_KM
    dlat = max_km / KM_PER_DEGREE_LAT
    dlng = max_km / (KM_PER_DEGREE_LNG_EQUATOR * math.cos(math.radians(query.lat)))
    covers = Q(radius_km__gt=0, distance2__lte=F("radius_km") * F("radius_km"))
    if query.pincode:
        covers |= Q(
            Exists(
                ServicePincode.objects.filter(
                    provider=OuterRef("provider_id"), pincode=query.pincode
                )
            )
        )
    offers = _base_offers(query, now=now).filter(
        lat__range=(query.lat - dlat, query.lat + dlat),
        lng__range=(query.lng - dlng, query.lng + dlng),
    )
    return offers.filter(covers)


def search_providers(query: SearchQuery, *, now: dt.datetime) -> tuple[list[SearchHit], bool]:
    """One page of hits, nearest first then best rated, and whether more follow: one query."""
    page = list(search_offers(query, now=now)[query.offset : query.offset + query.limit + 1])
    hits = [
        SearchHit(
            offer=offer,
            distance_km=math.sqrt(max(offer.distance2, 0.0)),  # type: ignore[attr-defined]
            quote=quote_slot(
                unit=query.category.pricing_unit,
                price=offer.price,
                visiting_charge=offer.visiting_charge,
                start=query.start,
                end=query.end,
            ),
        )
        for offer in page[: query.limit]
    ]
    return hits, len(page) > query.limit
