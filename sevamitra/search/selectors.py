"""Search: which verified providers can come to this point for this whole slot.

One SQL query. Candidate offers come from the index on (category, lat, lng) within a
bounding box of the largest allowed service radius; the rest are correlated EXISTS tests
on small indexed tables. Distance is the equirectangular approximation, exact to well under
0.1% at these distances and plain arithmetic, so SQLite and PostgreSQL compute (and order)
identically. See docs/adr/0002-search.md.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet
from django.utils import timezone

from sevamitra.catalog.models import Category
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


ORDER = ("distance2", "-provider__rating_avg", "provider_id")


def offers_covering(
    *,
    categories: Sequence[Category],
    lat: float,
    lng: float,
    pincode: str | None,
    police_valid_on: dt.date,
) -> QuerySet[Offer]:
    """Bookable offers of these categories whose provider covers the point, with distance²,
    nearest first then best rated — whatever the time (search_offers adds the slot).

    Every provider lives within PROVIDER_MAX_RADIUS_KM of the points they serve, whether by
    the radius around home or by a listed pincode (provider services refuse pincodes farther
    away), so a bounding box of that distance lets the (category, lat, lng) index find all
    candidates; the cover test and the availability tests then run on those rows only.
    Categories that need police verification need a certificate valid on `police_valid_on`.
    """
    max_km = settings.PROVIDER_MAX_RADIUS_KM
    km_per_lng = KM_PER_DEGREE_LNG_EQUATOR * math.cos(math.radians(lat))
    dx = (F("lng") - lng) * km_per_lng
    dy = (F("lat") - lat) * KM_PER_DEGREE_LAT
    dlat, dlng = max_km / KM_PER_DEGREE_LAT, max_km / km_per_lng
    covers = Q(radius_km__gt=0, distance2__lte=F("radius_km") * F("radius_km"))
    if pincode:
        covers |= Q(
            Exists(ServicePincode.objects.filter(provider=OuterRef("provider_id"), pincode=pincode))
        )
    offers = (
        Offer.objects.filter(
            category__in=list(categories),
            is_active=True,
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
        )
        .annotate(distance2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        .filter(
            provider__verification_status=VerificationStatus.VERIFIED,
            provider__is_active=True,
        )
        .filter(covers)
    )
    without_police = [c.pk for c in categories if not c.police_verification_required]
    if len(without_police) < len(categories):  # some need a certificate: no join on category
        police = _police_verified_through(police_valid_on)
        if without_police:
            police = Q(category_id__in=without_police) | police
        offers = offers.filter(police)
    return offers.select_related("provider", "provider__district").order_by(*ORDER)


def search_offers(query: SearchQuery, *, now: dt.datetime) -> QuerySet[Offer]:
    """Bookable offers whose provider covers the point and is on duty and free for the whole
    slot, in search order."""
    segments = day_segments(query.start, query.end)
    return (
        offers_covering(
            categories=[query.category],
            lat=query.lat,
            lng=query.lng,
            pincode=query.pincode,
            police_valid_on=segments[-1].date,
        )
        .filter(_on_duty(segments))
        .filter(_free(query.start, query.end, now))
    )


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
