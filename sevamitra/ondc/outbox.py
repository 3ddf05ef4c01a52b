"""Our callbacks to buyer apps: built, logged and queued in one transaction, then signed and
POSTed by the worker ("ondc.send"), with retries and back-off, until the buyer app answers.

- `inbound_process(log_id=...)` ("ondc.process"): runs the action's handler for a stored
  request and queues the on_<action> callback (the handler's message, or its error; an
  OndcError with a `callback_message` attribute sends that message along with the error, e.g.
  90003 with the free slots);
- `callback_unsolicited(action=..., transaction=..., message=...)`: an on_status / on_update /
  on_cancel of our own (a visit's progress, a merchant cancellation), in the caller's transaction;
- `callback_send(message_id=...)` ("ondc.send"): signs the stored bytes and POSTs them. Once
  the buyer app has answered for good (ACK, or a refusal that a retry cannot change) the message
  is never sent again, whatever happens to the job;
- `log_prune()` ("ondc.prune"): deletes log rows older than ONDC_LOG_RETENTION_DAYS.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.db import DatabaseError, IntegrityError
from django.db import transaction as db_transaction
from django.db.models import F
from django.utils import timezone

from sevamitra.ondc import client, errors
from sevamitra.ondc.config import COUNTRY, DOMAIN, VERSION, ondc_config
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.tasks.registry import PermanentError
from sevamitra.tasks.services import job_enqueue

if TYPE_CHECKING:
    from sevamitra.ondc.models import OndcTransaction

logger = logging.getLogger(__name__)

PROCESS_JOB = "ondc.process"
SEND_JOB = "ondc.send"
PRUNE_JOB = "ondc.prune"
UNSOLICITED_ACTIONS = ("on_status", "on_update", "on_cancel")
# A NACK that asks for another try (the buyer app's internal error).
RETRYABLE_NACK_CODES = frozenset({"23001", "31001"})
# HTTP answers after which another try may succeed.
RETRYABLE_HTTP = frozenset({408, 425, 429})
PRUNE_BATCH = 2000
MAX_RESPONSE_TEXT = 2000


class CallbackNotDelivered(Exception):
    """The buyer app did not take the callback; the worker tries again after a back-off."""


def timestamp() -> str:
    from sevamitra.ondc.schemas import format_timestamp

    return format_timestamp(timezone.now())


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes we store, sign and send."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _our_ids() -> tuple[str, str]:
    return settings.ONDC_SUBSCRIBER_ID, settings.ONDC_SUBSCRIBER_URL.rstrip("/")


def _queue(
    *, action: str, context: dict[str, Any], payload: dict[str, Any], reply_to: OndcMessage | None
) -> OndcMessage:
    """Log the callback and queue its delivery (call inside a transaction)."""
    body = encode(payload)
    url = f"{str(context.get('bap_uri', '')).rstrip('/')}/{action}"
    row = OndcMessage.objects.create(
        direction=Direction.OUTBOUND,
        action=action,
        transaction_id=str(context.get("transaction_id", ""))[:100],
        message_id=str(context.get("message_id", ""))[:100],
        counterparty=str(context.get("bap_id", ""))[:255],
        url=url[:500],
        body=body.decode("utf-8"),
        reply_to=reply_to,
    )
    job_enqueue(name=SEND_JOB, payload={"message_id": row.pk})
    return row


# --- Answers to requests ----------------------------------------------------------------------


def callback_context(request_context: dict[str, Any], action: str) -> dict[str, Any]:
    """The context of the on_<action> answering a request: the request's, with action on_…,
    our bpp_id/bpp_uri and a new timestamp (transaction_id and message_id unchanged)."""
    bpp_id, bpp_uri = _our_ids()
    context = dict(request_context)
    context.update(action=f"on_{action}", bpp_id=bpp_id, bpp_uri=bpp_uri, timestamp=timestamp())
    return context


def inbound_process(*, log_id: int) -> OndcMessage | None:
    """Run the handler of a stored, ACKed request and queue its callback (once)."""
    from sevamitra.ondc import schemas
    from sevamitra.ondc.handlers import HANDLERS, Inbound

    inbound = OndcMessage.objects.filter(pk=log_id, direction=Direction.INBOUND).first()
    if inbound is None:
        logger.warning("ondc.process: request %s is not in the log (pruned?)", log_id)
        return None
    existing = OndcMessage.objects.filter(reply_to=inbound, direction=Direction.OUTBOUND).first()
    if existing is not None:
        return existing  # answered by an earlier run; its delivery job exists
    data = json.loads(inbound.body)
    action = inbound.action
    message: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    try:
        parsed = schemas.parse_request(action, data)
        handler = HANDLERS.get(action)
        if handler is None:
            raise errors.OndcError(
                errors.INTERNAL_ERROR, f"/{action} is not handled yet", type=errors.CORE_ERROR
            )
        message = handler(
            Inbound(
                action=action,
                context=data["context"],
                message=data.get("message") or {},
                parsed=parsed,
                log_id=inbound.pk,
            )
        )
    except errors.OndcError as refused:
        error = refused.as_error()
        message = getattr(refused, "callback_message", None)
    except DatabaseError:
        raise  # the database is in trouble: retry later
    except Exception:
        logger.exception("ondc.process: handler for %s (log %s) failed", action, inbound.pk)
        error = _internal_error()
    return _answer(inbound, data["context"], message=message, error=error)


def _internal_error() -> dict[str, str]:
    return errors.OndcError(
        errors.INTERNAL_ERROR, "internal error; please retry", type=errors.CORE_ERROR
    ).as_error()


def _answer(
    inbound: OndcMessage,
    request_context: dict[str, Any],
    *,
    message: dict[str, Any] | None,
    error: dict[str, str] | None,
) -> OndcMessage:
    context = callback_context(request_context, inbound.action)
    payload: dict[str, Any] = {"context": context}
    if message is not None:
        payload["message"] = message
    if error is not None:
        payload["error"] = error
    try:
        with db_transaction.atomic():
            return _queue(
                action=context["action"], context=context, payload=payload, reply_to=inbound
            )
    except IntegrityError:
        # Another run answered the same request at the same moment (ondcmsg_one_reply).
        return OndcMessage.objects.get(reply_to=inbound, direction=Direction.OUTBOUND)


def process_give_up(*, error: str, log_id: int) -> None:
    """ondc.process failed on every attempt: the buyer app still gets an answer (31001)."""
    inbound = OndcMessage.objects.filter(pk=log_id, direction=Direction.INBOUND).first()
    if inbound is None or inbound.replies.filter(direction=Direction.OUTBOUND).exists():
        return
    context = json.loads(inbound.body).get("context") or {}
    _answer(inbound, context, message=None, error=_internal_error())


# --- Unsolicited ------------------------------------------------------------------------------


def callback_unsolicited(
    *, action: str, transaction: OndcTransaction, message: dict[str, Any]
) -> OndcMessage:
    """Queue an on_status / on_update / on_cancel of our own for `transaction`, in the caller's
    transaction (nothing is sent if it rolls back). A new message_id, our bpp ids, the
    transaction's buyer app and city."""
    if action not in UNSOLICITED_ACTIONS:
        raise ValueError(f"{action!r} is not an unsolicited callback ({UNSOLICITED_ACTIONS})")
    bpp_id, bpp_uri = _our_ids()
    context = {
        "domain": DOMAIN,
        "location": {"city": {"code": transaction.city_code or "*"}, "country": {"code": COUNTRY}},
        "action": action,
        "version": VERSION,
        "bap_id": transaction.bap_id,
        "bap_uri": transaction.bap_uri,
        "bpp_id": bpp_id,
        "bpp_uri": bpp_uri,
        "transaction_id": transaction.transaction_id,
        "message_id": str(uuid.uuid4()),
        "timestamp": timestamp(),
        "ttl": "PT30S",
    }
    payload = {"context": context, "message": message}
    with db_transaction.atomic():
        return _queue(action=action, context=context, payload=payload, reply_to=None)


