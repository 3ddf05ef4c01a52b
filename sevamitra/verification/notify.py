"""What a Sevamitra is told about their verification, queued in the outbox in the same
transaction as the change (delivered by `manage.py worker`), each text in their own
language. Erased or disabled accounts are not written to."""

import datetime as dt
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from sevamitra.notifications.services import message_queue
from sevamitra.providers.models import Provider
from sevamitra.verification.models import Decision, ReasonCode, VerificationDecision


def _sms(provider: Provider, event: str, reference: str, text: Callable[[], str]) -> None:
    user = provider.user
    if not user.is_active or not user.phone.isdigit():
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


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _services(categories: list) -> str:  # type: ignore[type-arg]
    return ", ".join(str(category.name) for category in categories)


def decision_made(decision: VerificationDecision) -> None:
    """The officer's decision, with the standard reason in the Sevamitra's language."""

    def text() -> str:
        reason = ReasonCode(decision.reason).label if decision.reason else ""
        if decision.decision == Decision.APPROVED:
            return _(
                "Sevamitra: you are verified. Customers can now book you. Your ID card is on "
                "your profile page."
            )
        if decision.decision == Decision.CHANGES_REQUESTED:
            return _(
                "Sevamitra: the district office asks for changes: %(reason)s. Open your "
                "Sevamitra page, make the changes and send your registration again."
            ) % {"reason": reason}
        if decision.decision == Decision.REJECTED:
            return _(
                "Sevamitra: your registration was not accepted: %(reason)s. Questions? Call "
                "the helpline 1800-000-000."
            ) % {"reason": reason}
        return _(
            "Sevamitra: your verification is overdue, so you cannot be booked until the "
            "district office verifies you again. Please visit the office with your documents."
        )

    _sms(
        decision.provider,
        f"verification.{decision.decision}",
        f"verification:{decision.pk}",
        text,
    )


def police_expiring(provider: Provider, *, expires_on: dt.date, categories: list) -> None:  # type: ignore[type-arg]
    _sms(
        provider,
        "verification.police_expiring",
        f"provider:{provider.pk}",
        lambda: (
            _(
                "Sevamitra: your police verification certificate is valid until %(date)s. Add "
                "the renewed certificate on your profile page in time, or you cannot be booked "
                "for %(services)s."
            )
            % {"date": _date(expires_on), "services": _services(categories)}
        ),
    )


def police_lapsed(provider: Provider, *, expired_on: dt.date, categories: list) -> None:  # type: ignore[type-arg]
    _sms(
        provider,
        "verification.police_lapsed",
        f"provider:{provider.pk}",
        lambda: (
            _(
                "Sevamitra: your police verification certificate ended on %(date)s. You cannot "
                "be booked for %(services)s until you add the renewed certificate on your "
                "profile page."
            )
            % {"date": _date(expired_on), "services": _services(categories)}
        ),
    )


def reverification_due(provider: Provider) -> None:
    until = provider.verified_until
    _sms(
        provider,
        "verification.reverification_due",
        f"provider:{provider.pk}",
        lambda: (
            _(
                "Sevamitra: your verification is due for renewal. Please visit the district "
                "office with your documents before %(date)s to keep getting bookings."
            )
            % {"date": _date(until) if until else "-"}
        ),
    )
