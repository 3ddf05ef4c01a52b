"""Typed models of the inbound ONDC:SRV11 2.0.0 requests, written by us from the documented
structure (no spec file is copied). Entry point: `parse_request(action, data)`.

    parsed = parse_request("select", body)          # -> SelectRequest
    parsed.context.transaction_id, parsed.message.order.items[0].id

A bad body raises `OndcError(INVALID_REQUEST, "<path>: <problem>", type=JSON_SCHEMA_ERROR)`,
e.g. "message.order.items[0].id: field required"; `error.path` is the first failing path.
Unknown fields are allowed and kept. Which fields are required: see requests.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .. import errors
from .common import (
    ORDER_STATUSES,
    RATING_CATEGORIES,
    Authorization,
    Billing,
    BreakupLine,
    CancellationTerm,
    Category,
    Contact,
    Descriptor,
    Fulfillment,
    GeoPoint,
    Item,
    Location,
    OndcModel,
    Payment,
    Price,
    ProviderRef,
    Quote,
    Stop,
    Tag,
    TagGroup,
    Time,
    TimeRange,
    format_duration,
    format_gps,
    format_timestamp,
    normalize_order_status,
    parse_duration,
    parse_gps,
    tag_value,
)
from .context import Context
from .requests import (
    REQUEST_MODELS,
    CancelRequest,
    ConfirmRequest,
    InitRequest,
    RatingRequest,
    SearchRequest,
    SelectRequest,
    StatusRequest,
    SupportRequest,
    TrackRequest,
    UpdateRequest,
)

__all__ = [
    "ORDER_STATUSES",
    "RATING_CATEGORIES",
    "REQUEST_MODELS",
    "Authorization",
    "Billing",
    "BreakupLine",
    "CancelRequest",
    "CancellationTerm",
    "Category",
    "ConfirmRequest",
    "Contact",
    "Context",
    "Descriptor",
    "Fulfillment",
    "GeoPoint",
    "InitRequest",
    "Item",
    "Location",
    "OndcModel",
    "Payment",
    "Price",
    "ProviderRef",
    "Quote",
    "RatingRequest",
    "SearchRequest",
    "SelectRequest",
    "StatusRequest",
    "Stop",
    "SupportRequest",
    "Tag",
    "TagGroup",
    "Time",
    "TimeRange",
    "TrackRequest",
    "UpdateRequest",
    "format_duration",
    "format_gps",
    "format_loc",
    "format_timestamp",
    "normalize_order_status",
    "parse_context",
    "parse_duration",
    "parse_gps",
    "parse_request",
    "tag_value",
]

MAX_REPORTED_ERRORS = 5


def format_loc(loc: tuple[Any, ...] | list[Any]) -> str:
    """("message", "order", "items", 0, "id") -> "message.order.items[0].id"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    """One pydantic error -> (path, problem) in the network's plain English."""
    path = format_loc(error["loc"])
    if error["type"] == "missing":
        return path or "body", "field required"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if message.startswith("@"):
        # A validator reporting a deeper field: "@stops[0].location.address: field required".
        relative, _, message = message[1:].partition(": ")
        joiner = "" if relative.startswith("[") or not path else "."
        path = f"{path}{joiner}{relative}"
    if error["type"] == "extra_forbidden":
        message = "field not allowed"
    return path or "body", message


def _raise(error: ValidationError) -> None:
    problems = [_describe(e) for e in error.errors(include_url=False)]
    shown = "; ".join(f"{path}: {message}" for path, message in problems[:MAX_REPORTED_ERRORS])
    if len(problems) > MAX_REPORTED_ERRORS:
        shown += f"; and {len(problems) - MAX_REPORTED_ERRORS} more"
    raise errors.OndcError(
        errors.INVALID_REQUEST,
        shown,
        type=errors.JSON_SCHEMA_ERROR,
        path=problems[0][0],
    ) from None


def parse_request(action: str, data: dict) -> BaseModel:
    """Validate a whole request ({context, message}) for `action`; OndcError 30000 on bad input."""
    model = REQUEST_MODELS.get(action)
    if model is None:
        raise errors.OndcError(
            errors.INVALID_REQUEST,
            f"unknown action {action!r}",
            type=errors.JSON_SCHEMA_ERROR,
            path="context.action",
        )
    if not isinstance(data, dict):
        raise errors.OndcError(
            errors.INVALID_REQUEST,
            "body: must be a JSON object with context and message",
            type=errors.JSON_SCHEMA_ERROR,
            path="body",
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        _raise(error)
        raise  # pragma: no cover - _raise always raises


def parse_context(data: Any) -> Context:
    """Validate only a context object (e.g. to NACK with the right context before the message)."""
    try:
        return Context.model_validate(data)
    except ValidationError as error:
        # Report paths from the request's root, as parse_request does.
        problems = [_describe({**e, "loc": ("context", *e["loc"])}) for e in error.errors()]
        shown = "; ".join(f"{p}: {m}" for p, m in problems[:MAX_REPORTED_ERRORS])
        raise errors.OndcError(
            errors.INVALID_REQUEST, shown, type=errors.JSON_SCHEMA_ERROR, path=problems[0][0]
        ) from None
