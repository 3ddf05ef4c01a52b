"""Reads for government orders: the rules in force, matching providers with estimates, the
orders an officer sees, the approval queue and an order's attendance."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.pricing import quote_for_slot, split_evenly
from sevamitra.catalog.models import Category, PricingUnit
from sevamitra.procurement import permissions as can
from sevamitra.procurement.models import CategoryRule, Requisition, RequisitionStatus, RuleSet
from sevamitra.procurement.models.orders import APPROVED_STATUSES, PENDING_APPROVAL_STATUSES
from sevamitra.providers.models import CalendarBlock, Leave, Offer, WeeklyWindow
from sevamitra.search.selectors import offers_covering

ZERO = Decimal("0.00")
# Booking statuses after which a visit is over (done or not happening).
FINISHED = frozenset(
    {
        BookingStatus.COMPLETED,
        BookingStatus.RATED,
        BookingStatus.DECLINED,
        BookingStatus.CANCELLED,
        BookingStatus.NO_SHOW,
    }
)
DONE = frozenset({BookingStatus.COMPLETED, BookingStatus.RATED})
MAX_CANDIDATES = 60


# --- Rules --------------------------------------------------------------------------------


def current_rule_set(today: dt.date | None = None) -> RuleSet | None:
    """The latest rule set already in effect on `today` (India)."""
    today = today or timezone.localdate()
    return RuleSet.objects.filter(effective_from__lte=today).order_by("-version").first()


@dataclass(frozen=True, slots=True)
class CategoryPermission:
    allowed: bool
    gem_exception: bool
    yearly_ceiling: Decimal | None


def category_permission(rule_set: RuleSet, category: Category) -> CategoryPermission:
    """Whether `category` may be ordered under `rule_set`. Without a CategoryRule a category is
    orderable exactly when GeM does not offer it; a category GeM offers needs a rule allowing it
    with a written justification (the exception)."""
    rule = CategoryRule.objects.filter(rule_set=rule_set, category=category).first()
    if rule is None:
        return CategoryPermission(not category.gem_available, False, None)
    justified = bool(rule.gem_exception_justification.strip())
    if not rule.allowed or (category.gem_available and not justified):
        return CategoryPermission(False, False, rule.yearly_ceiling_per_office)
    return CategoryPermission(True, category.gem_available, rule.yearly_ceiling_per_office)


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Indian financial year (1 April – 31 March) that contains `day`."""
    first = dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return first, dt.date(first.year + 1, 3, 31)


def financial_year_label(day: dt.date) -> str:
    first, _last = financial_year(day)
    return f"{first.year}-{(first.year + 1) % 100:02d}"


def committed_value(
    *, office_id: int, category_id: int, day: dt.date, exclude_pk: int | None = None
) -> Decimal:
    """Sum of the estimated values of the office's approved orders of this category whose
    first day falls in the financial year of `day`."""
    first, last = financial_year(day)
    orders = Requisition.objects.filter(
        office_id=office_id,
        category_id=category_id,
        status__in=APPROVED_STATUSES,
        starts_on__range=(first, last),
    )
    if exclude_pk is not None:
        orders = orders.exclude(pk=exclude_pk)
    return orders.aggregate(total=Sum("estimated_value"))["total"] or ZERO


# --- Matching providers and estimates -----------------------------------------------------


def service_days(requisition: Requisition) -> list[dt.date]:
    days = []
    day = requisition.starts_on
    while day <= requisition.ends_on:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def _slot(day: dt.date, requisition: Requisition) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime.combine(day, requisition.start_time)),
        timezone.make_aware(dt.datetime.combine(day, requisition.end_time)),
    )


