"""The seller node's endpoints: `POST /ondc/<action>`, `POST /ondc/on_subscribe` and
`GET /ondc-site-verification.html`.

`POST /ondc/<action>`, in order (each refusal is a NACK; none is ever a 500):
1. not configured → 503; body over ONDC_MAX_BODY_BYTES → 413 (the body is not read);
2. signatures (auth.py) over the exact bytes → 401 + WWW-Authenticate when they fail;
3. JSON → JSON-SCHEMA-ERROR 30000 when it is not a JSON object with a context;
4. a repeated (signer, action, message_id) → the answer given the first time, nothing queued;
5. context values (CONTEXT-ERROR), the whole body (schemas.parse_request, JSON-SCHEMA-ERROR),
   the handlers' synchronous `precheck` (e.g. confirm before init);
6. ACK, and the job "ondc.process" queued in the same transaction as the log row.
Every request is logged (OndcMessage: headers, raw body, signature result, answer, timing).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sevamitra.ondc import auth, crypto, errors, onboarding, schemas
from sevamitra.ondc.config import COUNTRY, DOMAIN, VERSION, OndcConfig, ondc_config
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.outbox import PROCESS_JOB
from sevamitra.tasks.services import job_enqueue

logger = logging.getLogger(__name__)

ACK: dict[str, Any] = {"message": {"ack": {"status": "ACK"}}}
# Longest message/transaction id kept as an idempotency key (the log's column).
MAX_ID_CHARS = 100
ON_SUBSCRIBE_MAX_BYTES = 16 * 1024


def nack(error: errors.OndcError) -> dict[str, Any]:
    return {"message": {"ack": {"status": "NACK"}}, "error": error.as_error()}


def _not_configured(detail: str = "") -> JsonResponse:
    message = "The ONDC seller node of this portal is not configured."
    if detail:
        message = "The ONDC seller node of this portal is misconfigured; see the server log."
    error = errors.OndcError(errors.INTERNAL_ERROR, message, type=errors.CORE_ERROR)
    return JsonResponse(nack(error), status=503)


def _config() -> tuple[OndcConfig | None, JsonResponse | None]:
    try:
        config = ondc_config()
    except ImproperlyConfigured as problem:
        logger.error("ONDC endpoint refused: %s", problem)
        return None, _not_configured(str(problem))
    if config is None:
        return None, _not_configured()
    return config, None


# --- Logging ---------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    """Bytes as text for the log: exact for UTF-8 JSON; never a NUL (PostgreSQL refuses it)."""
    return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")


def _headers(request: HttpRequest) -> dict[str, str]:
    kept = {
        name: value.replace("\x00", "")
        for name, value in request.headers.items()
        if name.lower() != "cookie"
    }
    kept["Remote-Addr"] = request.META.get("REMOTE_ADDR", "")
    return kept


class _Log:
    """Collects what we learn about one inbound request; `save` writes its row."""

    def __init__(self, request: HttpRequest, action: str) -> None:
        self.started = time.monotonic()
        self.fields: dict[str, Any] = {
            "direction": Direction.INBOUND,
            "action": action,
            "url": request.path[:500],
            "headers": _headers(request),
            "counterparty": auth.claimed_subscriber(request.headers.get("Authorization", ""))[:255],
        }

    def update(self, **fields: Any) -> None:
        self.fields.update(fields)

    def answer(self, status: int, body: dict[str, Any]) -> dict[str, Any]:
        error = body.get("error") or {}
        return {
            "ack": body["message"]["ack"]["status"],
            "http_status": status,
            "response": body,
            "error_code": str(error.get("code", ""))[:10],
            "done_at": timezone.now(),
            "duration_ms": int((time.monotonic() - self.started) * 1000),
        }

    def save(self, status: int, body: dict[str, Any], **extra: Any) -> OndcMessage:
        return OndcMessage.objects.create(**self.fields, **self.answer(status, body), **extra)


def _respond(status: int, body: dict[str, Any], error: errors.OndcError | None = None):
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if isinstance(error, auth.AuthenticationFailed):
        response[error.challenge_header] = error.challenge
    return response


# --- POST /ondc/<action> ---------------------------------------------------------------------


@csrf_exempt
@require_POST
def endpoint(request: HttpRequest, action: str) -> HttpResponse:
    config, refusal = _config()
    if refusal is not None:
        return refusal
    assert config is not None  # narrowed by _config
    log = _Log(request, action)

    body = _read_body(request, settings.ONDC_MAX_BODY_BYTES)
    if body is None:
        limit = settings.ONDC_MAX_BODY_BYTES
        error = errors.OndcError(
            errors.INVALID_REQUEST,
            f"the body is larger than {limit} bytes",
            type=errors.POLICY_ERROR,
            http_status=413,
        )
        answer = nack(error)
        log.update(signature_detail="not checked: body too large")
        log.save(413, answer)
        return _respond(413, answer, error)
    log.update(body=_text(body))

    try:
        signer = auth.authenticate(request.headers, body, config=config)
    except errors.OndcError as error:
        answer = nack(error)
        signature_ok = False if isinstance(error, auth.AuthenticationFailed) else None
        log.update(signature_ok=signature_ok, signature_detail=error.message[:255])
        log.save(error.http_status, answer)
        return _respond(error.http_status, answer, error)
    detail = f"ok: {signer.subscriber_id}|{signer.unique_key_id}"
    if signer.gateway_id:
        detail += f" via {signer.gateway_id}"
    log.update(counterparty=signer.subscriber_id[:255], signature_ok=True, signature_detail=detail)

    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # ValueError includes UnicodeDecodeError
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("context"), dict):
        error = errors.OndcError(
            errors.INVALID_REQUEST,
            "the body is not a JSON object with a context",
            type=errors.JSON_SCHEMA_ERROR,
            path="context",
        )
        answer = nack(error)
        log.save(200, answer)
        return _respond(200, answer)

    context = data["context"]
    message_id = _id(context.get("message_id"))
    log.update(message_id=message_id, transaction_id=_id(context.get("transaction_id")))
    if message_id:
        first = _first_request(signer.subscriber_id, action, message_id)
        if first is not None:
            return _repeat(log, first)

    error = None
    parsed = None
    try:
        parsed_context = schemas.parse_context(context)
        check_context(parsed_context, action=action, config=config, signer=signer)
        parsed = schemas.parse_request(action, data)
        _precheck(action, parsed)
    except errors.OndcError as refused:
        error = refused
    except RecursionError:
        error = errors.OndcError(
            errors.INVALID_REQUEST, "the body is nested too deeply", type=errors.JSON_SCHEMA_ERROR
        )
    status = error.http_status if error else 200
    answer = nack(error) if error else ACK
    try:
        with transaction.atomic():
            row = log.save(status, answer)
            if error is None:
                job_enqueue(name=PROCESS_JOB, payload={"log_id": row.pk})
    except IntegrityError:
        # The same message arrived twice at once and the other copy was stored first.
        first = _first_request(signer.subscriber_id, action, message_id) if message_id else None
        if first is None:
            raise
        return _repeat(log, first)
    return _respond(status, answer, error)


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is over `limit` bytes (then it is not read at all)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None
    return None if len(body) > limit else body


def _id(value: Any) -> str:
    """A message/transaction id usable as a key ("" when missing or too long to keep whole)."""
    text = value if isinstance(value, str) else ""
    return text if len(text) <= MAX_ID_CHARS else ""


def _first_request(subscriber_id: str, action: str, message_id: str) -> OndcMessage | None:
    """The stored first request with this idempotency key (the constraint's own condition)."""
    return (
        OndcMessage.objects.filter(
            direction=Direction.INBOUND,
            counterparty=subscriber_id[:255],
            action=action,
            message_id=message_id,
            signature_ok=True,
            repeat_of__isnull=True,
            http_status__lt=500,
        )
        .only("id", "http_status", "response")
        .first()
    )


def _repeat(log: _Log, first: OndcMessage) -> JsonResponse:
    status = first.http_status or 200
    answer = first.response or ACK
    log.save(status, answer, repeat_of=first)
    response = JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})
    return response


