"""Issuing invoices for government orders and recording their payments. Both audited.

Who issues: under GST the supplier issues the invoice. The portal generates it in the
provider's name — from the provider's own page, or by the ordering office's finance officer on
the provider's behalf (permissions.py); `issued_by` records who did it.

Amounts: the provider's completed bookings of the order (its booking series), from each
booking's stored quote (the provider's own price at booking time, zero commission): the
service quantity and price, the visiting charges, any discount. The tax is computed afresh on
the invoice's taxable value by tax.tax_breakup (intra-state CGST+SGST, inter-state IGST, or a
bill of supply without a GSTIN).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_change
from sevamitra.bookings.pricing import DISCOUNT, SERVICE, VISITING_CHARGE, Quote
from sevamitra.invoicing import permissions as can
from sevamitra.invoicing.errors import InvoiceError, PaymentError
from sevamitra.invoicing.fiscal import financial_year, india_date
from sevamitra.invoicing.models import GovPayment, Invoice, InvoiceCounter, InvoiceKind
from sevamitra.invoicing.selectors import billable_bookings
from sevamitra.invoicing.tax import tax_breakup
from sevamitra.invoicing.words import amount_in_words_en, amount_in_words_hi
from sevamitra.procurement.models import Requisition, RequisitionStatus
from sevamitra.providers.models import Provider

DEFAULT_PAYMENT_DUE_DAYS = 10
PAISE = Decimal("0.01")
REFERENCE_MAX = 40


def _next_number(*, provider: Provider, year: str) -> int:
    """The next number of the provider's series for the year, taken under a row lock held until
    the caller's transaction ends: gap-free (an invoice that rolls back gives its number back)
    and never twice."""
    if not InvoiceCounter.objects.filter(provider=provider, financial_year=year).exists():
        try:
            with transaction.atomic():  # a savepoint: losing the race to create is harmless
                InvoiceCounter.objects.create(provider=provider, financial_year=year, last=0)
        except IntegrityError:
            pass
    counter = InvoiceCounter.objects.select_for_update().get(provider=provider, financial_year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _supplier_address(provider: Provider) -> str:
    """The business address as the invoice prints it, one line each; the district and the
    state in Hindi and English (the invoice is bilingual)."""
    if not provider.has_business_address or provider.business_district is None:
        return ""
    district = provider.business_district
    lines = [provider.business_line1, provider.business_line2, provider.business_locality]
    lines.append(f"{district.name_hi} / {district.name_en} – {provider.business_pincode}")
    lines.append("उत्तर प्रदेश / Uttar Pradesh")
    return "\n".join(line for line in lines if line)


def _lines(bookings, *, category) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Invoice lines from the bookings' quotes: the service grouped by price, then visiting
    charges and discounts, each with the number of days it covers."""
    service: dict[Decimal, list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    extras: dict[str, list[Any]] = {}
    for booking in bookings:
        quote = Quote.from_dict(booking.quote)
        for line in quote.lines:
            if line.code == SERVICE:
                row = service[line.unit_price]
                row[0] += line.quantity
                row[1] += line.amount
                row[2] += 1
            elif line.code in (VISITING_CHARGE, DISCOUNT):
                row = extras.setdefault(line.code, [Decimal(0), Decimal(0), 0])
                row[0] += line.quantity
                row[1] += line.amount
                row[2] += 1
    lines = []
    for price, (quantity, amount, days) in sorted(service.items()):
        lines.append(
            {
                "code": SERVICE,
                "description_en": category.name_en,
                "description_hi": category.name_hi,
                "unit": category.pricing_unit,
                "days": days,
                "quantity": format(quantity.normalize(), "f"),
                "rate": format(price, "f"),
                "taxable": format(amount, "f"),
            }
        )
    labels = {
        VISITING_CHARGE: ("Visiting charge", "आने का शुल्क"),
        DISCOUNT: ("Discount", "छूट"),
    }
    for code in (VISITING_CHARGE, DISCOUNT):
        if code in extras:
            quantity, amount, days = extras[code]
            lines.append(
                {
                    "code": code,
                    "description_en": labels[code][0],
                    "description_hi": labels[code][1],
                    "unit": "visit",
                    "days": days,
                    "quantity": format(quantity.normalize(), "f"),
                    "rate": format((amount / quantity).quantize(PAISE), "f"),
                    "taxable": format(amount, "f"),
                }
            )
    return lines


@transaction.atomic
def invoice_issue(
    *,
    requisition: Requisition,
    provider: Provider,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Invoice:
    """Issue the provider's invoice (or bill of supply) for an accepted order.

    Refused: not permitted; the order is not accepted yet; the provider has no business
    address on record (the invoice must carry it; code "no_business_address"); the provider did
    no completed work on it; an invoice already exists for this provider and order. Nothing is
    written then. The address is copied onto the invoice, which never changes afterwards."""
    now = now or timezone.now()
    if not can.can_issue_invoice(acting_user, provider, requisition):
        raise NotPermitted()
    # Lock the order first (fixed order: requisition, then the counter) so that two clicks on
    # "issue" for the same order queue, and the second sees the first invoice.
    requisition = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("office", "category", "rule_set")
        .get(pk=requisition.pk)
    )
    if requisition.status != RequisitionStatus.ACCEPTED or requisition.accepted_on is None:
        raise InvoiceError(
            _("An invoice can be issued only after the office has accepted the work."),
            code="not_accepted",
        )
    if Invoice.objects.filter(provider=provider, requisition=requisition).exists():
        raise InvoiceError(
            _("An invoice for this order has already been issued."), code="already_invoiced"
        )
    if not provider.has_business_address:
        raise InvoiceError(
            _(
                "The Sevamitra's business address is not on record, and GST rules want it on "
                "the invoice. The Sevamitra adds it under Profile → Business address; then the "
                "invoice can be issued."
            ),
            code="no_business_address",
        )
    bookings = list(billable_bookings(requisition=requisition, provider_id=provider.pk))
    if not bookings:
        raise InvoiceError(
            _("There is no completed work of this Sevamitra on this order to invoice."),
            code="nothing_to_invoice",
        )
    category = requisition.category
    office = requisition.office
    lines = _lines(bookings, category=category)
    taxable = sum((Decimal(line["taxable"]) for line in lines), Decimal("0.00"))
    breakup = tax_breakup(
        taxable_value=taxable,
        supplier_gstin=provider.gstin.strip().upper(),
        recipient_state_code=office.state_code,
        recipient_gstin=office.gstin.strip().upper(),
        rate_percent=category.gst_rate_percent,
    )
    due_days = (
        requisition.rule_set.payment_due_days
        if requisition.rule_set is not None
        else DEFAULT_PAYMENT_DUE_DAYS
    )
    year = financial_year(india_date(now))
    invoice = Invoice(
        provider=provider,
        requisition=requisition,
        financial_year=year,
        kind=breakup.kind,
        supplier_gstin=provider.gstin.strip().upper(),
        supplier_address=_supplier_address(provider),
        recipient_gstin=office.gstin.strip().upper(),
        place_of_supply=breakup.place_of_supply,
        sac_code=category.sac_code,
        gst_rate_percent=breakup.rate_percent,
        lines=lines,
        taxable_value=breakup.taxable_value,
        cgst=breakup.cgst,
        sgst=breakup.sgst,
        igst=breakup.igst,
        total=breakup.total,
        words_en=amount_in_words_en(breakup.total),
        words_hi=amount_in_words_hi(breakup.total),
        due_on=requisition.accepted_on + dt.timedelta(days=due_days),
        issued_at=now,
        issued_by=acting_user,
    )
    assert invoice.kind in InvoiceKind.values
    invoice.number = _next_number(provider=provider, year=year)
    invoice.save()
    audit_change(
        actor=acting_user,
        action="invoice.issued",
        obj=invoice,
        fields=(
            "provider_id",
            "requisition_id",
            "financial_year",
            "number",
            "kind",
            "place_of_supply",
            "taxable_value",
            "cgst",
            "sgst",
            "igst",
            "total",
            "due_on",
        ),
    )
    return invoice


def _clean_reference(reference: str) -> str:
    value = " ".join((reference or "").split()).upper()
    if not value:
        raise PaymentError(_("Enter the treasury/PFMS reference."), field="reference")
    if len(value) > REFERENCE_MAX or not all(c.isalnum() or c in "-/ " for c in value):
        raise PaymentError(
            _("The reference may have at most 40 letters, digits, '-' and '/'."),
            field="reference",
        )
    return value


def _clean_amount(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise PaymentError(_("Enter an amount above zero."), field="amount")
    if amount != amount.quantize(PAISE):
        raise PaymentError(_("Enter the amount in rupees and paise."), field="amount")
    return amount.quantize(PAISE)


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    reference: str,
    paid_on: dt.date,
    amount: Decimal,
    acting_user: User,
    today: dt.date | None = None,
) -> GovPayment:
    """Record a payment the office made against an invoice (treasury/PFMS reference).

    Refused: not the finance officer of the ordering office; no reference; an amount not
    above zero; a date in the future or before the invoice; more than what is still due (the
    invoice row is locked, so two payments recorded at once cannot together exceed it)."""
    today = today or timezone.localdate()
    if not can.can_record_payment(acting_user, invoice):
        raise NotPermitted()
    reference = _clean_reference(reference)
    value = _clean_amount(amount)
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    if paid_on > today:
        raise PaymentError(_("The payment date cannot be in the future."), field="paid_on")
    if paid_on < india_date(invoice.issued_at):
        raise PaymentError(
            _("The payment date cannot be before the invoice date."), field="paid_on"
        )
    paid = GovPayment.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"] or Decimal(
        "0.00"
    )
    due = invoice.total - paid
    if value > due:
        raise PaymentError(
            _("The amount is more than what is still due on this invoice (₹%(due)s).")
            % {"due": due},
            field="amount",
            code="above_total",
        )
    payment = GovPayment.objects.create(
        invoice=invoice,
        reference=reference,
        paid_on=paid_on,
        amount=value,
        recorded_by=acting_user,
    )
    audit_change(
        actor=acting_user,
        action="payment.recorded",
        obj=payment,
        fields=("invoice_id", "reference", "paid_on", "amount"),
    )
    return payment
