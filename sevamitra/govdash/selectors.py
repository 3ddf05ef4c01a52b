"""The one module that computes the government-order figures shown on the dashboards and in the
CSV export. Every figure goes through `DashboardFilter`: the offices in scope (None = the whole
department), the financial year (1 April–31 March), and optionally a district and a category.

What counts where (written down so that the numbers can be checked by hand):
- An order is a requisition past its draft; it belongs to the financial year in which its
  service starts (`starts_on`). District = the ordering office's district.
- Invoiced spend = the totals of the invoices of the financial year (`Invoice.financial_year`),
  by the month they were issued (Asia/Kolkata).
- Paid spend = the payments made in the financial year (`paid_on`), by the month paid.
- Days to payment: for each invoice paid in full, the days from the order's acceptance
  (`Requisition.accepted_on`) to the payment that completed it; averaged over the invoices
  completed in the financial year.
- Overdue: invoices not paid in full whose due date (`Invoice.due_on`: acceptance + the rule
  set's payment days, fixed when the invoice is issued) is before today, whatever their year;
  value = what is still owed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.invoicing.models import GovPayment, Invoice
from sevamitra.procurement.models import Requisition, RequisitionProvider, RequisitionStatus

FY_START_MONTH = 4
ZERO = Decimal("0.00")


# --- Financial years -------------------------------------------------------------------------


def today() -> datetime.date:
    """Today in India (Asia/Kolkata). The pages ask this function, so tests can set the day."""
    return timezone.localdate()


def financial_year_of(day: datetime.date) -> int:
    """The calendar year in which the financial year holding `day` starts (31/03/2027 → 2026)."""
    return day.year if day.month >= FY_START_MONTH else day.year - 1


def financial_year_label(start_year: int) -> str:
    """2026 → '2026-27' (as on invoices)."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


def financial_year_months(start_year: int) -> list[datetime.date]:
    """The first day of each month of the financial year, April to March."""
    return [
        datetime.date(start_year + (month < FY_START_MONTH), month, 1)
        for month in (*range(4, 13), *range(1, 4))
    ]


# --- The filter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilter:
    office_ids: frozenset[int] | None  # None: the whole department
    year: int  # the financial year starting in April of this year
    district_id: int | None = None
    category_id: int | None = None

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return financial_year_bounds(self.year)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


def _scoped(queryset: QuerySet, flt: DashboardFilter, prefix: str = "") -> QuerySet:
    """Limit a queryset reaching Requisition through `prefix` to the filter's offices,
    district and category."""
    if flt.office_ids is not None:
        queryset = queryset.filter(**{f"{prefix}office_id__in": flt.office_ids})
    if flt.district_id is not None:
        queryset = queryset.filter(**{f"{prefix}office__district_id": flt.district_id})
    if flt.category_id is not None:
        queryset = queryset.filter(**{f"{prefix}category_id": flt.category_id})
    return queryset


# --- Orders ----------------------------------------------------------------------------------

# The statuses an order shows on the dashboards, in the order of its life.
ORDER_STATUSES: tuple[str, ...] = tuple(
    status for status in RequisitionStatus.values if status != RequisitionStatus.DRAFT
)


def orders(flt: DashboardFilter) -> QuerySet[Requisition]:
    """The orders of the filter (past their draft, service starting in the financial year)."""
    first, last = flt.bounds
    queryset = Requisition.objects.exclude(status=RequisitionStatus.DRAFT).filter(
        starts_on__gte=first, starts_on__lte=last
    )
    return _scoped(queryset, flt)


def orders_by_status(flt: DashboardFilter) -> list[tuple[str, int]]:
    """(status, number of orders) for every status but draft, in the order of an order's life;
    statuses with no order are listed with 0."""
    counts = dict(
        orders(flt).order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(status, counts.get(status, 0)) for status in ORDER_STATUSES]