def _precheck(action: str, parsed: Any) -> None:
    from sevamitra.ondc.handlers import PRECHECKS

    check = PRECHECKS.get(action)
    if check is None:
        return
    try:
        check(action, parsed)
    except errors.OndcError:
        raise
    except Exception:
        logger.exception("ONDC precheck of %s failed", action)
        raise errors.OndcError(
            errors.INTERNAL_ERROR,
            "internal error while checking the request; please retry",
            type=errors.CORE_ERROR,
            http_status=503,
        ) from None


def check_context(
    context: schemas.Context, *, action: str, config: OndcConfig, signer: auth.Signer
) -> None:
    """The context's values for this node; OndcError CONTEXT-ERROR naming the field."""

    def refuse(path: str, message: str, code: str = errors.INVALID_REQUEST) -> None:
        raise errors.OndcError(code, message, type=errors.CONTEXT_ERROR, path=path)

    if context.domain != DOMAIN:
        refuse("context.domain", f"domain {context.domain!r} is not served: this node is {DOMAIN}")
    if context.version != VERSION:
        refuse("context.version", f"version {context.version!r} is not supported: use {VERSION}")
    if context.action != action:
        refuse("context.action", f"context.action {context.action!r} does not match /{action}")
    if context.bpp_id and context.bpp_id != config.subscriber_id:
        refuse("context.bpp_id", f"context.bpp_id {context.bpp_id!r} is not this seller node")
    if context.country_code != COUNTRY:
        refuse("context.location.country.code", f"country {context.country_code!r} is not IND")
    city = context.city_code
    if (
        config.city_codes
        and city not in config.city_codes
        and not (city == "*" and action == "search")
    ):
        refuse("context.location.city.code", f"city {city!r} is not served by this seller node")
    if context.bap_id != signer.subscriber_id:
        refuse(
            "context.bap_id",
            f"context.bap_id {context.bap_id!r} is not the signer {signer.subscriber_id!r}",
            errors.INVALID_SIGNATURE,
        )
    registered = signer.subscriber_url.rstrip("/")
    if registered and not (
        context.bap_uri.rstrip("/") == registered or context.bap_uri.startswith(registered + "/")
    ):
        refuse(
            "context.bap_uri",
            "context.bap_uri is not the buyer app's subscriber_url in the registry",
        )
    now = timezone.now()
    skew = timedelta(seconds=settings.ONDC_CLOCK_SKEW_SECONDS)
    if context.timestamp > now + skew:
        refuse("context.timestamp", "context.timestamp is in the future")
    ttl = context.ttl_delta or timedelta(seconds=settings.ONDC_MAX_SIGNATURE_AGE_SECONDS)
    if context.timestamp + ttl + skew < now:
        refuse("context.timestamp", "stale request: older than its ttl", errors.STALE_REQUEST)


