"""Writes for notifications: queue a message with a state change, deliver it once.

Delivered once, across worker crashes: `message_deliver` hands the backend the message id as
its idempotency key, then commits "sent" before the job is marked done.
  - crash after the backend call, before "sent" commits → the job runs again and calls the
    backend again with the same id, which the backend (or the provider behind it) drops;
  - crash after "sent" commits, before the job is done → the job runs again, sees "sent" and
    returns without calling the backend.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.models import User
from sevamitra.core.errors import DomainError
from sevamitra.notifications.backends import UnsupportedChannel, get_backend
from sevamitra.notifications.models import MESSAGE_TRANSITIONS, Channel, Message, MessageStatus
from sevamitra.tasks.registry import PermanentError
from sevamitra.tasks.services import job_enqueue

logger = logging.getLogger(__name__)

DELIVER_JOB = "notifications.deliver"
# What sevamitra.sms sends to: E.164, "+" and 8 to 15 digits.
_E164 = re.compile(r"\+[1-9]\d{7,14}")
# Channel → longest text: a long SMS is split by the gateway into at most 10 parts.
_MAX_BODY = {Channel.SMS: 1530, Channel.EMAIL: 100_000}


def _clean_recipient(*, channel: str, to: str) -> str:
    to = to.strip()
    if channel == Channel.SMS:
        if not _E164.fullmatch(to):
            raise DomainError(
                _("An SMS goes to a mobile number in international form, like +919876543210."),
                code="invalid_recipient",
                field="to",
            )
        return to
    try:
        validate_email(to)
    except ValidationError as exc:
        raise DomainError(
            _("Enter a valid e-mail address."), code="invalid_recipient", field="to"
        ) from exc
    return to


def message_queue(
    *,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    user: User | None = None,
    event: str,
    reference: str = "",
) -> Message:
    """Queue one message and the job that delivers it, in the caller's transaction.

    Call it inside the `transaction.atomic` of the state change (`event`, e.g.
    "booking.confirmed"; `reference`, e.g. "booking:123"): if that rolls back, neither the
    message nor its job exists. Raises DomainError for an unknown channel, a bad recipient or
    an empty text.
    """
    if channel not in Channel.values:
        raise DomainError(_("Unknown message channel."), code="invalid_channel", field="channel")
    to = _clean_recipient(channel=channel, to=to)
    if not body.strip():
        raise DomainError(_("A message needs a text."), code="empty_message", field="body")
    if len(body) > _MAX_BODY[Channel(channel)]:
        raise DomainError(_("The message text is too long."), code="message_too_long", field="body")
    if not event:
        raise ValueError("A message names the event that caused it.")
    with transaction.atomic():
        message = Message.objects.create(
            channel=channel,
            to=to,
            subject=subject,
            body=body,
            user=user,
            event=event,
            reference=reference,
        )
        job_enqueue(
            name=DELIVER_JOB,
            payload={"message_id": message.pk},
            dedupe_key=f"{DELIVER_JOB}:{message.pk}",
        )
    return message


def _may_become(status: str) -> list[str]:
    """The statuses from which MESSAGE_TRANSITIONS allows `status`."""
    return [current for current, allowed in MESSAGE_TRANSITIONS.items() if status in allowed]


def _mark_sent(*, message_id: int) -> bool:
    """Record the delivery (committed before the job is marked done)."""
    with transaction.atomic():
        marked = Message.objects.filter(
            pk=message_id, status__in=_may_become(MessageStatus.SENT)
        ).update(status=MessageStatus.SENT, sent_at=timezone.now(), last_error="")
    return bool(marked)


def message_deliver(*, message_id: int) -> None:
    """Deliver a queued message through the backend; nothing if it was already sent.

    Raises what the backend raised (the job is retried with back-off), or PermanentError when
    the message no longer exists or the backend does not serve its channel.
    """
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise PermanentError(f"Message {message_id} does not exist.")
    if message.status == MessageStatus.SENT:
        logger.info("message %s was already sent; not sent again", message_id)
        return
    Message.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    try:
        get_backend().deliver(
            message_id=message.pk,
            channel=message.channel,
            to=message.to,
            subject=message.subject,
            body=message.body,
        )
    except UnsupportedChannel as exc:
        _record_error(message_id=message_id, error=str(exc))
        raise PermanentError(str(exc)) from exc
    except Exception as exc:
        _record_error(message_id=message_id, error=repr(exc))
        raise
    _mark_sent(message_id=message_id)


def _record_error(*, message_id: int, error: str) -> None:
    Message.objects.filter(pk=message_id).update(last_error=error[-2000:])


def message_give_up(*, message_id: int, error: str) -> None:
    """The delivery job failed for good: the message is failed (unless it was sent after all)."""
    Message.objects.filter(pk=message_id, status__in=_may_become(MessageStatus.FAILED)).update(
        status=MessageStatus.FAILED, last_error=error[-2000:]
    )
