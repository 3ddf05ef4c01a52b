"""The one module that computes the public outcome figures (/figures/, its CSV and its JSON).

Every figure comes from the live data by database aggregation (COUNT … GROUP BY); only the
medians fetch values: one small row per Sevamitra, complaint or invoice of the period. The
results pass through figures.suppression before they are returned or cached, so an unsuppressed
count never leaves this module.

Dimensions. Every figure is given in total and broken down by
- district: the Sevamitra's district (Provider.district); for calls, the district of the
  caller's pincode (calls with no pincode, or one outside the state's districts: row "not
  known");
- service: for Sevamitras, every service they offer (an Offer, active or not: a Sevamitra
  offering two services is in both rows, so these rows do not add up to the total; one
  offering none yet is in the row "no service"); for bookings, earnings and complaints, the
  booking's service; for calls, the service asked for ("no service" when none was noted); for
  government orders and invoices, the order's service;
- gender of the Sevamitra, as they gave it ("prefer not to say" is a row of its own). A call
  has no Sevamitra: call figures are not given by gender, nor under a gender filter;
- month: calendar months in India (Asia/Kolkata), the last 12 including the current one.
A filter keeps one district, service and/or gender, and a range of those months (the period;
all 12 by default).

The figures, by key (as in the CSV and the JSON):

As at the time of computation (`computed_at`; the period does not apply, no month rows):
- registered: Sevamitras registered on the portal (created by then), whatever their status.
- verified: of those, the ones whose verification status is "verified" at that time.
- earned_30d: Sevamitras with at least one completed booking (status completed or rated) of a
  positive amount (Booking.total) completed — the booking's event to "completed" — in the 30
  days before the computation time: (computed_at − 30 days, computed_at].
- median_earnings_30d: the median, over those Sevamitras, of the sum of the amounts of those
  bookings (₹, two decimal places). By service: only the bookings of that service count, both
  for who earned and for how much.

In the period (month rows: the month the event falls in, India time):
- new_registrations: Sevamitras who registered (Provider.created_at) in the period.
- bookings_completed: bookings due in the period (Booking.starts_at) now completed or rated.
- cancelled_by_customer / cancelled_by_sevamitra: bookings due in the period cancelled by the
  customer / by the Sevamitra. Cancellations by the system are in neither, nor are the
  customers' no-shows.
- no_shows_by_sevamitra: bookings due in the period that the customer reported the Sevamitra
  did not come to (status no_show).
- no_shows_by_customer: bookings due in the period where the Sevamitra came and recorded that
  the customer was not there (bookings.services.booking_report_customer_absent: cancelled on
  the customer's side with the reason "customer_absent").
- calls: calls logged by the call centre that started in the period and are finished (have an
  outcome; a call still going is not counted).
- calls_booked: of those, the calls whose outcome is "booked" (a booking was made in the call).
- call_conversion_percent: calls_booked × 100 / calls, one decimal place.
- complaints: complaints filed in the period.
- complaints_resolved: complaints decided (status "resolved"; not the withdrawn ones) in the
  period.
- median_days_to_resolve: the median, over those, of the time from filing to the decision in
  days (elapsed seconds / 86,400), one decimal place.
- government_orders: government orders booked (approved and placed on the Sevamitras'
  calendars, Requisition.booked_at) in the period, whatever happened to them afterwards. By
  district, service and gender an order counts in every row one of its Sevamitras is in.
- invoices_paid: Sevamitras' invoices for government orders paid in full by a payment made in
  the period (the date of the last payment).
- median_days_to_payment / average_days_to_payment: over those invoices, the days from the
  order's acceptance to the payment that completed the invoice (as govdash counts them; the
  average is govdash.selectors.average: one decimal place, half up).

A median of an odd number of values is the middle one; of an even number, the mean of the two
middle ones (rounded half up to the figure's decimal places).

Suppression: see figures.suppression (counts of 1–4 and statistics over fewer than 5 people or
items are not shown; nested pairs; complementary suppression in the tables; 0 is shown).

Caching: `figures_get` returns the cached figures of a filter, or computes and caches them for
FIGURES_CACHE_SECONDS (default 900); `figures_refresh` recomputes them (`manage.py
figures_refresh`, the periodic job figures.refresh). A cached value holds no translated text
(names in both languages), so one entry serves the Hindi and the English page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus, CancelledBy
from sevamitra.bookings.services import CUSTOMER_ABSENT
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.catalog.models import Category
from sevamitra.figures import suppression
from sevamitra.figures.definitions import (
    COUNT,
    DAYS,
    MEASURES,
    MONEY,
    NESTED,
    Measure,
)
from sevamitra.figures.suppression import NOT_APPLICABLE, Cell
from sevamitra.geo.models import District
from sevamitra.geo.pincodes import district_pincodes, pincode_info
from sevamitra.govdash.selectors import average
from sevamitra.grievances.models import Complaint, ComplaintStatus
from sevamitra.invoicing.models import Invoice
from sevamitra.procurement.models import RequisitionProvider
from sevamitra.providers.models import Gender, Provider, VerificationStatus

KOLKATA = ZoneInfo("Asia/Kolkata")
MONTHS = 12
EARNINGS_DAYS = 30
CACHE_VERSION = 1
DEFAULT_CACHE_SECONDS = 900
DONE_STATUSES = (BookingStatus.COMPLETED, BookingStatus.RATED)
UNKNOWN = ""  # the key of the "not known" row
TOTAL = "total"
DIMENSIONS = ("month", "district", "category", "gender")
SECONDS_PER_DAY = Decimal(86400)


# --- Months ----------------------------------------------------------------------------------


def current_time() -> dt.datetime:
    """Now. Pages and jobs ask this function, so that tests can set the time."""
    return timezone.now()


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def recent_months(now: dt.datetime | None = None) -> list[dt.date]:
    """The first day of each of the last 12 calendar months in India, oldest first; the
    current month is the last."""
    this_month = timezone.localtime(now or current_time(), KOLKATA).date().replace(day=1)
    return [add_months(this_month, -i) for i in range(MONTHS - 1, -1, -1)]


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def month_starts_at(month: dt.date) -> dt.datetime:
    """Midnight at the start of the month, India time."""
    return dt.datetime(month.year, month.month, 1, tzinfo=KOLKATA)


# --- The filter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureFilter:
    first_month: dt.date
    last_month: dt.date
    district: str = ""  # District.code
    category: str = ""  # Category.slug
    gender: str = ""  # Gender value

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def starts_at(self) -> dt.datetime:
        return month_starts_at(self.first_month)

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after the period."""
        return month_starts_at(add_months(self.last_month, 1))

    def value(self, dimension: str) -> str:
        return getattr(self, dimension, "") if dimension != "month" else ""

    def cache_key(self) -> str:
        parts = [self.district, self.category, self.gender]
        chosen = ":".join((p or "*").replace(" ", "_") for p in parts)
        return (
            f"figures:v{CACHE_VERSION}:{chosen}:"
            f"{month_key(self.first_month)}:{month_key(self.last_month)}"
        )