# --- Onboarding: site verification and on_subscribe ------------------------------------------


@never_cache
@require_GET
def site_verification(request: HttpRequest) -> HttpResponse:
    """The page the registry reads at subscribe time: our signature of the request_id that
    `manage.py ondc_subscribe` generated (the latest one, from the message log)."""
    try:
        config = ondc_config()
    except ImproperlyConfigured:
        config = None
    request_id = onboarding.latest_request_id() if config is not None else None
    if config is None or not request_id:
        raise Http404("no subscribe request")
    html = format_html(
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta name="ondc-site-verification" content="{}" />\n'
        "</head>\n<body>\nONDC Site Verification Page\n</body>\n</html>\n",
        crypto.sign_text(request_id),
    )
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@csrf_exempt
@require_POST
def on_subscribe(request: HttpRequest) -> HttpResponse:
    """The registry's challenge: {"subscriber_id", "challenge"} → {"answer": <decrypted>}."""
    config, refusal = _config()
    if refusal is not None:
        return refusal
    assert config is not None
    log = _Log(request, "on_subscribe")
    log.update(counterparty="registry")
    body = _read_body(request, ON_SUBSCRIBE_MAX_BYTES)
    if body is None:
        return _subscribe_refusal(log, 413, "body too large")
    log.update(body=_text(body))
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("challenge"), str):
        return _subscribe_refusal(log, 400, "expected a JSON object with a challenge")
    subscriber_id = data.get("subscriber_id")
    if subscriber_id is not None and subscriber_id != config.subscriber_id:
        return _subscribe_refusal(log, 400, "subscriber_id is not this node")
    try:
        answer = onboarding.answer_challenge(data["challenge"], config=config)
    except ImproperlyConfigured as problem:
        logger.error("on_subscribe: %s", problem)
        return _subscribe_refusal(log, 503, "encryption keys are not configured")
    except ValueError as problem:
        return _subscribe_refusal(log, 400, str(problem))
    result = {"answer": answer}
    log.update(signature_detail="challenge answered")
    OndcMessage.objects.create(
        **log.fields,
        ack="ACK",
        http_status=200,
        response=result,
        done_at=timezone.now(),
        duration_ms=int((time.monotonic() - log.started) * 1000),
    )
    return JsonResponse(result)


def _subscribe_refusal(log: _Log, status: int, message: str) -> JsonResponse:
    result = {"error": message}
    log.update(signature_detail=message[:255])
    OndcMessage.objects.create(
        **log.fields,
        ack="NACK",
        http_status=status,
        response=result,
        done_at=timezone.now(),
        duration_ms=int((time.monotonic() - log.started) * 1000),
    )
    return JsonResponse(result, status=status)