def average(values: Iterable[int]) -> Decimal | None:
    """The mean to one decimal place (half up), None for no values."""
    items = list(values)
    if not items:
        return None
    return (Decimal(sum(items)) / len(items)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Spend -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendRow:
    key: int | datetime.date  # category id, district id, or first day of the month
    label: str
    invoiced: Decimal
    paid: Decimal


def invoices(flt: DashboardFilter) -> QuerySet[Invoice]:
    """The invoices of the filter's financial year for orders in its scope."""
    return _scoped(
        Invoice.objects.filter(financial_year=flt.year_label), flt, prefix="requisition__"
    )


def payments(flt: DashboardFilter) -> QuerySet[GovPayment]:
    """The payments made in the filter's financial year for orders in its scope."""
    first, last = flt.bounds
    return _scoped(
        GovPayment.objects.filter(paid_on__gte=first, paid_on__lte=last),
        flt,
        prefix="invoice__requisition__",
    )


def spend_totals(flt: DashboardFilter) -> tuple[Decimal, Decimal]:
    """(invoiced, paid) in the financial year."""
    invoiced = invoices(flt).aggregate(s=Sum("total"))["s"] or ZERO
    paid = payments(flt).aggregate(s=Sum("amount"))["s"] or ZERO
    return invoiced, paid


def _sums_by(queryset: QuerySet, key: str, value: str) -> dict[int, Decimal]:
    rows = queryset.order_by().values(key).annotate(s=Sum(value)).values_list(key, "s")
    return dict(rows)


def _spend_rows(
    invoiced: dict[int, Decimal], paid: dict[int, Decimal], labels: dict[int, str]
) -> list[SpendRow]:
    rows = [
        SpendRow(
            key=key,
            label=labels[key],
            invoiced=invoiced.get(key, ZERO),
            paid=paid.get(key, ZERO),
        )
        for key in set(invoiced) | set(paid)
    ]
    # Largest spend first; ties by name so the order never changes between two loads.
    return sorted(rows, key=lambda row: (-row.invoiced, -row.paid, row.label))


def spend_by_category(flt: DashboardFilter) -> list[SpendRow]:
    """Invoiced and paid per service category (only categories with some spend)."""
    invoiced = _sums_by(invoices(flt), "requisition__category_id", "total")
    paid = _sums_by(payments(flt), "invoice__requisition__category_id", "amount")
    labels = {c.pk: c.name for c in Category.objects.filter(pk__in=set(invoiced) | set(paid))}
    return _spend_rows(invoiced, paid, labels)


def spend_by_district(flt: DashboardFilter) -> list[SpendRow]:
    """Invoiced and paid per district of the ordering office (only districts with some spend)."""
    invoiced = _sums_by(invoices(flt), "requisition__office__district_id", "total")
    paid = _sums_by(payments(flt), "invoice__requisition__office__district_id", "amount")
    labels = {d.pk: d.name for d in District.objects.filter(pk__in=set(invoiced) | set(paid))}
    return _spend_rows(invoiced, paid, labels)


def spend_by_month(flt: DashboardFilter) -> list[SpendRow]:
    """Invoiced (by month of issue, Asia/Kolkata) and paid (by month paid) for each of the
    twelve months of the financial year, April first; label 'MM/YYYY'."""
    months = financial_year_months(flt.year)
    invoiced = dict.fromkeys(months, ZERO)
    paid = dict.fromkeys(months, ZERO)
    for issued_at, total in invoices(flt).values_list("issued_at", "total"):
        month = timezone.localtime(issued_at).date().replace(day=1)
        if month in invoiced:  # an invoice is dated in its own financial year
            invoiced[month] += total
    for paid_on, amount in payments(flt).values_list("paid_on", "amount"):
        paid[paid_on.replace(day=1)] += amount
    return [
        SpendRow(key=m, label=m.strftime("%m/%Y"), invoiced=invoiced[m], paid=paid[m])
        for m in months
    ]


# --- Payment of invoices ---------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceState:
    """An invoice with what has been paid on it."""

    invoice: Invoice
    paid: Decimal
    last_paid_on: datetime.date | None

    @property
    def outstanding(self) -> Decimal:
        return self.invoice.total - self.paid

    @property
    def fully_paid(self) -> bool:
        return self.paid >= self.invoice.total

    @property
    def days_to_payment(self) -> int | None:
        """Days from the order's acceptance to the payment that completed the invoice."""
        accepted_on = self.invoice.requisition.accepted_on
        if not self.fully_paid or self.last_paid_on is None or accepted_on is None:
            return None
        return (self.last_paid_on - accepted_on).days

    def overdue_on(self, today: datetime.date) -> bool:
        return not self.fully_paid and self.invoice.due_on < today


def _invoice_states(queryset: QuerySet[Invoice]) -> list[InvoiceState]:
    rows = queryset.select_related(
        "requisition__office__district", "requisition__category", "provider"
    ).annotate(paid_sum=Sum("payments__amount"), last_paid_on=Max("payments__paid_on"))
    return [
        InvoiceState(invoice=inv, paid=inv.paid_sum or ZERO, last_paid_on=inv.last_paid_on)
        for inv in rows
    ]


def _scoped_invoices(flt: DashboardFilter) -> QuerySet[Invoice]:
    """Every invoice (any year) for orders in the filter's offices, district and category."""
    return _scoped(Invoice.objects.all(), flt, prefix="requisition__")


@dataclass(frozen=True)
class PaymentDays:
    invoices: int  # invoices paid in full within the financial year
    average: Decimal | None  # days from acceptance to full payment, one decimal place


def payment_days(flt: DashboardFilter) -> PaymentDays:
    """Average days from acceptance to full payment, over the invoices completed (paid in full)
    within the financial year."""
    first, last = flt.bounds
    days = [
        state.days_to_payment
        for state in _invoice_states(
            _scoped_invoices(flt).filter(
                pk__in=GovPayment.objects.filter(paid_on__gte=first, paid_on__lte=last).values(
                    "invoice_id"
                )
            )
        )
        if state.days_to_payment is not None
        and state.last_paid_on is not None
        and first <= state.last_paid_on <= last
    ]
    return PaymentDays(invoices=len(days), average=average(d for d in days if d is not None))


def overdue_invoices(flt: DashboardFilter, *, today: datetime.date) -> list[InvoiceState]:
    """Invoices of orders in scope (any year) not paid in full after their due date, the
    longest overdue first."""
    candidates = _invoice_states(_scoped_invoices(flt).filter(due_on__lt=today))
    overdue = [state for state in candidates if state.overdue_on(today)]
    return sorted(overdue, key=lambda s: (s.invoice.due_on, s.invoice.pk))


def overdue_summary(states: list[InvoiceState]) -> tuple[int, Decimal]:
    """(number of overdue invoices, value still owed on them)."""
    return len(states), sum((s.outstanding for s in states), start=ZERO)


# --- The orders export -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    """One order and one of its Sevamitras, with that Sevamitra's invoice and payments."""

    chosen: RequisitionProvider
    invoice: InvoiceState | None

    @property
    def order(self) -> Requisition:
        return self.chosen.requisition


def order_rows(flt: DashboardFilter) -> list[OrderRow]:
    """One row per order per Sevamitra for the orders of the filter, oldest order first. A
    Sevamitra booked more than once on an order (replacements, one row per run of days) is one
    row, its estimate the sum."""
    chosen = (
        RequisitionProvider.objects.filter(requisition__in=orders(flt))
        .select_related("requisition__office__district", "requisition__category", "provider")
        .order_by("requisition__starts_on", "requisition_id", "pk")
    )
    merged: dict[tuple[int, int], RequisitionProvider] = {}
    for row in chosen:
        key = (row.requisition_id, row.provider_id)
        if key in merged:
            merged[key].estimated_value += row.estimated_value
        else:
            merged[key] = row
    states = {
        (s.invoice.requisition_id, s.invoice.provider_id): s
        for s in _invoice_states(Invoice.objects.filter(requisition__in=orders(flt)))
    }
    return [OrderRow(chosen=c, invoice=states.get(key)) for key, c in merged.items()]
