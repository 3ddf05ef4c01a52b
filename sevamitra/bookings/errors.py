"""Refusals of the booking engine, each with a stable code (API clients branch on it)."""

from django.utils.translation import gettext_lazy as _

from sevamitra.core.errors import DomainError


class BookingError(DomainError):
    code = "booking_error"


class SlotTaken(BookingError):
    code = "slot_taken"
    status = 409


class OutsideHours(BookingError):
    code = "outside_hours"
    status = 409


class OnLeave(BookingError):
    code = "provider_on_leave"
    status = 409


class NotBookable(BookingError):
    code = "provider_not_verified"
    status = 409


class IllegalTransition(BookingError):
    code = "illegal_transition"
    status = 409


class WrongCode(BookingError):
    code = "wrong_code"


class TooManyTries(BookingError):
    code = "too_many_tries"
    status = 423


class SeriesTooLong(BookingError):
    code = "series_too_long"


class PaymentMismatch(BookingError):
    code = "payment_amount_mismatch"


class HoldInvalid(BookingError):
    code = "hold_invalid"
    status = 409


DEFAULT_SLOT_TAKEN = _("This time is no longer free.")
