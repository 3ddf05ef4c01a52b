"""The filter of the public figures (GET): district, service, gender, a range of the last 12
months, and which breakdown the page shows. The choices come from the cached names
(selectors.labels_get), so a page served from the cache asks the database nothing."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sevamitra.figures import selectors
from sevamitra.figures.selectors import FigureFilter, Labels, month_key
from sevamitra.providers.models import Gender

BREAKDOWNS = (
    ("month", _("Month")),
    ("district", _("District")),
    ("category", _("Service")),
    ("gender", _("Gender")),
)


def month_label(month: dt.date) -> str:
    """ "March 2026" in the page's language."""
    return formats.date_format(month, "F Y")


class FigureFilterForm(forms.Form):
    district = forms.ChoiceField(label=_("District"), required=False)
    category = forms.ChoiceField(label=_("Service"), required=False)
    gender = forms.ChoiceField(label=_("Gender of the Sevamitra"), required=False)
    first = forms.ChoiceField(label=_("From the month"), required=False)
    last = forms.ChoiceField(label=_("To the month"), required=False)
    by = forms.ChoiceField(label=_("Show the table by"), required=False, choices=BREAKDOWNS)

    def __init__(self, *args, labels: Labels, now: dt.datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.months = selectors.recent_months(now)
        districts = sorted(labels.districts, key=lambda d: d.name)
        self.fields["district"].choices = [
            ("", _("All districts")),
            *((d.code, d.name) for d in districts),
        ]
        self.fields["category"].choices = [
            ("", _("All services")),
            *((c.code, c.name) for c in labels.categories),
        ]
        self.fields["gender"].choices = [("", _("Everyone")), *Gender.choices]
        months = [(month_key(m), month_label(m)) for m in self.months]
        self.fields["first"].choices = months
        self.fields["last"].choices = months
        self.fields["first"].initial = month_key(self.months[0])
        self.fields["last"].initial = month_key(self.months[-1])

    def _month(self, name: str, default: dt.date) -> dt.date:
        value = self.cleaned_data.get(name) if self.is_bound else ""
        return dt.date.fromisoformat(f"{value}-01") if value else default

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", _("The last month cannot be before the first month."))
        return data

    def to_filter(self) -> FigureFilter:
        data = self.cleaned_data if self.is_bound else {}
        return FigureFilter(
            first_month=self._month("first", self.months[0]),
            last_month=self._month("last", self.months[-1]),
            district=data.get("district") or "",
            category=data.get("category") or "",
            gender=data.get("gender") or "",
        )

    def breakdown(self) -> str:
        return (self.cleaned_data.get("by") if self.is_bound else "") or "month"