def default_filter(now: dt.datetime | None = None) -> FigureFilter:
    months = recent_months(now)
    return FigureFilter(first_month=months[0], last_month=months[-1])


# --- Names of districts and services ---------------------------------------------------------


@dataclass(frozen=True)
class Label:
    code: str
    name_hi: str
    name_en: str
    pk: int

    @property
    def name(self) -> str:
        return self.name_hi if (get_language() or "hi").startswith("hi") else self.name_en


@dataclass(frozen=True)
class Labels:
    districts: tuple[Label, ...]  # by English name
    categories: tuple[Label, ...]  # in the catalogue's order

    def district(self, code: str) -> Label | None:
        return next((d for d in self.districts if d.code == code), None)

    def category(self, code: str) -> Label | None:
        return next((c for c in self.categories if c.code == code), None)


def labels_compute() -> Labels:
    return Labels(
        districts=tuple(
            Label(code=d.code, name_hi=d.name_hi, name_en=d.name_en, pk=d.pk)
            for d in District.objects.order_by("name_en", "pk")
        ),
        categories=tuple(
            Label(code=c.slug, name_hi=c.name_hi, name_en=c.name_en, pk=c.pk)
            for c in Category.objects.order_by("sort_order", "pk")
        ),
    )


def labels_get() -> Labels:
    """The names of districts and services (cached like the figures)."""
    key = f"figures:v{CACHE_VERSION}:labels"
    found = cache.get(key)
    if isinstance(found, Labels):
        return found
    labels = labels_compute()
    cache.set(key, labels, cache_seconds())
    return labels


