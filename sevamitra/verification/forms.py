"""Forms of the officer's verification pages. They parse and check input; the services
decide."""

from django import forms
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sevamitra.privacy.aadhaar import reject_aadhaar
from sevamitra.providers.models import Document, DocumentKind, VerificationStatus
from sevamitra.verification.models import NOTE_MAX_LENGTH, OFFICER_REASONS, ReasonCode


class Choice:
    APPROVE = "approve"
    CHANGES = "changes"
    REJECT = "reject"


CHOICE_LABELS = {
    Choice.APPROVE: _("Approve: verified, ID badge issued"),
    Choice.CHANGES: _("Ask for changes"),
    Choice.REJECT: _("Do not accept the registration"),
}
REVERIFY_LABEL = _("Approve again (re-verification): new ID badge")

# What an officer may decide, by the provider's status (VERIFICATION_TRANSITIONS).
CHOICES_BY_STATUS = {
    VerificationStatus.PENDING: (Choice.APPROVE, Choice.CHANGES, Choice.REJECT),
    VerificationStatus.VERIFIED: (Choice.APPROVE,),
    VerificationStatus.CHANGES_REQUESTED: (Choice.REJECT,),
}


def document_label(document: Document) -> str:
    """A checkbox label: the document's kind and what identifies it (a certificate number is
    marked as not to be translated)."""
    if document.kind == DocumentKind.IDENTITY:
        return str(
            _("%(kind)s: %(type)s ending %(last4)s")
            % {
                "kind": document.get_kind_display(),
                "type": document.get_id_type_display(),
                "last4": document.last4,
            }
        )
    until = date_format(document.expires_on, "SHORT_DATE_FORMAT") if document.expires_on else "-"
    # The sentence comes from the catalogue (trusted); every value in it is escaped.
    return mark_safe(  # noqa: S308
        str(_("%(kind)s %(reference)s, valid until %(date)s"))
        % {
            "kind": conditional_escape(document.get_kind_display()),
            "reference": format_html('<span translate="no">{}</span>', document.reference),
            "date": conditional_escape(until),
        }
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)
    documents = forms.MultipleChoiceField(
        label=_("Documents you checked"),
        help_text=_(
            "To approve, tick the identity document and, for services that need it, a police "
            "verification certificate valid today."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        help_text=_(
            "Needed to ask for changes or to refuse. The Sevamitra sees it in their language."
        ),
        choices=[("", "—"), *OFFICER_REASONS],
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the Sevamitra (optional)"),
        help_text=_("Simple words. Never a full Aadhaar number."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        validators=[reject_aadhaar],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, status: str, documents: list[Document], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        allowed = CHOICES_BY_STATUS.get(VerificationStatus(status), ())
        self.fields["decision"].choices = [
            (
                choice,
                REVERIFY_LABEL
                if choice == Choice.APPROVE and status == VerificationStatus.VERIFIED
                else CHOICE_LABELS[choice],
            )
            for choice in allowed
        ]
        self.fields["documents"].choices = [(str(d.pk), document_label(d)) for d in documents]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        decision, reason = cleaned.get("decision"), cleaned.get("reason")
        if decision in (Choice.CHANGES, Choice.REJECT) and not reason:
            self.add_error("reason", _("Choose a reason: the Sevamitra sees it in their language."))
        if reason == ReasonCode.OTHER and not cleaned.get("note") and "note" not in self.errors:
            self.add_error("note", _("With “Other”, write a note saying what is wrong."))
        return cleaned

    def document_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("documents") or []]


class QueueFilterForm(forms.Form):
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, districts, kinds, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [
            ("", _("All my districts")),
            *((d.pk, d.name) for d in districts),
        ]
        self.fields["kind"].choices = [("", _("Everything waiting")), *kinds]
