"""Reads for invoices and payments."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.invoicing.models import GovPayment, Invoice
from sevamitra.procurement.models import (
    OfficePost,
    OfficerPost,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
)

ZERO = Decimal("0.00")
DONE = (BookingStatus.COMPLETED, BookingStatus.RATED)


def billable_bookings(*, requisition: Requisition, provider_id: int) -> QuerySet[Booking]:
    """The provider's completed bookings made for the order (its booking series)."""
    return Booking.objects.filter(
        provider_id=provider_id,
        series__requisition_provider__requisition=requisition,
        status__in=DONE,
    ).order_by("starts_at", "pk")


def _with_paid(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return queryset.annotate(
        paid=Coalesce(
            Sum("payments__amount"),
            Value(ZERO),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def invoice_paid(invoice: Invoice) -> Decimal:
    total = GovPayment.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"]
    return total if total is not None else ZERO


def is_overdue(invoice: Invoice, *, paid: Decimal, today: dt.date) -> bool:
    """Not fully paid after its due date (acceptance + the rules' payment days)."""
    return paid < invoice.total and today > invoice.due_on


def invoices_for_provider(*, provider_id: int) -> QuerySet[Invoice]:
    return _with_paid(
        Invoice.objects.filter(provider_id=provider_id).select_related(
            "requisition__office", "requisition__category"
        )
    )


def office_ids_for_finance(user) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        OfficePost.objects.filter(user=user, post=OfficerPost.FINANCE, active=True).values_list(
            "office_id", flat=True
        )
    )


def invoices_for_offices(*, office_ids: list[int]) -> QuerySet[Invoice]:
    return _with_paid(
        Invoice.objects.filter(requisition__office_id__in=office_ids).select_related(
            "provider", "requisition__office", "requisition__category"
        )
    )


@dataclass(frozen=True)
class OrderToInvoice:
    """An accepted order of the provider without an invoice yet."""

    requisition: Requisition
    completed_days: int


def orders_to_invoice(*, provider_id: int) -> list[OrderToInvoice]:
    """Accepted orders the provider worked on and has not invoiced yet."""
    chosen = (
        RequisitionProvider.objects.filter(
            provider_id=provider_id, requisition__status=RequisitionStatus.ACCEPTED
        )
        .exclude(requisition__invoices__provider_id=provider_id)
        .select_related("requisition__office", "requisition__category")
        .order_by("requisition__accepted_on", "pk")
    )
    result = []
    seen: set[int] = set()
    for row in chosen:
        if row.requisition_id in seen:  # booked twice on one order (replacements): one invoice
            continue
        seen.add(row.requisition_id)
        days = billable_bookings(requisition=row.requisition, provider_id=provider_id).count()
        if days:
            result.append(OrderToInvoice(requisition=row.requisition, completed_days=days))
    return result


def invoice_for_pdf(*, pk: int) -> Invoice:
    return Invoice.objects.select_related(
        "provider__district", "requisition__office__district", "requisition__category", "issued_by"
    ).get(pk=pk)


def awaiting_invoice(*, office_ids: list[int]) -> list[RequisitionProvider]:
    """Providers of the offices' accepted orders who did work on them and have not been
    invoiced yet (one entry per order and provider; a Sevamitra whose visits were all declined
    or cancelled has nothing to invoice)."""
    rows = (
        RequisitionProvider.objects.filter(
            requisition__office_id__in=office_ids,
            requisition__status=RequisitionStatus.ACCEPTED,
        )
        .filter(
            Exists(
                Booking.objects.filter(
                    provider_id=OuterRef("provider_id"),
                    series__requisition_provider__requisition_id=OuterRef("requisition_id"),
                    status__in=DONE,
                )
            )
        )
        .select_related("provider", "requisition__office", "requisition__category")
        .order_by("requisition__accepted_on", "pk")
    )
    seen = set(
        Invoice.objects.filter(requisition__office_id__in=office_ids).values_list(
            "requisition_id", "provider_id"
        )
    )
    result = []
    for row in rows:
        key = (row.requisition_id, row.provider_id)
        if key not in seen:
            seen.add(key)
            result.append(row)
    return result
