"""Invoices of Sevamitras to government offices, and the payments the offices record.

Numbering: one gap-free series per provider per financial year (1 April – 31 March, dates in
Asia/Kolkata). `InvoiceCounter` holds the last number given; `services.invoice_issue` takes it
with SELECT … FOR UPDATE in the transaction that creates the invoice, so a number is used
only if its invoice commits, and concurrent issues for one provider queue one behind the other.
The number printed on the invoice is `SVM/<provider id>/<financial year>/<number, 4 digits>`,
e.g. `SVM/42/2026-27/0001` (16 characters at most, the GST limit for an invoice number, for
provider ids below 1,000,000).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InvoiceKind(models.TextChoices):
    TAX_INVOICE = "tax_invoice", _("Tax invoice")
    BILL_OF_SUPPLY = "bill_of_supply", _("Bill of supply")


class InvoiceCounter(models.Model):
    """The last invoice number a provider used in a financial year."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    financial_year = models.CharField(_("financial year"), max_length=7)
    last = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "financial_year"], name="invoice_counter_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.financial_year}: {self.last}"


class Invoice(models.Model):
    """A provider's invoice (or bill of supply) to an office for one order."""

    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("Sevamitra"),
    )
    requisition = models.ForeignKey(
        "procurement.Requisition",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=pgettext_lazy("government order", "order"),
    )
    financial_year = models.CharField(_("financial year"), max_length=7)
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=InvoiceKind.choices)
    # Snapshots at issue: the document never changes after it is issued.
    supplier_gstin = models.CharField(_("supplier GSTIN"), max_length=15, blank=True)
    # The supplier's business address as printed, one line each, the district and state in
    # Hindi and English (empty on invoices issued before addresses were kept: the PDF then
    # prints the district).
    supplier_address = models.TextField(_("supplier address"), blank=True)
    recipient_gstin = models.CharField(_("recipient GSTIN"), max_length=15, blank=True)
    place_of_supply = models.CharField(_("place of supply (state code)"), max_length=2)
    sac_code = models.CharField(_("SAC code"), max_length=8, blank=True)
    gst_rate_percent = models.DecimalField(_("GST rate (%)"), max_digits=5, decimal_places=2)
    lines = models.JSONField(_("lines"))
    taxable_value = models.DecimalField(_("taxable value (₹)"), max_digits=12, decimal_places=2)
    cgst = models.DecimalField(_("CGST (₹)"), max_digits=12, decimal_places=2)
    sgst = models.DecimalField(_("SGST (₹)"), max_digits=12, decimal_places=2)
    igst = models.DecimalField(_("IGST (₹)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total (₹)"), max_digits=12, decimal_places=2)
    words_en = models.CharField(_("total in words (English)"), max_length=300)
    words_hi = models.CharField(_("total in words (Hindi)"), max_length=300)
    due_on = models.DateField(_("payment due by"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "financial_year", "number"], name="invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["provider", "requisition"], name="invoice_one_per_provider_per_order"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="invoice_number_positive"),
            models.CheckConstraint(
                condition=Q(financial_year__regex=r"^[0-9]{4}-[0-9]{2}$"),
                name="invoice_financial_year_format",
            ),
            models.CheckConstraint(
                condition=Q(
                    total=models.F("taxable_value")
                    + models.F("cgst")
                    + models.F("sgst")
                    + models.F("igst")
                ),
                name="invoice_total_is_sum",
            ),
            models.CheckConstraint(
                condition=Q(kind="tax_invoice") | Q(cgst=0, sgst=0, igst=0),
                name="invoice_bill_of_supply_no_tax",
            ),
            models.CheckConstraint(
                condition=Q(taxable_value__gte=0, cgst__gte=0, sgst__gte=0, igst__gte=0),
                name="invoice_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"SVM/{self.provider_id}/{self.financial_year}/{self.number:04d}"


class GovPayment(models.Model):
    """A payment an office's finance officer recorded against an invoice (treasury/PFMS)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    reference = models.CharField(_("treasury/PFMS reference"), max_length=40)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (₹)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("payment of an invoice")
        verbose_name_plural = _("payments of invoices")
        ordering = ["invoice_id", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="gov_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"
