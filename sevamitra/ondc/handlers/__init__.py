"""The protocol handlers: one function per inbound action, registered with @handler.

Contract (the transport in views.py/tasks.py relies on it):
- `views.py` verifies the signature, validates the body with `schemas.parse_request` and the
  context, stores the inbound message and ACKs at once; the background job `ondc.process` then
  calls the action's handler with an `Inbound`.
- A handler returns the `message` object of the on_<action> callback (a plain JSON-ready dict),
  or raises `OndcError` — the callback then carries that `error` instead.
- Handlers never sign or send: the transport builds the callback's context (same
  transaction_id and message_id, action on_<action>, our bpp_id/bpp_uri, a new timestamp),
  stores it, signs it and POSTs it to the bap_uri with retries.
- A handler must be safe to run twice for the same message (the job may be retried after a
  crash): the transport already answers a repeated message_id from its log.
- Unsolicited callbacks (on_status for a visit's progress, on_cancel by the merchant, on_update)
  go through `sevamitra.ondc.outbox.callback_unsolicited(...)`.
- Synchronous NACKs (e.g. confirm before init): register `@precheck(action)` on a function
  `(action: str, parsed) -> None` that raises `OndcError`. views.py calls it after the
  signature, schema and context checks, before storing and ACKing the request; the OndcError
  becomes the NACK (kept as the answer to that message id, like any answer) and no callback is
  sent. Keep prechecks to cheap reads: they run inside the HTTP request. Any other exception
  becomes a retryable NACK 31001 (HTTP 503) and is logged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTIONS = (
    "search",
    "select",
    "init",
    "confirm",
    "status",
    "update",
    "cancel",
    "track",
    "rating",
    "support",
)


@dataclass(frozen=True)
class Inbound:
    """One verified, validated inbound request."""

    action: str
    context: dict[str, Any]  # the request's context, as received
    message: dict[str, Any]  # the request's message, as received
    parsed: Any  # the pydantic model of the whole request (schemas.parse_request)
    log_id: int  # sevamitra.ondc.models.OndcMessage of the request
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bap_id(self) -> str:
        return str(self.context.get("bap_id", ""))

    @property
    def bap_uri(self) -> str:
        return str(self.context.get("bap_uri", ""))

    @property
    def transaction_id(self) -> str:
        return str(self.context.get("transaction_id", ""))

    @property
    def message_id(self) -> str:
        return str(self.context.get("message_id", ""))


Handler = Callable[[Inbound], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
Precheck = Callable[[str, Any], None]
PRECHECKS: dict[str, Precheck] = {}


def handler(action: str) -> Callable[[Handler], Handler]:
    if action not in ACTIONS:
        raise ValueError(f"unknown ONDC action {action!r}")

    def register(func: Handler) -> Handler:
        HANDLERS[action] = func
        return func

    return register


def precheck(action: str) -> Callable[[Precheck], Precheck]:
    """Register a synchronous check of `action`'s parsed request (see the module docstring)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown ONDC action {action!r}")

    def register(func: Precheck) -> Precheck:
        PRECHECKS[action] = func
        return func

    return register


def load_all() -> None:
    """Import every handler module (each registers itself)."""
    for name in ("search", "orders"):
        try:
            importlib.import_module(f"sevamitra.ondc.handlers.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"sevamitra.ondc.handlers.{name}":
                raise


load_all()