# --- The result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str  # month "YYYY-MM", district code, category slug, gender; "" not known; "total"
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Figures:
    flt: FigureFilter
    computed_at: dt.datetime
    total: Row
    breakdowns: dict[str, Breakdown]
    labels: Labels

    @property
    def months(self) -> list[dt.date]:
        return self.flt.months


# --- Computing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A COUNT: of `field` (distinct values if `distinct`) over the rows matching `when`."""

    when: Q | None = None
    field: str = "pk"
    distinct: bool = False

    def count(self, also: Q | None = None) -> Count:
        condition = self.when & also if self.when is not None and also is not None else None
        return Count(self.field, filter=condition or self.when or also, distinct=self.distinct)


def median(values: Iterable[Decimal | int]) -> Decimal | None:
    """The middle value (odd count) or the mean of the two middle values (even count)."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _places(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


class _Computation:
    """The raw (unsuppressed) figures of one filter, by grouping ("total" or a dimension) and
    group key. Lives only inside figures_compute."""

    def __init__(self, flt: FigureFilter, now: dt.datetime, labels: Labels) -> None:
        self.flt, self.now, self.labels = flt, now, labels
        self.district_code = {d.pk: d.code for d in labels.districts}
        self.category_slug = {c.pk: c.code for c in labels.categories}
        district = labels.district(flt.district) if flt.district else None
        category = labels.category(flt.category) if flt.category else None
        self.district_id = district.pk if district else None
        self.category_id = category.pk if category else None
        self.counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )
        self.stats: dict[str, dict[str, dict[str, Decimal | None]]] = defaultdict(
            lambda: defaultdict(dict)
        )

    # -- keys and scope --

    def key(self, grouping: str, value: Any) -> str:
        if value is None or value == "":
            return UNKNOWN
        if grouping == "district":
            return self.district_code.get(value, UNKNOWN)
        if grouping == "category":
            return self.category_slug.get(value, UNKNOWN)
        if grouping == "month":
            if isinstance(value, dt.datetime):
                value = value.astimezone(KOLKATA).date()
            return month_key(value)
        return str(value)

    def scoped(self, queryset: QuerySet, *, district: str, gender: str, category: str) -> QuerySet:
        """Keep the filter's district, gender and service (field paths given per model)."""
        if self.district_id is not None:
            queryset = queryset.filter(**{district: self.district_id})
        if self.flt.gender:
            queryset = queryset.filter(**{gender: self.flt.gender})
        if self.category_id is not None:
            queryset = queryset.filter(**{category: self.category_id})
        return queryset

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.flt.starts_at, f"{field}__lt": self.flt.ends_at})

    # -- counting in the database --

    def count(
        self,
        queryset: QuerySet,
        tallies: dict[str, Tally],
        groupings: dict[str, Any],
        *,
        total: bool = True,
        key_of: Callable[[str, Any], str] | None = None,
    ) -> None:
        """COUNT the tallies over the queryset: in total, and grouped by each grouping's
        expression (GROUP BY). A dimension the filter fixes has one group, the filter's, equal
        to the total. Months: one conditional COUNT per month of the period (the grouping
        names the date-time field), India-time month bounds computed here."""
        key_of = key_of or self.key
        totals: dict[str, int] = {}
        if total:
            totals = self._aggregate(queryset, tallies)
            self._add(TOTAL, TOTAL, totals)
        for grouping, expression in groupings.items():
            fixed = self.flt.value(grouping)
            if fixed and total:
                self._add(grouping, fixed, totals)
            elif grouping == "month":
                self._by_month(queryset, tallies, field=expression)
            else:
                rows = (
                    queryset.annotate(group_key=expression)
                    .order_by()
                    .values("group_key")
                    .annotate(**{name: t.count() for name, t in tallies.items()})
                )
                for row in rows:
                    self._add(grouping, key_of(grouping, row.pop("group_key")), row)

    @staticmethod
    def _aggregate(queryset: QuerySet, tallies: dict[str, Tally]) -> dict[str, int]:
        found = queryset.aggregate(**{name: t.count() for name, t in tallies.items()})
        return {name: n or 0 for name, n in found.items()}

    def _by_month(self, queryset: QuerySet, tallies: dict[str, Tally], *, field: str) -> None:
        aggregates = {}
        for index, month in enumerate(self.flt.months):
            within = Q(
                **{
                    f"{field}__gte": month_starts_at(month),
                    f"{field}__lt": month_starts_at(add_months(month, 1)),
                }
            )
            for name, t in tallies.items():
                aggregates[f"{name}_{index}"] = t.count(within)
        found = queryset.order_by().aggregate(**aggregates)
        for index, month in enumerate(self.flt.months):
            self._add(
                "month",
                month_key(month),
                {name: found[f"{name}_{index}"] or 0 for name in tallies},
            )

    def _add(self, grouping: str, key: str, values: dict[str, int]) -> None:
        for name, n in values.items():
            self.counts[grouping][key][name] += n or 0

    def put_stat(self, grouping: str, key: str, name: str, value: Decimal | None) -> None:
        self.stats[grouping][key][name] = value

    def grouped_values(
        self,
        rows: Iterable[tuple[dict[str, str], Any]],
        count_name: str,
        stats: dict[str, Callable[[list[Any]], Decimal | None]],
        groupings: Iterable[str],
    ) -> None:
        """Rows of (group key per grouping, value) fetched for a median: count them and
        compute each statistic per group, in total and per grouping."""
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        groupings = tuple(groupings)
        for keys, value in rows:
            groups[(TOTAL, TOTAL)].append(value)
            for grouping in groupings:
                groups[(grouping, keys[grouping])].append(value)
        for (grouping, key), values in groups.items():
            self.counts[grouping][key][count_name] += len(values)
            for name, function in stats.items():
                self.put_stat(grouping, key, name, function(values))

    # -- the families of figures --

    def providers(self) -> None:
        base = self.scoped(
            Provider.objects.filter(created_at__lte=self.now),
            district="district_id",
            gender="gender",
            category="offers__category_id",
        )
        new = {"new_registrations": Tally(self.in_period("created_at"))}
        stock = {
            "registered": Tally(),
            "verified": Tally(Q(verification_status=VerificationStatus.VERIFIED)),
        }
        self.count(
            base,
            stock | new,
            {
                "district": F("district_id"),
                "gender": F("gender"),
                "category": F("offers__category_id"),
            },
        )
        self.count(
            base.filter(self.in_period("created_at")),
            {"new_registrations": Tally()},
            {"month": "created_at"},
            total=False,
        )

    def earnings(self) -> None:
        since = self.now - dt.timedelta(days=EARNINGS_DAYS)
        completed = BookingEvent.objects.filter(
            to_status=BookingStatus.COMPLETED, at__gt=since, at__lte=self.now
        ).values("booking_id")
        bookings = self.scoped(
            Booking.objects.filter(status__in=DONE_STATUSES, total__gt=0, pk__in=completed),
            district="provider__district_id",
            gender="provider__gender",
            category="category_id",
        )
        rows = (
            bookings.order_by()
            .values("provider_id", "provider__district_id", "provider__gender", "category_id")
            .annotate(earned=Sum("total"))
            .values_list(
                "provider_id", "provider__district_id", "provider__gender", "category_id", "earned"
            )
        )
        by_provider: dict[int, list[Any]] = {}
        by_category: list[tuple[dict[str, str], Decimal]] = []
        for provider_id, district_id, gender, category_id, earned in rows:
            keys = {"district": self.key("district", district_id), "gender": gender}
            entry = by_provider.setdefault(provider_id, [keys, Decimal(0)])
            entry[1] += earned
            by_category.append(({"category": self.key("category", category_id)}, earned))
        money = {"median_earnings_30d": lambda values: _places(median(values), "0.01")}
        self.grouped_values(
            ((keys, total) for keys, total in by_provider.values()),
            "earned_30d",
            money,
            ("district", "gender"),
        )
        # By service: a Sevamitra's earnings from that service; the total row is above.
        groups: dict[str, list[Decimal]] = defaultdict(list)
        for keys, earned in by_category:
            groups[keys["category"]].append(earned)
        for key, values in groups.items():
            self.counts["category"][key]["earned_30d"] += len(values)
            self.put_stat(
                "category", key, "median_earnings_30d", money["median_earnings_30d"](values)
            )

    def bookings(self) -> None:
        due = self.scoped(
            Booking.objects.filter(self.in_period("starts_at")),
            district="provider__district_id",
            gender="provider__gender",
            category="category_id",
        )
        cancelled = Q(status=BookingStatus.CANCELLED)
        absent = Q(cancel_reason=CUSTOMER_ABSENT)
        self.count(
            due,
            {
                "bookings_completed": Tally(Q(status__in=DONE_STATUSES)),
                "cancelled_by_customer": Tally(
                    cancelled & Q(cancelled_by=CancelledBy.CUSTOMER) & ~absent
                ),
                "cancelled_by_sevamitra": Tally(cancelled & Q(cancelled_by=CancelledBy.PROVIDER)),
                "no_shows_by_sevamitra": Tally(Q(status=BookingStatus.NO_SHOW)),
                "no_shows_by_customer": Tally(
                    cancelled & Q(cancelled_by=CancelledBy.CUSTOMER) & absent
                ),
            },
            {
                "district": F("provider__district_id"),
                "gender": F("provider__gender"),
                "category": F("category_id"),
                "month": "starts_at",
            },
        )

    def calls(self) -> None:
        if self.flt.gender:
            return  # calls have no Sevamitra (not applicable)
        calls = Call.objects.exclude(outcome="").filter(self.in_period("started_at"))
        if self.flt.district:
            calls = calls.filter(pincode__in=district_pincodes(self.flt.district))
        if self.category_id is not None:
            calls = calls.filter(category_id=self.category_id)
        known = set(self.district_code.values())

        def key_of(grouping: str, value: Any) -> str:
            if grouping != "district":
                return self.key(grouping, value)
            info = pincode_info(value or "")
            return info.district if info is not None and info.district in known else UNKNOWN

        self.count(
            calls,
            {
                "calls": Tally(),
                "calls_booked": Tally(Q(outcome=CallOutcome.BOOKED)),
            },
            {
                "district": F("pincode"),
                "category": F("category_id"),
                "month": "started_at",
            },
            key_of=key_of,
        )

    def complaints(self) -> None:
        def scoped(queryset: QuerySet) -> QuerySet:
            return self.scoped(
                queryset,
                district="provider__district_id",
                gender="provider__gender",
                category="booking__category_id",
            )

        self.count(
            scoped(Complaint.objects.filter(self.in_period("filed_at"))),
            {"complaints": Tally()},
            {
                "district": F("provider__district_id"),
                "gender": F("provider__gender"),
                "category": F("booking__category_id"),
                "month": "filed_at",
            },
        )
        decided = scoped(
            Complaint.objects.filter(self.in_period("resolved_at"), status=ComplaintStatus.RESOLVED)
        ).values_list(
            "provider__district_id",
            "provider__gender",
            "booking__category_id",
            "filed_at",
            "resolved_at",
        )
        rows = (
            (
                {
                    "district": self.key("district", district_id),
                    "gender": gender,
                    "category": self.key("category", category_id),
                    "month": self.key("month", resolved_at),
                },
                Decimal((resolved_at - filed_at).total_seconds()) / SECONDS_PER_DAY,
            )
            for district_id, gender, category_id, filed_at, resolved_at in decided
        )
        self.grouped_values(
            rows,
            "complaints_resolved",
            {"median_days_to_resolve": lambda days: _places(median(days), "0.1")},
            DIMENSIONS,
        )

    def government(self) -> None:
        placed = self.scoped(
            RequisitionProvider.objects.filter(self.in_period("requisition__booked_at")),
            district="provider__district_id",
            gender="provider__gender",
            category="requisition__category_id",
        )
        self.count(
            placed,
            {"government_orders": Tally(field="requisition_id", distinct=True)},
            {
                "district": F("provider__district_id"),
                "gender": F("provider__gender"),
                "category": F("requisition__category_id"),
                "month": "requisition__booked_at",
            },
        )
        first_day, end_day = self.flt.first_month, add_months(self.flt.last_month, 1)
        paid = (
            self.scoped(
                Invoice.objects.filter(requisition__accepted_on__isnull=False),
                district="provider__district_id",
                gender="provider__gender",
                category="requisition__category_id",
            )
            .annotate(paid=Sum("payments__amount"), last_paid_on=Max("payments__paid_on"))
            .filter(paid__gte=F("total"), last_paid_on__gte=first_day, last_paid_on__lt=end_day)
            .values_list(
                "pk",
                "provider__district_id",
                "provider__gender",
                "requisition__category_id",
                "requisition__accepted_on",
                "last_paid_on",
            )
        )
        rows = (
            (
                {
                    "district": self.key("district", district_id),
                    "gender": gender,
                    "category": self.key("category", category_id),
                    "month": month_key(last_paid_on),
                },
                (last_paid_on - accepted_on).days,
            )
            for _pk, district_id, gender, category_id, accepted_on, last_paid_on in paid
        )
        self.grouped_values(
            rows,
            "invoices_paid",
            {
                "median_days_to_payment": lambda days: _places(median(days), "0.1"),
                "average_days_to_payment": average,
            },
            DIMENSIONS,
        )


