"""The Sevamitra's business address: the postal address a GST invoice prints under their name
(services.provider_business_address_set). The district is derived from the pincode.

`?next=invoices` (the invoices page sends the Sevamitra here when an invoice was refused for
want of an address) returns there after saving; no other target is followed."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sevamitra.core.errors import DomainError
from sevamitra.privacy.aadhaar import reject_aadhaar
from sevamitra.providers import services
from sevamitra.providers.models import Provider
from sevamitra.providers.web.work import provider_required

# Where a saved address may send the Sevamitra back to (by name, never a URL from the query).
NEXT_PAGES = {"invoices": "invoicing:mine"}


class BusinessAddressForm(forms.Form):
    line1 = forms.CharField(
        label=gettext_lazy("House or shop number, street"),
        max_length=200,
        validators=[reject_aadhaar],
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(
        label=gettext_lazy("Landmark or area (if any)"),
        max_length=200,
        required=False,
        validators=[reject_aadhaar],
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    locality = forms.CharField(
        label=gettext_lazy("Town, village or locality"),
        max_length=120,
        validators=[reject_aadhaar],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    pincode = forms.CharField(
        label=gettext_lazy("Pincode"),
        max_length=6,
        help_text=gettext_lazy("6 digits. The district is taken from the pincode."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )


def _add_error(form: forms.Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _initial(provider: Provider) -> dict[str, str]:
    return {
        "line1": provider.business_line1,
        "line2": provider.business_line2,
        "locality": provider.business_locality,
        "pincode": provider.business_pincode,
    }


@provider_required
@require_http_methods(["GET", "HEAD", "POST"])
def business_address(request: HttpRequest, provider: Provider) -> HttpResponse:
    next_page = request.GET.get("next", "")
    if next_page not in NEXT_PAGES:
        next_page = ""
    form = BusinessAddressForm(request.POST or None, initial=_initial(provider))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_business_address_set(
                provider=provider, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request, _("Your business address is saved. Your invoices will carry it.")
            )
            return redirect(NEXT_PAGES.get(next_page, "providers:profile"))
    return render(
        request,
        "providers/address.html",
        {"provider": provider, "form": form, "next_page": next_page},
        status=400 if form.errors else 200,
    )
