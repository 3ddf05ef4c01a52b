from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sevamitra.invoicing"
    verbose_name = _("Invoices and payments for government orders")
