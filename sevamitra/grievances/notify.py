"""What people are told about complaints, sanctions and appeals: SMS queued in the outbox in
the same transaction as the change (delivered by `manage.py worker`). Each text is written in
the recipient's own language; it never quotes what anyone wrote and never holds a phone number.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.bookings.models import Booking
from sevamitra.grievances.models import Appeal, Complaint, Sanction
from sevamitra.notifications.services import message_queue


def _date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %I:%M %p")


def _reachable(user: User) -> bool:
    """An active account with a real mobile number (an erased one has none)."""
    phone = user.phone or ""
    return user.is_active and len(phone) == 10 and phone.isdigit() and phone[0] in "6789"


def _sms(user: User, *, event: str, reference: str, text: Callable[[], str]) -> None:
    if not _reachable(user):
        return
    with translation.override(user.preferred_language or "hi"):
        body = text()
    message_queue(
        channel="sms",
        to=f"+91{user.phone}",
        body=body,
        user=user,
        event=event,
        reference=reference,
    )


def _ref(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}"


def _type(complaint: Complaint) -> str:
    return str(complaint.get_type_display())


def complaint_filed(complaint: Complaint, *, suspended: bool) -> None:
    """To the provider: a complaint about their work, and until when they can answer."""

    def text() -> str:
        if suspended:
            return _(
                "Sevamitra: a safety complaint (no. %(id)s) was made about booking %(booking)s. "
                "You cannot get bookings until the district officer reviews it, by %(due)s. "
                "Give your side in the app: My work > Complaints."
            ) % {
                "id": complaint.pk,
                "booking": complaint.booking_id,
                "due": _date(complaint.due_at),
            }
        return _(
            "Sevamitra: a complaint (no. %(id)s, %(type)s) was made about booking %(booking)s. "
            "Give your side by %(due)s in the app: My work > Complaints."
        ) % {
            "id": complaint.pk,
            "type": _type(complaint),
            "booking": complaint.booking_id,
            "due": _date(complaint.response_due_at),
        }

    _sms(complaint.provider.user, event="complaint.filed", reference=_ref(complaint), text=text)


def suspension_to_customers(bookings: Iterable[Booking], *, pending_review: bool) -> None:
    """To the customers of the provider's coming bookings: the Sevamitra may not work."""
    for booking in bookings:

        def text(booking: Booking = booking) -> str:
            values = {"id": booking.pk, "when": _when(booking.starts_at)}
            if pending_review:
                return (
                    _(
                        "Sevamitra: the Sevamitra of your booking %(id)s on %(when)s is "
                        "suspended while a complaint is reviewed. Do not let them work until we "
                        "tell you they are cleared. You can cancel the booking in My bookings or "
                        "call the helpline 1800-000-000 for another Sevamitra."
                    )
                    % values
                )
            return (
                _(
                    "Sevamitra: the Sevamitra of your booking %(id)s on %(when)s is suspended and "
                    "may not work. You can cancel the booking in My bookings or call the helpline "
                    "1800-000-000 for another Sevamitra."
                )
                % values
            )

        _sms(
            booking.customer,
            event="provider.suspended_notice",
            reference=f"booking:{booking.pk}",
            text=text,
        )


def reinstated_to_customers(bookings: Iterable[Booking]) -> None:
    for booking in bookings:

        def text(booking: Booking = booking) -> str:
            return _(
                "Sevamitra: the review is over and the Sevamitra of your booking %(id)s on "
                "%(when)s may work again. Your booking stands."
            ) % {"id": booking.pk, "when": _when(booking.starts_at)}

        _sms(
            booking.customer,
            event="provider.reinstated_notice",
            reference=f"booking:{booking.pk}",
            text=text,
        )


def complaint_to_officers(complaint: Complaint, officers: Iterable[User]) -> None:
    """To the district officers: a complaint is now theirs to decide."""
    for officer in officers:
        _sms(
            officer,
            event="complaint.escalated",
            reference=_ref(complaint),
            text=lambda: (
                _(
                    "Sevamitra officer: complaint %(id)s (%(type)s) needs your decision. "
                    "Deadline: %(due)s. See Grievances on the portal."
                )
                % {"id": complaint.pk, "type": _type(complaint), "due": _date(complaint.due_at)}
            ),
        )


