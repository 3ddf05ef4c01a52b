"""Form widgets shared by the portal's pages: the browser's own date and time pickers, which
on a phone open the phone's calendar and clock in the phone's language."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")  # the format <input type=date> takes


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")
