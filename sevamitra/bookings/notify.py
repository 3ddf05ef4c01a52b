"""What the customer and the provider are told at each step, queued in the outbox in the
same transaction as the change (delivered by `manage.py worker`). Each text is written in
the recipient's own language; phone numbers of the other party are never included."""

from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.bookings.models import Booking
from sevamitra.notifications.services import message_queue


def _when(booking: Booking) -> str:
    return timezone.localtime(booking.starts_at).strftime("%d/%m/%Y %I:%M %p")


def _sms(user: User, booking: Booking, event: str, text: Callable[[], str]) -> None:

    with translation.override(user.preferred_language or "hi"):
        body = text()
    message_queue(
        channel="sms",
        to=f"+91{user.phone}",
        body=body,
        user=user,
        event=event,
        reference=f"booking:{booking.pk}",
    )


def codes_to_customer(booking: Booking, codes) -> None:  # type: ignore[no-untyped-def]
    _sms(
        booking.customer,
        booking,
        "booking.codes",
        lambda: (
            _(
                "Sevamitra booking %(id)s on %(when)s: give start code %(start)s when work begins "
                "and end code %(end)s when it is done. Never share them before."
            )
            % {"id": booking.pk, "when": _when(booking), "start": codes.start, "end": codes.end}
        ),
    )


def booking_requested(booking: Booking) -> None:
    _sms(
        booking.provider.user,
        booking,
        "booking.requested",
        lambda: (
            _(
                "New booking request %(id)s: %(service)s on %(when)s at %(pincode)s. "
                "Please accept or decline in the app."
            )
            % {
                "id": booking.pk,
                "service": booking.category.name,
                "when": _when(booking),
                "pincode": booking.pincode or "-",
            }
        ),
    )


def booking_confirmed(booking: Booking) -> None:
    _sms(
        booking.customer,
        booking,
        "booking.confirmed",
        lambda: (
            _(
                "Booking %(id)s confirmed: %(name)s will come on %(when)s. Total ₹%(total)s, paid "
                "to the Sevamitra."
            )
            % {
                "id": booking.pk,
                "name": booking.provider.display_name,
                "when": _when(booking),
                "total": booking.total,
            }
        ),
    )
    _sms(
        booking.provider.user,
        booking,
        "booking.confirmed",
        lambda: (
            _("Booking %(id)s confirmed: %(service)s on %(when)s.")
            % {"id": booking.pk, "service": booking.category.name, "when": _when(booking)}
        ),
    )


def provider_on_the_way(booking: Booking) -> None:
    _sms(
        booking.customer,
        booking,
        "booking.en_route",
        lambda: (
            _("Your Sevamitra %(name)s is on the way for booking %(id)s.")
            % {"name": booking.provider.display_name, "id": booking.pk}
        ),
    )


def booking_completed(booking: Booking) -> None:
    _sms(
        booking.customer,
        booking,
        "booking.completed",
        lambda: (
            _("Booking %(id)s is complete. Please rate %(name)s.")
            % {"id": booking.pk, "name": booking.provider.display_name}
        ),
    )


def booking_cancelled(booking: Booking) -> None:
    for user in (booking.customer, booking.provider.user):
        _sms(
            user,
            booking,
            "booking.cancelled",
            lambda: (
                _("Booking %(id)s on %(when)s is cancelled. Reason: %(reason)s")
                % {"id": booking.pk, "when": _when(booking), "reason": booking.cancel_reason}
            ),
        )


def booking_customer_absent(booking: Booking) -> None:
    """The provider found nobody: the customer hears it, with the fee and how to dispute it."""
    _sms(
        booking.customer,
        booking,
        "booking.customer_absent",
        lambda: (
            _(
                "The Sevamitra came for booking %(id)s on %(when)s and found nobody there; the "
                "booking is closed. Fee by the Sevamitra's terms: ₹%(fee)s. If this is wrong, "
                "complain from My bookings."
            )
            % {"id": booking.pk, "when": _when(booking), "fee": booking.cancellation_fee}
        ),
    )


def booking_rescheduled(booking: Booking) -> None:
    for user in (booking.customer, booking.provider.user):
        _sms(
            user,
            booking,
            "booking.rescheduled",
            lambda: (
                _("Booking %(id)s is moved to %(when)s.")
                % {"id": booking.pk, "when": _when(booking)}
            ),
        )


def booking_passed_on(old: Booking, new: Booking | None) -> None:
    if new is None:
        _sms(
            old.customer,
            old,
            "booking.no_provider",
            lambda: (
                _("Sorry, no Sevamitra could take booking %(id)s on %(when)s. Nothing is charged.")
                % {"id": old.pk, "when": _when(old)}
            ),
        )
    else:
        _sms(
            old.customer,
            new,
            "booking.passed_on",
            lambda: (
                _(
                    "%(old)s could not take your booking; we have asked %(new)s instead (booking "
                    "%(id)s)."
                )
                % {"old": old.provider.display_name, "new": new.provider.display_name, "id": new.pk}
            ),
        )


def substitutes_offered(booking: Booking, names: list[str]) -> None:
    _sms(
        booking.customer,
        booking,
        "booking.substitutes",
        lambda: (
            _(
                "%(name)s cannot come on %(when)s. Free verified Sevamitras: %(names)s. Choose one "
                "in the app, or the visit stays cancelled at no cost."
            )
            % {
                "name": booking.provider.display_name,
                "when": _when(booking),
                "names": ", ".join(names) or "-",
            }
        ),
    )


def series_booked(series, bookings: list[Booking]) -> None:  # type: ignore[no-untyped-def]
    if not bookings:
        return
    first = bookings[0]
    _sms(
        series.customer,
        first,
        "series.booked",
        lambda: (
            _(
                "%(n)d visits booked with %(name)s from %(first)s. "
                "You get each visit's codes in the app."
            )
            % {"n": len(bookings), "name": series.provider.display_name, "first": _when(first)}
        ),
    )
    _sms(
        series.provider.user,
        first,
        "series.booked",
        lambda: (
            _("%(n)d visits of %(service)s booked from %(first)s.")
            % {"n": len(bookings), "service": series.category.name, "first": _when(first)}
        ),
    )
