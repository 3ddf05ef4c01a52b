"""Forms of the Sevamitra's pages. They parse and check input; the services decide."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sevamitra.catalog.models import Category
from sevamitra.core.widgets import DateInput, TimeInput
from sevamitra.privacy.aadhaar import reject_aadhaar
from sevamitra.providers.models import Gender, IdType, Language, Weekday

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'\-]*")
_PINCODE_SPLIT = re.compile(r"[\s,;]+")
MAX_RUPEES = Decimal("99999999")


def _rupees(label: str, *, minimum: str = "0", initial: str | None = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(minimum),
        max_value=MAX_RUPEES,
        decimal_places=2,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "1", "min": minimum}),
    )


# --- registration steps ----------------------------------------------------------------------


class AboutForm(forms.Form):
    """Step 2: who you are."""

    name_hi = forms.CharField(
        label=_("Your name in Hindi"),
        help_text=_("As on your ID card, in Devanagari letters. For example: सुनीता देवी"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name", "lang": "hi"}),
    )
    name_latin = forms.CharField(
        label=_("Your name in English letters"),
        help_text=_("For example: Sunita Devi"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name", "lang": "en"}),
    )
    photo = forms.FileField(
        label=_("Your photo"),
        help_text=_(
            "A clear photo of your face, for your Sevamitra ID card. JPEG, PNG or WebP, "
            "at most %(mb)d MB."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect, initial="female"
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["hi"],
    )

    def __init__(self, *args, photo_required: bool = True, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.photo_required = photo_required
        photo = self.fields["photo"]
        photo.help_text = photo.help_text % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}

    def clean_name_hi(self) -> str:
        value = " ".join(self.cleaned_data["name_hi"].split())
        if not _DEVANAGARI.search(value):
            raise forms.ValidationError(_("Write your name in Hindi (Devanagari) letters."))
        return value

    def clean_name_latin(self) -> str:
        value = " ".join(self.cleaned_data["name_latin"].split())
        if not _LATIN_NAME.fullmatch(value):
            raise forms.ValidationError(_("Write your name in English letters (A to Z)."))
        return value

    def clean_photo(self):  # type: ignore[no-untyped-def]
        photo = self.cleaned_data.get("photo")
        if not photo and self.photo_required:
            raise forms.ValidationError(_("Add your photo."))
        return photo


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        if obj.police_verification_required:
            return _("%(service)s (police verification needed)") % {"service": obj.name}
        return obj.name


class ServicesForm(forms.Form):
    """Step 3: what you do."""

    categories = CategoryChoiceField(
        label=_("Services you offer"),
        help_text=_("Choose one or more."),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        error_messages={"required": _("Choose at least one service.")},
    )
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=60,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AreaForm(forms.Form):
    """Step 4: where you live and how far you travel."""

    pincode = forms.CharField(
        label=_("Your home pincode"),
        help_text=_("6 digits. Or use the button to take your location from your phone."),
        required=False,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 8}
        ),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    service_radius_km = forms.IntegerField(
        label=_("How far will you travel? (km)"),
        help_text=_("Up to %(km)d km from your home. 0 if you only serve the pincodes below."),
        min_value=0,
        max_value=50,
        initial=5,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    extra_pincodes = forms.CharField(
        label=_("Other pincodes you serve (optional)"),
        help_text=_("Separate them with commas, for example: 226010, 226016"),
        required=False,
        max_length=400,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        radius = self.fields["service_radius_km"]
        radius.max_value = settings.PROVIDER_MAX_RADIUS_KM
        radius.help_text = radius.help_text % {"km": settings.PROVIDER_MAX_RADIUS_KM}

    def clean_extra_pincodes(self) -> list[str]:
        raw = self.cleaned_data.get("extra_pincodes") or ""
        return [p for p in _PINCODE_SPLIT.split(raw) if p]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        if (cleaned.get("lat") is None) != (cleaned.get("lng") is None):
            cleaned["lat"] = cleaned["lng"] = None
        return cleaned


class PricesForm(forms.Form):
    """Step 5: a price and a visiting charge per service, and the provider's own terms."""

    free_cancellation_hours = forms.IntegerField(
        label=_("Free cancellation up to how many hours before?"),
        help_text=_("A customer who cancels later pays your cancellation fee."),
        min_value=0,
        max_value=168,
        initial=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    cancellation_fee = _rupees(_("Cancellation fee (₹)"), initial="0")
    included = forms.CharField(
        label=_("What is included in your price? (optional)"),
        help_text=_("For example: labour only, materials paid by the customer."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_aadhaar],
    )

    def __init__(self, *args, categories: list[Category], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.categories = categories
        fields = {}
        for category in categories:
            fields[f"price_{category.slug}"] = _rupees(
                _("Your price (₹ %(unit)s)") % {"unit": category.get_pricing_unit_display()},
                minimum="1",
            )
            fields[f"visiting_{category.slug}"] = _rupees(_("Visiting charge (₹)"), initial="0")
        # The services first, then the terms.
        self.fields = {**fields, **self.fields}

    def service_rows(self) -> list[tuple[Category, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"price_{c.slug}"], self[f"visiting_{c.slug}"]) for c in self.categories]

    def terms_fields(self) -> list[forms.BoundField]:
        return [self["free_cancellation_hours"], self["cancellation_fee"], self["included"]]

    def prices(self) -> dict[Category, tuple[Decimal, Decimal]]:
        return {
            c: (
                self.cleaned_data[f"price_{c.slug}"],
                self.cleaned_data[f"visiting_{c.slug}"] or Decimal("0"),
            )
            for c in self.categories
        }


class HoursForm(forms.Form):
    """Step 6: one working period per weekday."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[f"works_{day.value}"] = forms.BooleanField(
                label=_("I work on %(day)s") % {"day": day.label}, required=False
            )
            self.fields[f"from_{day.value}"] = forms.TimeField(
                label=_("From"), required=False, widget=TimeInput()
            )
            self.fields[f"to_{day.value}"] = forms.TimeField(
                label=_("To"), required=False, widget=TimeInput()
            )

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                day.label,
                self[f"works_{day.value}"],
                self[f"from_{day.value}"],
                self[f"to_{day.value}"],
            )
            for day in Weekday
        ]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        windows = []
        for day in Weekday:
            if not cleaned.get(f"works_{day.value}"):
                continue
            start, end = cleaned.get(f"from_{day.value}"), cleaned.get(f"to_{day.value}")
            if start is None or end is None:
                self.add_error(f"from_{day.value}", _("Give the time you start and finish."))
            elif start >= end:
                self.add_error(f"to_{day.value}", _("The end must be after the start."))
            else:
                windows.append(
                    (day.value, start.hour * 60 + start.minute, end.hour * 60 + end.minute)
                )
        if not windows and not self.errors:
            raise forms.ValidationError(_("Choose at least one day on which you work."))
        cleaned["windows"] = windows
        return cleaned


class DocumentsForm(forms.Form):
    """Step 7: an identity document (type and last four characters only), and the police
    verification certificate where a chosen service needs it."""

    id_type = forms.ChoiceField(
        label=_("Identity document"), choices=[("", "—"), *IdType.choices], required=False
    )
    last4 = forms.CharField(
        label=_("Last four digits or letters of its number"),
        help_text=_("Only the LAST FOUR. Never write your full Aadhaar number: we do not keep it."),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"maxlength": 4, "size": 6, "autocomplete": "off", "inputmode": "text"}
        ),
    )
    police_reference = forms.CharField(
        label=_("Police verification certificate number"), required=False, max_length=64
    )
    police_expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    police_file = forms.FileField(
        label=_("Photo or PDF of the certificate"),
        help_text=_("At most %(mb)d MB."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, identity_needed: bool, police_needed: bool, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.identity_needed = identity_needed
        self.police_needed = police_needed
        self.fields["id_type"].required = identity_needed
        self.fields["last4"].required = identity_needed
        if not police_needed:
            for name in ("police_reference", "police_expires_on", "police_file"):
                del self.fields[name]
        else:
            for name in ("police_reference", "police_expires_on", "police_file"):
                self.fields[name].required = True
            file = self.fields["police_file"]
            file.help_text = file.help_text % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}

    def clean_last4(self) -> str:
        value = "".join((self.cleaned_data.get("last4") or "").split())
        if value and (len(value) != 4 or not value.isascii() or not value.isalnum()):
            # Never send a full number back to the page: the field is emptied.
            self.data = self.data.copy()
            self.data[self.add_prefix("last4")] = ""
            raise forms.ValidationError(
                _("Enter only the last four characters of the number, not the full number.")
            )
        return value.upper()

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        if cleaned.get("id_type") and not cleaned.get("last4") and "last4" not in self.errors:
            self.add_error("last4", _("Enter the last four characters of the number."))
        if cleaned.get("last4") and not cleaned.get("id_type"):
            self.add_error("id_type", _("Choose the type of identity document."))
        return cleaned


POLICE_FIELDS = ("police_reference", "police_expires_on", "police_file")


class DocumentAddForm(DocumentsForm):
    """After registration: another identity document, or a renewed police verification
    certificate (its number, validity and a photo or PDF of it), or both."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, identity_needed=False, police_needed=True, **kwargs)
        for name in POLICE_FIELDS:
            self.fields[name].required = False

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        identity = cleaned.get("id_type") or cleaned.get("last4")
        police = [name for name in POLICE_FIELDS if cleaned.get(name)]
        if police:
            for name in POLICE_FIELDS:
                if name not in police and name not in self.errors:
                    self.add_error(name, _("Needed for the police verification certificate."))
        elif not identity and not self.errors:
            raise forms.ValidationError(
                _("Fill in an identity document or a police verification certificate.")
            )
        return cleaned


# --- dashboard -------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Customer's code"),
        help_text=_("The 4-digit code the customer tells you."),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6, "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has 4 digits."))
        return code


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not take it? (optional)"),
        required=False,
        max_length=200,
        validators=[reject_aadhaar],
    )


class LeaveForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=200, validators=[reject_aadhaar]
    )
