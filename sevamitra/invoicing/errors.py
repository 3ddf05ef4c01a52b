"""Refusals of invoicing services: a stable code and a message for people."""

from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.errors import DomainError


class InvoiceError(DomainError):
    code = "invoice_refused"
    status = 409
    default_message = _("The invoice could not be issued.")


class PaymentError(DomainError):
    code = "payment_refused"
    status = 400
    default_message = _("The payment could not be recorded.")
