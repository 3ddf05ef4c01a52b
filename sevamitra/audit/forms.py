"""The auditor's filter (GET): dates are local (Asia/Kolkata) days, both included."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.models import User
from sevamitra.accounts.phone import normalize_phone
from sevamitra.audit.selectors import AuditFilter
from sevamitra.core.widgets import DateInput

MAX_DAYS = 366 * 5


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput())
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("As shown in the list; end with a full stop to match a whole group"),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        help_text=_("As shown in the list, without the number"),
    )
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    actor = forms.CharField(
        label=_("Done by (mobile number)"),
        required=False,
        max_length=16,
        help_text=_("10-digit mobile number"),
    )

    def clean_actor(self) -> str:
        value = self.cleaned_data["actor"].strip()
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except (ValueError, ValidationError):
            raise ValidationError(_("Enter a 10-digit mobile number.")) from None

    def clean_action(self) -> str:
        return self.cleaned_data["action"].strip().lower()

    def clean_object_type(self) -> str:
        return self.cleaned_data["object_type"].strip().lower()

    def clean_object_id(self) -> str:
        return self.cleaned_data["object_id"].strip()

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("date_to", _("Choose at most five years at a time."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        actor_id = None
        if data["actor"]:
            # An unknown number matches nobody (0 is no user's id).
            actor_id = User.objects.filter(phone=data["actor"]).values_list("pk", flat=True).first()
            actor_id = actor_id or 0
        return AuditFilter(
            since=_day_start(data["date_from"]),
            until=_day_start(data["date_to"] + dt.timedelta(days=1)) if data["date_to"] else None,
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            actor_id=actor_id,
        )

    def export_query(self) -> dict[str, str]:
        """The filter as written down in an export's header."""
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


def _day_start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