def _applicable(measure: Measure, grouping: str, flt: FigureFilter) -> bool:
    if measure.stock and grouping == "month":
        return False
    return not (measure.calls and (grouping == "gender" or flt.gender))


def _raw_row(comp: _Computation, grouping: str, key: str) -> tuple[dict[str, Cell], dict[str, int]]:
    """A row's cells after rules 1–3 (percentages come last), and its raw counts."""
    counts = comp.counts[grouping][key]
    stats = comp.stats[grouping][key]
    raw = {m.key: counts.get(m.key, 0) for m in MEASURES if m.kind == COUNT}
    cells: dict[str, Cell] = {}
    for m in MEASURES:
        if not _applicable(m, grouping, comp.flt):
            cells[m.key] = NOT_APPLICABLE
        elif m.kind == COUNT:
            cells[m.key] = suppression.count_cell(raw[m.key])
        elif m.kind in (MONEY, DAYS):
            cells[m.key] = suppression.stat_cell(stats.get(m.key), raw[m.basis])
    for whole, part in NESTED:
        if cells[part].applicable:
            cells[part] = suppression.nested(cells[whole], cells[part], raw[whole], raw[part])
    return cells, raw


def _with_percentages(cells: dict[str, Cell], raw: dict[str, int]) -> dict[str, Cell]:
    cells = dict(cells)
    if not cells["calls"].applicable:
        cells["call_conversion_percent"] = NOT_APPLICABLE
    else:
        cells["call_conversion_percent"] = suppression.percent_cell(
            cells["calls_booked"], cells["calls"], raw["calls_booked"], raw["calls"]
        )
    return {m.key: cells[m.key] for m in MEASURES}