def estimate(offer: Offer, requisition: Requisition) -> Decimal:
    """What the booking engine will charge for this offer over the whole order: the sum of each
    day's quote (the provider's own price, visiting charge and GST if registered; zero
    commission). A month-priced service costs its monthly price per 30 days, shared by the
    days, as bookings.series does."""
    days = service_days(requisition)
    unit = requisition.category.pricing_unit
    shares: dict[dt.date, Decimal] = {}
    if unit == PricingUnit.MONTH:
        periods: dict[int, list[dt.date]] = defaultdict(list)
        for day in days:
            periods[(day - days[0]).days // 30].append(day)
        for period in periods.values():
            shares.update(zip(period, split_evenly(offer.price, len(period)), strict=True))
    total = ZERO
    registered = bool(offer.provider.gstin)
    for day in days:
        start, end = _slot(day, requisition)
        total += quote_for_slot(
            unit=unit,
            unit_price=shares.get(day, offer.price),
            visiting_charge=offer.visiting_charge,
            gst_registered=registered,
            start=start,
            end=end,
        ).total
    return total


@dataclass(frozen=True, slots=True)
class Candidate:
    offer: Offer
    distance_km: float
    estimate: Decimal


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def matching_offers(requisition: Requisition, *, now: dt.datetime | None = None) -> list[Candidate]:
    """Verified providers of the order's category who serve its place, work its hours every day
    of the period, are not on leave and have every day's slot free: nearest first, then best
    rated, with the estimate of each for the whole order. Three queries."""
    now = now or timezone.now()
    days = service_days(requisition)
    start_minute, end_minute = _minutes(requisition.start_time), _minutes(requisition.end_time)
    offers = offers_covering(
        categories=[requisition.category],
        lat=requisition.lat,
        lng=requisition.lng,
        pincode=requisition.place_pincode or None,
        police_valid_on=requisition.ends_on,
    )
    for weekday in sorted({day.weekday() for day in days}):
        offers = offers.filter(
            Exists(
                WeeklyWindow.objects.filter(
                    provider=OuterRef("provider_id"),
                    weekday=weekday,
                    start_minute__lte=start_minute,
                    end_minute__gte=end_minute,
                )
            )
        )
    offers = offers.exclude(
        provider__in=Leave.objects.filter(
            starts_on__lte=requisition.ends_on, ends_on__gte=requisition.starts_on
        ).values("provider_id")
    )
    found = list(offers[: MAX_CANDIDATES * 2])
    if not found:
        return []
    first_start, _ = _slot(days[0], requisition)
    _, last_end = _slot(days[-1], requisition)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    blocks = CalendarBlock.objects.filter(
        provider_id__in={o.provider_id for o in found},
        busy_from__lt=last_end,
        busy_until__gt=first_start,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    for provider_id, busy_from, busy_until in blocks.values_list(
        "provider_id", "busy_from", "busy_until"
    ):
        busy[provider_id].append((busy_from, busy_until))
    slots = [_slot(day, requisition) for day in days]
    result = []
    for offer in found:
        taken = busy.get(offer.provider_id, [])
        if any(b0 < end and b1 > start for start, end in slots for b0, b1 in taken):
            continue
        result.append(
            Candidate(
                offer=offer,
                distance_km=math.sqrt(max(offer.distance2, 0.0)),  # type: ignore[attr-defined]
                estimate=estimate(offer, requisition),
            )
        )
        if len(result) >= MAX_CANDIDATES:
            break
    return result


# --- Orders an officer sees ---------------------------------------------------------------


def requisitions_for(user, *, status: str | None = None) -> QuerySet[Requisition]:  # type: ignore[no-untyped-def]
    """The orders `user` may see: their offices' (approvers: also the offices below), or all
    for administrators and auditors; newest first."""
    orders = Requisition.objects.select_related("office", "category", "created_by")
    if not can.reads_everything(user):
        orders = orders.filter(office_id__in=can.visible_offices(user))
    if status:
        orders = orders.filter(status=status)
    return orders.order_by("-pk")


def approval_queue(user) -> QuerySet[Requisition]:  # type: ignore[no-untyped-def]
    """Orders awaiting a decision `user` may take (never their own), oldest first."""
    return (
        Requisition.objects.select_related("office", "category", "created_by")
        .filter(office_id__in=can.approvable_offices(user), status__in=PENDING_APPROVAL_STATUSES)
        .exclude(created_by=user)
        .order_by("submitted_at", "pk")
    )


def requisition_detail(pk: int) -> Requisition | None:
    return (
        Requisition.objects.select_related(
            "office", "office__district", "office__department", "category", "rule_set", "created_by"
        )
        .prefetch_related("chosen__provider", "chosen__offer", "approvals__officer")
        .filter(pk=pk)
        .first()
    )


def bookings_of(requisition: Requisition) -> list[Booking]:
    return list(
        Booking.objects.filter(series__requisition_provider__requisition=requisition)
        .select_related("provider")
        .order_by("starts_at", "provider_id")
    )


@dataclass(frozen=True, slots=True)
class AttendanceDay:
    day: dt.date
    bookings: list[Booking]

    @property
    def present(self) -> int:
        return sum(
            1 for b in self.bookings if b.status in DONE or b.status == BookingStatus.IN_PROGRESS
        )


def attendance(requisition: Requisition) -> list[AttendanceDay]:
    """Each service day with its bookings (one per provider), from the bookings' own start and
    end (codes entered by the provider as the office gives them)."""
    by_day: dict[dt.date, list[Booking]] = defaultdict(list)
    for booking in bookings_of(requisition):
        by_day[timezone.localtime(booking.starts_at).date()].append(booking)
    return [AttendanceDay(day, by_day[day]) for day in sorted(by_day)]


def all_finished(bookings: list[Booking]) -> bool:
    """True when no visit is still to happen and at least one was done."""
    return (
        bool(bookings)
        and all(b.status in FINISHED for b in bookings)
        and any(b.status in DONE for b in bookings)
    )


def last_service_day(bookings: list[Booking]) -> dt.date | None:
    done = [timezone.localtime(b.starts_at).date() for b in bookings if b.status in DONE]
    return max(done) if done else None


def requisitions_to_sweep() -> QuerySet[Requisition]:
    return Requisition.objects.select_related("rule_set").filter(
        status__in=[RequisitionStatus.BOOKED, RequisitionStatus.COMPLETED]
    )
