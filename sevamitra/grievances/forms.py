"""Forms of the grievance pages. They check the shape of the input; the rules are the
services' (their refusals are put on these forms by views.add_domain_error)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.core.errors import DomainError, FieldErrors
from sevamitra.grievances.models import (
    SETTING_FIELDS,
    AppealStatus,
    ComplaintType,
    GrievanceSettings,
    Outcome,
)
from sevamitra.grievances.services._common import TEXT_MAX
from sevamitra.privacy.aadhaar import reject_aadhaar

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


def _text_field(label, help_text=""):  # type: ignore[no-untyped-def]
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write something here.")},
    )


def _file_field(label):  # type: ignore[no-untyped-def]
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal on the field it names, else on the form as a whole."""
    errors = exc.errors if isinstance(exc, FieldErrors) else [exc]
    for error in errors:
        name = error.field if error.field in form.fields else None
        form.add_error(name, str(error.message))


class ComplaintForm(forms.Form):
    type = forms.ChoiceField(
        label=_("What is the complaint about?"),
        choices=ComplaintType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the complaint is about.")},
    )
    text = _text_field(
        _("What happened?"),
        _("Say what happened, when, and what you want done. Do not type an Aadhaar number."),
    )
    photo_1 = _file_field(_("Photo or PDF 1 (optional)"))
    photo_2 = _file_field(_("Photo or PDF 2 (optional)"))
    photo_3 = _file_field(_("Photo or PDF 3 (optional)"))

    def files_list(self) -> list:  # type: ignore[type-arg]
        return [self.cleaned_data.get(f"photo_{n}") for n in (1, 2, 3)]


class TextForm(forms.Form):
    """One text: the Sevamitra's answer, the customer's reply, hearing notes, a reason."""

    def __init__(self, *args, label, help_text="", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["text"] = _text_field(label, help_text)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, close my complaint. No action will be taken on it."),
        error_messages={"required": _("Tick the box to close the complaint.")},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"),
        help_text=_("Both sides will read them. Say what you found and why you decided so."),
        max_length=TEXT_MAX,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the reasons for the decision.")},
    )
    refund_amount = forms.DecimalField(
        label=_("Refund ordered (₹, optional)"),
        help_text=_("The Sevamitra refunds the customer directly: the portal holds no money."),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    suspended_until = forms.DateField(
        label=_("Suspension: last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until_review = forms.BooleanField(
        label=_("Suspension until review (no end date: you lift it after a review)"),
        required=False,
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("outcome") != Outcome.SUSPENSION:
            # The suspension fields belong to a suspension only; left filled for another
            # decision they are ignored rather than refused.
            data["suspended_until"], data["until_review"] = None, False
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the suspension lifted?"),
        max_length=TEXT_MAX,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the suspension is lifted.")},
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why is the decision wrong?"),
        help_text=_("Give your side and anything the officer did not know."),
        max_length=TEXT_MAX,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write why the decision is wrong.")},
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision on the appeal"),
        choices=[
            (AppealStatus.UPHELD.value, _("Uphold the decision")),
            (AppealStatus.OVERTURNED.value, _("Overturn the decision")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose uphold or overturn.")},
    )
    reason = forms.CharField(
        label=_("Reasons"),
        max_length=TEXT_MAX,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the reasons for the decision.")},
    )


class GrievanceSettingsForm(forms.ModelForm):
    """The back office's form of the rules (admin.GrievanceSettingsAdmin)."""

    class Meta:
        model = GrievanceSettings
        fields = list(SETTING_FIELDS)