def _group_keys(comp: _Computation, dimension: str) -> list[str]:
    fixed = comp.flt.value(dimension)
    if dimension == "month":
        keys = [month_key(m) for m in comp.flt.months]
    elif fixed:
        keys = [fixed]
    elif dimension == "district":
        keys = [d.code for d in comp.labels.districts]
    elif dimension == "category":
        keys = [c.code for c in comp.labels.categories]
    else:
        keys = list(Gender.values)
    if UNKNOWN in comp.counts[dimension] and any(comp.counts[dimension][UNKNOWN].values()):
        keys.append(UNKNOWN)
    return keys


def _assemble(comp: _Computation) -> Figures:
    total_cells, total_raw = _raw_row(comp, TOTAL, TOTAL)
    tables: dict[str, list[tuple[str, dict[str, Cell], dict[str, int]]]] = {}
    hide_totals: set[str] = set()
    for dimension in DIMENSIONS:
        rows = [(key, *_raw_row(comp, dimension, key)) for key in _group_keys(comp, dimension)]
        for m in MEASURES:
            if m.kind != COUNT or not _applicable(m, dimension, comp.flt):
                continue
            column = [cells[m.key] for _key, cells, _raw in rows]
            protected, hide_total = suppression.protect_column(
                column, [raw[m.key] for _key, _cells, raw in rows], total_cells[m.key]
            )
            for (_key, cells, _raw), cell in zip(rows, protected, strict=True):
                cells[m.key] = cell
            if hide_total:
                hide_totals.add(m.key)
        tables[dimension] = rows
    for name in hide_totals:
        total_cells[name] = suppression.HIDDEN
    return Figures(
        flt=comp.flt,
        computed_at=comp.now,
        total=Row(TOTAL, _with_percentages(total_cells, total_raw)),
        breakdowns={
            dimension: Breakdown(
                dimension,
                tuple(Row(key, _with_percentages(cells, raw)) for key, cells, raw in rows),
            )
            for dimension, rows in tables.items()
        },
        labels=comp.labels,
    )


