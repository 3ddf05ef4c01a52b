from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.phone import normalize_phone
from sevamitra.privacy.aadhaar import reject_aadhaar


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        help_text=_("10 digits, for example 98765 43210."),
        max_length=20,
        widget=TelInput(attrs={"inputmode": "tel", "autocomplete": "tel-national", "size": 14}),
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        help_text=_("The 6-digit code we sent you by SMS."),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )


class AddressForm(forms.Form):
    """A saved address. The pincode is checked (and the point found) by `address_create` /
    `address_update`; their refusals come back onto this form."""

    label = forms.CharField(
        label=_("Name for this address"),
        help_text=_("For example: Home, Office, Parents' home."),
        max_length=40,
    )
    line = forms.CharField(
        label=_("House, street and landmark"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        validators=[reject_aadhaar],
    )
    locality = forms.CharField(
        label=_("Locality"), max_length=120, required=False, validators=[reject_aadhaar]
    )
    pincode = forms.CharField(
        label=_("Pincode"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 8}
        ),
    )
