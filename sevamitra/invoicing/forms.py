import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.core.errors import DomainError, FieldErrors


class PaymentForm(forms.Form):
    reference = forms.CharField(
        label=_("Treasury/PFMS reference"),
        max_length=40,
        help_text=_("As on the treasury voucher or the PFMS payment advice."),
    )
    paid_on = forms.DateField(
        label=_("Paid on"),
        help_text=_("DD/MM/YYYY"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    amount = forms.DecimalField(
        label=_("Amount (₹)"), max_digits=12, decimal_places=2, min_value=0.01
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if today is not None and not self.is_bound:
            self.initial.setdefault("paid_on", today.strftime("%d/%m/%Y"))


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal on the field it names, else on the form as a whole."""
    errors = exc.errors if isinstance(exc, FieldErrors) else [exc]
    for error in errors:
        name = error.field if error.field in form.fields else None
        form.add_error(name, str(error.message))