def _computed(flt: FigureFilter, *, now: dt.datetime, labels: Labels) -> _Computation:
    """The raw figures (unsuppressed: never returned by a public function)."""
    comp = _Computation(flt, now, labels)
    comp.providers()
    comp.earnings()
    comp.bookings()
    comp.calls()
    comp.complaints()
    comp.government()
    return comp


def figures_compute(
    flt: FigureFilter, *, now: dt.datetime | None = None, labels: Labels | None = None
) -> Figures:
    """Every figure of the filter, suppressed, computed now from the live data."""
    return _assemble(_computed(flt, now=now or current_time(), labels=labels or labels_compute()))


# --- Cache -----------------------------------------------------------------------------------


def cache_seconds() -> int:
    return int(getattr(settings, "FIGURES_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def figures_get(flt: FigureFilter, *, now: dt.datetime | None = None) -> Figures:
    """The figures of the filter from the cache, or computed (and cached) when missing."""
    found = cache.get(flt.cache_key())
    if isinstance(found, Figures):
        return found
    return figures_refresh(flt, now=now)


def figures_refresh(flt: FigureFilter, *, now: dt.datetime | None = None) -> Figures:
    """Compute the figures of the filter again and replace the cached ones."""
    figures = figures_compute(flt, now=now, labels=labels_get())
    cache.set(flt.cache_key(), figures, cache_seconds())
    return figures


def filters_to_warm(*, now: dt.datetime | None = None, single: bool = False) -> list[FigureFilter]:
    """The default view (no filter, last 12 months) and, with `single`, each district,
    service and gender on its own."""
    base = default_filter(now)
    filters = [base]
    if single:
        labels = labels_get()
        filters += [
            FigureFilter(base.first_month, base.last_month, district=d.code)
            for d in labels.districts
        ]
        filters += [
            FigureFilter(base.first_month, base.last_month, category=c.code)
            for c in labels.categories
        ]
        filters += [
            FigureFilter(base.first_month, base.last_month, gender=g) for g in Gender.values
        ]
    return filters
