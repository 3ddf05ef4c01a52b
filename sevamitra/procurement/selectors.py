"""Reads for government orders: the rules in force, matching providers with estimates, the
orders an officer sees, the approval queue and an order's attendance."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from sevamitra.bookings.models import Booking, BookingStatus, CancelledBy
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


def day_runs(days: list[dt.date]) -> list[list[dt.date]]:
    """Consecutive days grouped: [1, 2, 3, 5, 6] → [[1, 2, 3], [5, 6]] (each run is booked as
    one daily series)."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def estimate(offer: Offer, requisition: Requisition, days: list[dt.date] | None = None) -> Decimal:
    """What the booking engine will charge for this offer over the order's days (all of them, or
    `days`): the sum of each day's quote (the provider's own price, visiting charge and GST if
    registered; zero commission). A month-priced service costs its monthly price per 30 days,
    shared by the days, as bookings.series does for each run of consecutive days."""
    days = days if days is not None else service_days(requisition)
    unit = requisition.category.pricing_unit
    shares: dict[dt.date, Decimal] = {}
    if unit == PricingUnit.MONTH:
        for run in day_runs(days):
            periods: dict[int, list[dt.date]] = defaultdict(list)
            for day in run:
                periods[(day - run[0]).days // 30].append(day)
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
    return _matching(requisition, service_days(requisition), now=now or timezone.now())


def _on_leave(days: list[dt.date]) -> Q:
    spans = Q()
    for run in day_runs(days):
        spans |= Q(starts_on__lte=run[-1], ends_on__gte=run[0])
    return spans


def _matching(
    requisition: Requisition,
    days: list[dt.date],
    *,
    now: dt.datetime,
    exclude_providers: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """matching_offers for some of the order's days (`days`, sorted)."""
    if not days:
        return []
    start_minute, end_minute = _minutes(requisition.start_time), _minutes(requisition.end_time)
    offers = offers_covering(
        categories=[requisition.category],
        lat=requisition.lat,
        lng=requisition.lng,
        pincode=requisition.place_pincode or None,
        police_valid_on=days[-1],
    )
    if exclude_providers:
        offers = offers.exclude(provider_id__in=exclude_providers)
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
        provider__in=Leave.objects.filter(_on_leave(days)).values("provider_id")
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
                estimate=estimate(offer, requisition, days),
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


# --- Visits not covered, and their replacements ----------------------------------------------


def visit_lost(booking: Booking) -> bool:
    """The Sevamitra declined the visit, let the request expire, or it was cancelled by them or
    by the system: the office did not end it, so it needs someone else."""
    if booking.status == BookingStatus.DECLINED:
        return True
    return booking.status == BookingStatus.CANCELLED and booking.cancelled_by in (
        CancelledBy.PROVIDER,
        CancelledBy.SYSTEM,
    )


@dataclass(frozen=True, slots=True)
class UncoveredVisit:
    """A service day still to come on which fewer Sevamitras are booked than workers asked."""

    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    missing: int
    lost: list[Booking]  # the bookings of that day that fell through


def uncovered_visits(
    requisition: Requisition,
    *,
    now: dt.datetime | None = None,
    bookings: list[Booking] | None = None,
) -> list[UncoveredVisit]:
    """The visits of a booked order that nobody covers, computed from the bookings of its
    series: for each service day not yet begun, the workers asked for minus that day's
    bookings that still count (live, done, or ended by the office itself)."""
    if requisition.status != RequisitionStatus.BOOKED:
        return []
    now = now or timezone.now()
    if bookings is None:
        bookings = bookings_of(requisition)
    by_day: dict[dt.date, list[Booking]] = defaultdict(list)
    for booking in bookings:
        by_day[timezone.localtime(booking.starts_at).date()].append(booking)
    visits = []
    for day in service_days(requisition):
        start, end = _slot(day, requisition)
        if start <= now:
            continue
        lost = [b for b in by_day.get(day, []) if visit_lost(b)]
        missing = requisition.workers - (len(by_day.get(day, [])) - len(lost))
        if missing > 0:
            visits.append(UncoveredVisit(day, start, end, missing, lost))
    return visits


def uncovered_count(requisition: Requisition, *, now: dt.datetime | None = None) -> int:
    return sum(visit.missing for visit in uncovered_visits(requisition, now=now))


def committed_spend(bookings: list[Booking]) -> Decimal:
    """What the order's bookings commit the office to: every visit still on or done at its
    price, and the fee of any visit the office cancelled late. Declined visits, visits the
    Sevamitra or the system cancelled and no-shows cost nothing."""
    total = ZERO
    for booking in bookings:
        if booking.status == BookingStatus.CANCELLED:
            total += booking.cancellation_fee or ZERO
        elif booking.status not in (BookingStatus.DECLINED, BookingStatus.NO_SHOW):
            total += booking.total
    return total


def replacement_candidates(
    requisition: Requisition,
    visits: list[UncoveredVisit],
    *,
    now: dt.datetime | None = None,
) -> list[Candidate]:
    """Verified Sevamitras free on every one of `visits` (as matching_offers, for those days),
    each with the value of those visits at their own price; not those who fell through on
    them."""
    exclude = frozenset(b.provider_id for visit in visits for b in visit.lost)
    return _matching(
        requisition,
        sorted(visit.day for visit in visits),
        now=now or timezone.now(),
        exclude_providers=exclude,
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
