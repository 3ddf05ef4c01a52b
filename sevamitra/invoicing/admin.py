"""Invoices and payments in the back office: read-only (they are written by the services)."""

from django.contrib import admin

from sevamitra.invoicing.models import GovPayment, Invoice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "total", "due_on", "issued_at"]
    list_filter = ["kind", "financial_year"]
    list_select_related = ["provider"]


@admin.register(GovPayment)
class GovPaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "reference", "paid_on", "amount"]
    list_select_related = ["invoice"]
