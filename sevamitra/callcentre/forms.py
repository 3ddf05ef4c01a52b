"""Forms of the console. Each field is typed at speed with a caller on the line: choices are
selects that type-ahead works on (dates as 29/11/2026, times as 10:00), places are a pincode
or a locality name."""

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sevamitra.accounts.forms import PhoneForm
from sevamitra.accounts.models import Address
from sevamitra.accounts.phone import ascii_digits
from sevamitra.callcentre.models import CallOutcome
from sevamitra.callcentre.permissions import can_serve_pincode
from sevamitra.callcentre.selectors import Place, localities_for
from sevamitra.core.errors import DomainError
from sevamitra.geo import pincodes
from sevamitra.geo.localities import skeleton
from sevamitra.privacy.aadhaar import reject_aadhaar

_PINCODE_IN_TEXT = re.compile(r"(?<!\d)([1-9]\d{5})(?!\d)")
FIRST_SLOT = dt.time(6, 0)
LAST_SLOT = dt.time(21, 30)
SLOT_MINUTES = 30
HOURS = (1, 2, 3, 4, 5, 6, 8, 10, 12)
DAYS_SHOWN = 60


class CallerPhoneForm(PhoneForm):
    """The number the caller is calling from (or asks about)."""

    def __init__(self, *args, autofocus: bool = True, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["phone"]
        field.label = _("Caller's mobile number")
        field.help_text = _("10 digits; Enter opens the caller.")
        field.widget.attrs.update({"accesskey": "n", "autocomplete": "off"})
        if autofocus:
            field.widget.attrs["autofocus"] = True


class RegisterCallerForm(forms.Form):
    name = forms.CharField(label=_("Caller's name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language for the caller's SMS"),
        choices=[("hi", _("Hindi")), ("en", _("English"))],
        initial="hi",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


def _day_label(day: dt.date, today: dt.date) -> str:
    """ "29/11/2026 · tomorrow": the date first, so that typing "29/11" picks it."""
    if day == today:
        word = str(_("today"))
    elif day == today + dt.timedelta(days=1):
        word = str(_("tomorrow"))
    else:
        word = formats.date_format(day, "l")
    return f"{formats.date_format(day, 'SHORT_DATE_FORMAT')} · {word}"


def _hours_label(hours: int) -> str:
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


class SlotForm(forms.Form):
    """A date, a start time and a length: the slot the caller wants."""

    date = forms.ChoiceField(label=_("Date"))
    time = forms.ChoiceField(label=_("From"), initial="10:00")
    hours = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[(h, h) for h in HOURS],
        initial=2,
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        local = timezone.localtime(now or timezone.now())
        today = local.date()
        days = min(DAYS_SHOWN, settings.SEARCH_MAX_DAYS_AHEAD)
        self.fields["date"].choices = [
            (day.isoformat(), _day_label(day, today))
            for day in (today + dt.timedelta(days=n) for n in range(days))
        ]
        # Late in the day the caller most likely means tomorrow.
        self.fields["date"].initial = (
            today if local.time() < dt.time(18, 0) else today + dt.timedelta(days=1)
        ).isoformat()
        times = []
        slot = dt.datetime.combine(today, FIRST_SLOT)
        while slot.time() <= LAST_SLOT:
            times.append((slot.strftime("%H:%M"), formats.time_format(slot.time())))
            slot += dt.timedelta(minutes=SLOT_MINUTES)
        self.fields["time"].choices = times
        self.fields["hours"].choices = [(h, _hours_label(h)) for h in HOURS]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        day, time, hours = cleaned.get("date"), cleaned.get("time"), cleaned.get("hours")
        if day and time and hours:
            naive = dt.datetime.fromisoformat(f"{day}T{time}")
            start = timezone.make_aware(naive)
            cleaned["start"] = start
            cleaned["end"] = timezone.make_aware(naive + dt.timedelta(hours=hours))
        return cleaned

    # Fields of the shared slot rules (search.params.slot_errors) → fields of this form.
    DOMAIN_FIELDS = {"start": "time", "end": "hours"}

    def add_domain_errors(self, errors: list[DomainError]) -> None:
        for error in errors:
            field = self.DOMAIN_FIELDS.get(error.field or "", None)
            self.add_error(field if field in self.fields else None, str(error.message))


class SearchForm(SlotForm):
    """What the caller needs, where and when."""

    q = forms.CharField(
        label=_("Service"),
        help_text=_("The caller's own words: plumber, प्लंबर, nal wala."),
        max_length=100,
    )
    place = forms.CharField(
        label=_("Locality or pincode"),
        help_text=_("A 6-digit pincode, or the locality's name."),
        max_length=120,
    )
    field_order = ["q", "place", "date", "time", "hours"]
    DOMAIN_FIELDS = {
        "q": "q",
        "pincode": "place",
        "lat": "place",
        "lng": "place",
        **SlotForm.DOMAIN_FIELDS,
    }

    def __init__(self, *args, agent, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.agent = agent
        self.place_choices: list = []  # localities to choose from when the name is ambiguous
        self.suggestions: list = []  # categories close to an unknown word
        self.fields["q"].widget.attrs.update({"accesskey": "s", "autocomplete": "off"})
        self.fields["place"].widget.attrs.update({"autocomplete": "off", "list": "localities"})

    def clean_place(self) -> Place:
        text = " ".join(self.cleaned_data["place"].split())
        found = _PINCODE_IN_TEXT.search(ascii_digits(text))
        if found:
            pincode = found.group(1)
            info = pincodes.pincode_info(pincode)
            if info is None:
                raise forms.ValidationError(
                    _("There is no pincode %(pincode)s."), params={"pincode": pincode}
                )
            name = " ".join(_PINCODE_IN_TEXT.sub(" ", ascii_digits(text)).strip(" ,-()").split())
            place = Place(pincode=pincode, name=name, district=info.district.upper())
        else:
            matches = localities_for(agent=self.agent, text=text)
            if not matches:
                raise forms.ValidationError(
                    _("No locality is called “%(text)s”. Type the pincode instead."),
                    params={"text": text[:60]},
                )
            # The first match is taken when it is the name typed (in either script) and
            # no other locality has that name; otherwise the agent chooses.
            best, key = matches[0], skeleton(text)
            same_name = [m for m in matches if skeleton(m.name) == skeleton(best.name)]
            if skeleton(best.name) != key or len(same_name) > 1:
                self.place_choices = matches
                raise forms.ValidationError(_("Several localities match: choose one."))
            place = Place(pincode=best.pincode, name=best.name, district=best.district)
        if not can_serve_pincode(self.agent, place.pincode):
            raise forms.ValidationError(
                _("You take calls for other districts: pass this caller to a colleague.")
            )
        return place

    def search_params(self, *, limit: int) -> dict[str, str]:
        """The cleaned form as the query string search.params.parse_search_params reads."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            "pincode": data["place"].pincode,
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "limit": str(limit),
        }

    def add_domain_errors(self, errors: list[DomainError]) -> None:
        for error in errors:
            if error.field == "q":
                self.suggestions = error.extra.get("suggestions", [])
        super().add_domain_errors(errors)


class BookForm(forms.Form):
    """Which Sevamitra of the results, at which of the caller's addresses."""

    NEW_ADDRESS = "new"

    offer = forms.IntegerField(label=_("Sevamitra"), min_value=1, max_value=2**63 - 1)
    address = forms.ChoiceField(label=_("Address"))
    address_line = forms.CharField(
        label=_("Another address: house, street and landmark"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_aadhaar],
    )
    notes = forms.CharField(
        label=_("Note for the Sevamitra (optional)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        validators=[reject_aadhaar],
    )

    def __init__(self, *args, addresses: list[Address], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.addresses = {str(a.pk): a for a in addresses}
        self.fields["address"].choices = [
            *((key, a.one_line) for key, a in self.addresses.items()),
            (self.NEW_ADDRESS, _("Another address")),
        ]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        choice = cleaned.get("address")
        cleaned["saved_address"] = self.addresses.get(choice or "")
        if choice == self.NEW_ADDRESS and not (cleaned.get("address_line") or "").strip():
            self.add_error("address_line", _("Type the address where the work is."))
        return cleaned


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call end?"),
        choices=[(v, label) for v, label in CallOutcome.choices if v != CallOutcome.BOOKED],
        widget=forms.Select(attrs={"accesskey": "c"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_aadhaar],
    )
    category = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    pincode = forms.RegexField(regex=r"^[1-9]\d{5}$", required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the caller gives"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class RescheduleForm(SlotForm):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["autofocus"] = True
