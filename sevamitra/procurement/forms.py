"""Forms of the government-order pages: they parse input; the services decide the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.catalog.models import Category
from sevamitra.privacy.aadhaar import reject_aadhaar
from sevamitra.procurement.models import Office


class RequisitionForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    category = forms.ModelChoiceField(
        label=_("Service"), queryset=Category.objects.filter(is_active=True)
    )
    # The browser's date and time pickers take ISO values whatever the language's format.
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Daily from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Daily to"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    workers = forms.IntegerField(label=_("Number of workers"), min_value=1, max_value=50, initial=1)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_aadhaar],
    )
    place_address = forms.CharField(
        label=_("Place of work"),
        required=False,
        max_length=500,
        help_text=_("Leave empty for the office's address."),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_aadhaar],
    )
    place_pincode = forms.CharField(
        label=_("Pincode of the place"),
        required=False,
        max_length=6,
        help_text=_("Leave empty for the office's pincode."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def __init__(self, *args, offices, order=None, **kwargs):  # type: ignore[no-untyped-def]
        """New requisition (`offices`: where the user may indent), or a change of `order`
        (prefilled from it; its office stays)."""
        if order is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "office": order.office_id,
                    "category": order.category_id,
                    "starts_on": order.starts_on,
                    "ends_on": order.ends_on,
                    "start_time": order.start_time,
                    "end_time": order.end_time,
                    "workers": order.workers,
                    "purpose": order.purpose,
                    "place_address": order.place_address,
                    "place_pincode": order.place_pincode,
                }
            )
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        field.queryset = offices  # type: ignore[attr-defined]
        if len(offices) == 1:
            field.initial = offices[0].pk
        if order is not None:
            field.disabled = True
            field.help_text = _("The office of an order does not change.")


class ChooseProvidersForm(forms.Form):
    offers = forms.TypedMultipleChoiceField(
        label=_("Choose the Sevamitras"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["offers"].choices = choices  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("send_back", _("Send back for changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=1000,
        help_text=_("Required when you send back or reject."),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_aadhaar],
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if (
            data.get("decision") in ("send_back", "reject")
            and not (data.get("remarks") or "").strip()
        ):
            self.add_error("remarks", _("Write remarks saying why."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_aadhaar],
    )


class ReplacementForm(forms.Form):
    offer = forms.TypedChoiceField(
        label=_("Choose the Sevamitra"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, choices, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = choices  # type: ignore[attr-defined]
