"""Pages of government-order invoices: the provider's (what is due and paid per order, issue,
PDF) and the finance officer's (the office's invoices, record a payment, overdue flagged)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sevamitra.core.errors import DomainError
from sevamitra.invoicing import pdf, selectors, services
from sevamitra.invoicing import permissions as can
from sevamitra.invoicing.forms import PaymentForm, add_domain_error
from sevamitra.invoicing.models import Invoice
from sevamitra.procurement.models import Requisition
from sevamitra.providers.models import Provider
from sevamitra.providers.web.work import provider_required


def _rows(invoices, today):  # type: ignore[no-untyped-def]
    return [
        {
            "invoice": invoice,
            "due": invoice.total - invoice.paid,
            "overdue": selectors.is_overdue(invoice, paid=invoice.paid, today=today),
        }
        for invoice in invoices
    ]


@provider_required
@require_safe
def mine(request: HttpRequest, provider: Provider) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "invoicing/mine.html",
        {
            "to_invoice": selectors.orders_to_invoice(provider_id=provider.pk),
            "has_address": provider.has_business_address,
            "rows": _rows(selectors.invoices_for_provider(provider_id=provider.pk), today),
        },
    )


@provider_required
@require_POST
def issue(request: HttpRequest, provider: Provider, requisition_id: int) -> HttpResponse:
    requisition = get_object_or_404(Requisition, pk=requisition_id)
    if not requisition.chosen.filter(provider=provider).exists():
        raise Http404
    try:
        invoice = services.invoice_issue(
            requisition=requisition, provider=provider, acting_user=request.user
        )
    except DomainError as exc:
        if exc.code == "no_business_address":
            # Straight to the page that fixes it, and back here once it is saved.
            messages.error(
                request,
                _(
                    "Add your business address first: GST rules want it on the invoice. "
                    "Then issue the invoice again."
                ),
            )
            return redirect(f"{reverse('providers:address')}?next=invoices")
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Invoice %(number)s issued.") % {"number": invoice.display_number}
        )
    return redirect("invoicing:mine")


@login_required
@never_cache
@require_safe
def office(request: HttpRequest) -> HttpResponse:
    office_ids = selectors.office_ids_for_finance(request.user)
    if not office_ids:
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "invoicing/office.html",
        {
            "rows": _rows(selectors.invoices_for_offices(office_ids=office_ids), today),
            "to_invoice": selectors.awaiting_invoice(office_ids=office_ids),
        },
    )


@login_required
@never_cache
@require_POST
def issue_for(request: HttpRequest, requisition_id: int, provider_id: int) -> HttpResponse:
    """The finance officer generates the invoice in the provider's name."""
    requisition = get_object_or_404(Requisition, pk=requisition_id)
    chosen = requisition.chosen.filter(provider_id=provider_id).select_related("provider").first()
    if chosen is None:
        raise Http404
    try:
        invoice = services.invoice_issue(
            requisition=requisition, provider=chosen.provider, acting_user=request.user
        )
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Invoice %(number)s issued.") % {"number": invoice.display_number}
        )
    return redirect("invoicing:office")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice.objects.select_related("provider", "requisition__office"), pk=invoice_id
    )
    if not can.can_record_payment(request.user, invoice):
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                services.payment_record(
                    invoice=invoice,
                    reference=form.cleaned_data["reference"],
                    paid_on=form.cleaned_data["paid_on"],
                    amount=form.cleaned_data["amount"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect("invoicing:office")
    else:
        form = PaymentForm(today=today)
    paid = selectors.invoice_paid(invoice)
    return render(
        request,
        "invoicing/pay.html",
        {
            "invoice": invoice,
            "form": form,
            "paid": paid,
            "due": invoice.total - paid,
            "payments": invoice.payments.all(),
        },
    )


@login_required
@never_cache
@require_safe
def invoice_file(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The PDF: for the provider, the office's officers, administrators and auditors; 404 for
    anyone else (an invoice's existence is not disclosed)."""
    try:
        invoice = selectors.invoice_for_pdf(pk=invoice_id)
    except Invoice.DoesNotExist:
        raise Http404 from None
    if not can.can_view_invoice(request.user, invoice):
        raise Http404
    response = HttpResponse(pdf.invoice_pdf(invoice), content_type="application/pdf")
    name = invoice.display_number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
