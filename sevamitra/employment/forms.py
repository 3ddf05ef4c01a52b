"""Forms of the employment pages: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.core.errors import DomainError


class LinkForm(forms.Form):
    registration_number = forms.CharField(
        label=_("Employment-exchange registration number"),
        help_text=_("As on your registration card, for example UPLKO2024000105."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your registration number.")},
    )


class ShareForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree: Sevamitra may send my work-history record to the employment exchange and "
            "keep it up to date there until I withdraw."
        ),
        error_messages={"required": _("Tick the box to agree to share your work history.")},
    )


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the field it is about (else at the top of the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