# --- Delivery ---------------------------------------------------------------------------------


def callback_send(*, message_id: int) -> OndcMessage | None:
    """Sign and POST a stored callback; raise CallbackNotDelivered to be retried."""
    row = OndcMessage.objects.filter(pk=message_id, direction=Direction.OUTBOUND).first()
    if row is None:
        return None
    if row.done_at is not None:
        return row  # answered for good before: never send twice
    if ondc_config() is None:
        raise PermanentError("ONDC is not configured: the callback cannot be signed")
    body = row.body.encode("utf-8")
    OndcMessage.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    started = time.monotonic()
    try:
        response, sent_headers = client.signed_post(
            row.url, body, timeout=settings.ONDC_CALLBACK_TIMEOUT_SECONDS
        )
    except httpx.HTTPError as failure:
        _record(row, started, response={"error": f"{type(failure).__name__}: {failure}"[:500]})
        raise CallbackNotDelivered(f"{row.url}: {type(failure).__name__}") from None
    answer = _json_or_text(response)
    ack, code = _ack_of(answer)
    final = _is_final(response.status_code, ack, code)
    _record(
        row,
        started,
        headers=sent_headers,
        http_status=response.status_code,
        response=answer,
        ack=ack,
        error_code=code,
        done=final,
    )
    if not final:
        raise CallbackNotDelivered(f"{row.url}: HTTP {response.status_code} {ack} {code}".strip())
    if ack != "ACK":
        logger.warning("callback %s to %s refused: %s %s", row.pk, row.url, ack, code)
    return row


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {"text": response.text[:MAX_RESPONSE_TEXT]}


