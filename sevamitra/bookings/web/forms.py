"""Forms of the citizen's pages: search, booking, reschedule, cancel, rating.

They check the shape of the input only; every rule about bookings stays in the booking
engine, whose refusals the views put back on these forms (`add_domain_error`).
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.models import Address
from sevamitra.bookings.models import BookingKind, SeriesFrequency
from sevamitra.catalog.models import PricingUnit
from sevamitra.core.errors import DomainError, FieldErrors
from sevamitra.core.widgets import DateInput, TimeInput
from sevamitra.geo.pincodes import pincode_info
from sevamitra.privacy.aadhaar import reject_aadhaar

SERIES_KINDS = frozenset({BookingKind.SERIES, BookingKind.ENGAGEMENT})


def _date_bounds(widget: forms.Widget) -> None:
    today = timezone.localdate()
    widget.attrs["min"] = today.isoformat()
    widget.attrs["max"] = (today + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)).isoformat()


def add_domain_error(
    form: forms.Form, exc: DomainError, fields: dict[str, str | None] | None = None
) -> None:
    """Put a refusal of a service on the form: on the field it names (through `fields`,
    service field → form field), else on the form as a whole."""
    errors = exc.errors if isinstance(exc, FieldErrors) else [exc]
    for error in errors:
        name = (fields or {}).get(error.field or "", error.field)
        form.add_error(name if name in form.fields else None, str(error.message))


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class SlotFields(forms.Form):
    """A day and a time span on it (search and reschedule)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # "from" and "to" are the query-string names; Python cannot declare them as names.
        self.fields["from"] = forms.TimeField(label=_("From (time)"), widget=TimeInput())
        self.fields["to"] = forms.TimeField(label=_("Until (time)"), widget=TimeInput())
        _date_bounds(self.fields["date"].widget)

    def slot(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return local_datetime(data["date"], data["from"]), local_datetime(data["date"], data["to"])

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None and end <= start:
            self.add_error("to", _("The end must be after the start."))
        return data


class SearchForm(SlotFields):
    """What, where and when. Where is a pincode, a locality name, or the point that "use my
    location" put in the hidden lat/lng fields."""

    q = forms.CharField(
        label=_("Which service?"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. plumber, gardener, nal wala"), "autocomplete": "off"}
        ),
    )
    where = forms.CharField(
        label=_("Pincode or locality"),
        help_text=_("For example 226010 or Gomti Nagar."),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "places"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput())
    lng = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput()
    )
    field_order = ["q", "where", "lat", "lng", "date", "from", "to"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def clean(self) -> dict:
        data = super().clean()
        unreadable = [self.errors.pop(name, None) for name in ("lat", "lng")]
        if any(unreadable):
            # Hidden fields: say it where the person can act on it.
            data.pop("lat", None)
            data.pop("lng", None)
            if not (data.get("where") or "").strip():
                self.add_error(
                    "where", _("Your location could not be read. Type a pincode or locality.")
                )
                return data
        located = data.get("lat") is not None and data.get("lng") is not None
        if not (data.get("where") or "").strip() and not located and "where" not in self.errors:
            self.add_error("where", _("Give a pincode or a locality, or use your location."))
        return data


def search_initial() -> dict[str, object]:
    """Tomorrow, 10 AM to noon: a sensible first guess the person changes."""
    return {
        "date": timezone.localdate() + dt.timedelta(days=1),
        "from": dt.time(10, 0),
        "to": dt.time(12, 0),
    }


# --- booking --------------------------------------------------------------------------------


def kind_choices(unit: str) -> list[tuple[str, str]]:
    """The kinds of booking a category's pricing unit calls for, the usual one first."""
    if unit == PricingUnit.EVENT:
        return [(BookingKind.EVENT, _("This event, at this time"))]
    if unit == PricingUnit.HOUR:
        single = (BookingKind.HOURS, _("Just these hours"))
    else:
        single = (BookingKind.VISIT, _("Just once, at this time"))
    series = (BookingKind.SERIES, _("Again and again: a recurring series"))
    engagement = (BookingKind.ENGAGEMENT, _("Every day for a while: a long engagement"))
    if unit == PricingUnit.MONTH:
        return [series, engagement, single]
    if unit == PricingUnit.DAY:
        return [single, engagement, series]
    return [single, series]


NEW_ADDRESS = "new"
ENDS_ON, ENDS_AFTER = "on", "after"


class BookingForm(forms.Form):
    address = forms.ChoiceField(
        label=_("Where should the Sevamitra come?"), widget=forms.RadioSelect
    )
    line = forms.CharField(
        label=_("House, street and landmark"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        validators=[reject_aadhaar],
    )
    locality = forms.CharField(
        label=_("Locality"), max_length=120, required=False, validators=[reject_aadhaar]
    )
    pincode = forms.CharField(
        label=_("Pincode"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 8}
        ),
    )
    save = forms.BooleanField(label=_("Save this address for next time"), required=False)
    label = forms.CharField(
        label=_("Name for this address"),
        help_text=_("For example: Home, Office, Parents' home."),
        max_length=40,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes for the Sevamitra"),
        help_text=_("What needs doing, how to find the house. Your number is not shown."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_aadhaar],
    )
    kind = forms.ChoiceField(label=_("How often?"), widget=forms.RadioSelect)
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=[
            (SeriesFrequency.DAILY, _("Every day")),
            (SeriesFrequency.WEEKDAYS, _("On chosen weekdays")),
        ],
        initial=SeriesFrequency.DAILY,
        required=False,
        widget=forms.RadioSelect,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        choices=[(ENDS_ON, _("On a date")), (ENDS_AFTER, _("After a number of visits"))],
        initial=ENDS_ON,
        required=False,
        widget=forms.RadioSelect,
    )
    until = forms.DateField(label=_("Last day"), required=False, widget=DateInput())
    count = forms.IntegerField(
        label=_("Number of visits"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hold = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        addresses: list[Address],
        kinds: list[tuple[str, str]],
        first_day: dt.date,
        **kwargs,  # type: ignore[no-untyped-def]
    ) -> None:
        super().__init__(*args, **kwargs)
        self.addresses = {str(a.pk): a for a in addresses}
        choices = [(key, f"{a.label}: {a.one_line}") for key, a in self.addresses.items()]
        self.fields["address"].choices = [*choices, (NEW_ADDRESS, _("A new address"))]
        if not addresses:
            self.fields["address"].widget = forms.HiddenInput()
        self.fields["kind"].choices = kinds
        most = settings.BOOKING_SERIES_MAX_OCCURRENCES
        self.fields["count"].validators.append(MaxValueValidator(most))
        self.fields["count"].widget.attrs["max"] = most
        self.first_day = first_day
        _date_bounds(self.fields["until"].widget)
        self.fields["until"].widget.attrs["min"] = first_day.isoformat()

    @property
    def saved_address(self) -> Address | None:
        return self.addresses.get(self.cleaned_data.get("address", ""))

    @property
    def is_series(self) -> bool:
        return self.cleaned_data.get("kind") in SERIES_KINDS

    def clean_pincode(self) -> str:
        return "".join((self.cleaned_data.get("pincode") or "").split())

    def clean(self) -> dict:
        data = super().clean()
        if data.get("address") == NEW_ADDRESS:
            if not (data.get("line") or "").strip():
                self.add_error("line", _("Write the house, street and a landmark."))
            pincode = data.get("pincode") or ""
            if "pincode" not in self.errors:
                if not pincode:
                    self.add_error("pincode", _("Give the pincode."))
                elif pincode_info(pincode) is None:
                    self.add_error(
                        "pincode", _("There is no pincode %(pincode)s.") % {"pincode": pincode}
                    )
            if data.get("save") and not (data.get("label") or "").strip():
                self.add_error("label", _("Give this address a name, e.g. Home."))
        kind = data.get("kind")
        if kind in SERIES_KINDS:
            if kind == BookingKind.ENGAGEMENT:
                data["frequency"] = SeriesFrequency.DAILY
            elif not data.get("frequency"):
                self.add_error("frequency", _("Choose how the visits repeat."))
            if data.get("frequency") == SeriesFrequency.WEEKDAYS and not data.get("weekdays"):
                self.add_error("weekdays", _("Choose at least one weekday."))
            ends = data.get("ends") or ENDS_ON
            if ends == ENDS_ON:
                until = data.get("until")
                if until is None and "until" not in self.errors:
                    self.add_error("until", _("Give the last day."))
                elif until is not None and until < self.first_day:
                    self.add_error("until", _("The last day cannot be before the first."))
            elif data.get("count") is None and "count" not in self.errors:
                self.add_error("count", _("Give the number of visits."))
        return data

    def series_end(self) -> dict[str, object]:
        """ends_on or count for series_create, as the person chose."""
        data = self.cleaned_data
        if (data.get("ends") or ENDS_ON) == ENDS_ON:
            return {"ends_on": data["until"], "count": None}
        return {"ends_on": None, "count": data["count"]}


# --- after booking --------------------------------------------------------------------------


class RescheduleForm(SlotFields):
    pass


CANCEL_REASONS = [
    ("plans", _("My plans changed")),
    ("mistake", _("I booked by mistake")),
    ("elsewhere", _("I found help elsewhere")),
    ("other", _("Another reason")),
]


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you cancelling?"), choices=CANCEL_REASONS, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_aadhaar],
    )
    fee_seen = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), widget=forms.HiddenInput
    )

    def reason_text(self) -> str:
        data = self.cleaned_data
        text = str(dict(CANCEL_REASONS)[data["reason"]])
        details = " ".join((data.get("details") or "").split())
        return f"{text}: {details}" if details else text


STARS = [
    (5, _("5 stars: excellent")),
    (4, _("4 stars: good")),
    (3, _("3 stars: all right")),
    (2, _("2 stars: poor")),
    (1, _("1 star: very poor")),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How was the work?"), choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("A few words for others (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_aadhaar],
    )