def escalated_to_parties(complaint: Complaint) -> None:
    for user in (complaint.customer, complaint.provider.user):
        _sms(
            user,
            event="complaint.escalated",
            reference=_ref(complaint),
            text=lambda: (
                _(
                    "Sevamitra: complaint %(id)s was not resolved in time and is now with the "
                    "district officer, who will hear both sides."
                )
                % {"id": complaint.pk}
            ),
        )


def responded(complaint: Complaint) -> None:
    _sms(
        complaint.customer,
        event="complaint.responded",
        reference=_ref(complaint),
        text=lambda: (
            _(
                "Sevamitra: the Sevamitra has answered your complaint %(id)s. Read it in "
                "My complaints; you can reply there."
            )
            % {"id": complaint.pk}
        ),
    )


def replied(complaint: Complaint) -> None:
    _sms(
        complaint.provider.user,
        event="complaint.replied",
        reference=_ref(complaint),
        text=lambda: (
            _("Sevamitra: the customer has replied on complaint %(id)s.") % {"id": complaint.pk}
        ),
    )


def withdrawn(complaint: Complaint) -> None:
    _sms(
        complaint.provider.user,
        event="complaint.withdrawn",
        reference=_ref(complaint),
        text=lambda: (
            _("Sevamitra: the customer has closed complaint %(id)s. No action follows.")
            % {"id": complaint.pk}
        ),
    )


def decided(complaint: Complaint, sanction: Sanction | None) -> None:
    """The decision, to both sides; to the provider with the appeal deadline if sanctioned."""

    def to_customer() -> str:
        text = _(
            "Sevamitra: the district officer has decided your complaint %(id)s: %(outcome)s."
        ) % {
            "id": complaint.pk,
            "outcome": complaint.get_outcome_display(),
        }
        if complaint.refund_amount:
            text += " " + _(
                "The Sevamitra must refund you ₹%(amount)s directly (the portal holds no money)."
            ) % {"amount": complaint.refund_amount}
        return text

    def to_provider() -> str:
        text = _("Sevamitra: the district officer has decided complaint %(id)s: %(outcome)s.") % {
            "id": complaint.pk,
            "outcome": complaint.get_outcome_display(),
        }
        if complaint.refund_amount:
            text += " " + _("Refund ₹%(amount)s to the customer directly.") % {
                "amount": complaint.refund_amount
            }
        if sanction is not None:
            text += " " + _("You may appeal by %(date)s in the app: My work > Complaints.") % {
                "date": _date(sanction.appeal_due_at)
            }
        return text

    _sms(
        complaint.customer, event="complaint.resolved", reference=_ref(complaint), text=to_customer
    )
    _sms(
        complaint.provider.user,
        event="complaint.resolved",
        reference=_ref(complaint),
        text=to_provider,
    )


def suspension_ended(sanction: Sanction, *, reinstated: bool) -> None:
    def text() -> str:
        if reinstated:
            return _("Sevamitra: your suspension has ended. You can get bookings again.")
        return _(
            "Sevamitra: the suspension decided on complaint %(id)s has ended. Your status is "
            "shown on your work page."
        ) % {"id": sanction.complaint_id}

    _sms(
        sanction.provider.user,
        event="sanction.ended",
        reference=f"sanction:{sanction.pk}",
        text=text,
    )


def appeal_assigned(appeal: Appeal) -> None:
    _sms(
        appeal.appellate_officer,
        event="appeal.filed",
        reference=f"appeal:{appeal.pk}",
        text=lambda: (
            _(
                "Sevamitra officer: appeal %(id)s is assigned to you. Decide it by %(due)s. "
                "See Grievances on the portal."
            )
            % {"id": appeal.pk, "due": _date(appeal.due_at)}
        ),
    )


def appeal_decided(appeal: Appeal) -> None:
    _sms(
        appeal.provider.user,
        event="appeal.decided",
        reference=f"appeal:{appeal.pk}",
        text=lambda: (
            _("Sevamitra: your appeal %(id)s is decided: %(result)s.")
            % {"id": appeal.pk, "result": appeal.get_status_display()}
        ),
    )