def _ack_of(answer: Any) -> tuple[str, str]:
    try:
        ack = str(answer["message"]["ack"]["status"]).upper()
    except (KeyError, TypeError):
        ack = ""
    error = answer.get("error") if isinstance(answer, dict) else None
    code = str(error.get("code") or "") if isinstance(error, dict) else ""
    return (ack if ack in ("ACK", "NACK") else ""), code[:10]


def _is_final(status: int, ack: str, code: str) -> bool:
    if 200 <= status < 300:
        return ack == "ACK" or (ack == "NACK" and code not in RETRYABLE_NACK_CODES)
    return 400 <= status < 500 and status not in RETRYABLE_HTTP


def _record(row: OndcMessage, started: float, *, done: bool = False, **fields: Any) -> None:
    fields["duration_ms"] = int((time.monotonic() - started) * 1000)
    if done:
        fields["done_at"] = timezone.now()
    OndcMessage.objects.filter(pk=row.pk).update(**fields)


def send_give_up(*, error: str, message_id: int) -> None:
    """ondc.send failed on every attempt: say so on the log row (the admin shows it)."""
    OndcMessage.objects.filter(pk=message_id).update(
        response={"gave_up": True, "error": error[-500:]}
    )


# --- Retention --------------------------------------------------------------------------------


def log_prune(*, now=None) -> int:
    """Delete log rows older than ONDC_LOG_RETENTION_DAYS (in batches); how many were deleted.
    The latest /subscribe is kept: the site-verification page signs its request_id."""
    from sevamitra.ondc.onboarding import SUBSCRIBE_ACTION

    cutoff = (now or timezone.now()) - timedelta(days=settings.ONDC_LOG_RETENTION_DAYS)
    keep = (
        OndcMessage.objects.filter(direction=Direction.OUTBOUND, action=SUBSCRIBE_ACTION)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    old = OndcMessage.objects.filter(created_at__lt=cutoff).exclude(pk=keep or 0)
    deleted = 0
    while True:
        batch = list(old.order_by("id").values_list("id", flat=True)[:PRUNE_BATCH])
        if not batch:
            return deleted
        with db_transaction.atomic():
            count, _per_model = OndcMessage.objects.filter(pk__in=batch).delete()
        deleted += count


def prune_schedule(*, days_ahead: int = 1):
    """Queue the next daily prune (once per day: the de-duplication key is the date)."""
    when = timezone.localtime() + timedelta(days=days_ahead)
    run_at = when.replace(hour=3, minute=0, second=0, microsecond=0)
    return job_enqueue(
        name=PRUNE_JOB, payload={}, run_after=run_at, dedupe_key=f"{PRUNE_JOB}:{run_at.date()}"
    )
