"""The hash chain of the audit trail: the canonical form of an entry and its SHA-256.

Pure standard library, so that what the portal computes is exactly what an external auditor
recomputes (scripts/audit-verify-export repeats these few lines; a test keeps them equal).

Canonical form of an entry (format version 1)
---------------------------------------------
A JSON object with exactly these eleven members:

    v            1 (the format version, an integer)
    seq          the entry's sequence number (integer; 1, 2, 3, … with no gaps)
    at           the time, UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fraction digits)
    actor_id     the acting user's id (integer), or null for the system
    actor_role   text ("" if none)
    action       text, e.g. "booking.cancelled"
    object_type  text, e.g. "bookings.booking" ("" if none)
    object_id    text, e.g. "42" ("" if none)
    before       a JSON object of the changed fields' old values, or null
    after        a JSON object of the changed fields' new values, or null
    prev_hash    the previous entry's hash; for seq 1, sixty-four "0"

serialised as Python's json.dumps(obj, sort_keys=True, separators=(",", ":"),
ensure_ascii=True) does: members (at every depth) in code-point order of their keys, no
whitespace, every non-ASCII character escaped as \\uXXXX with lowercase hex (surrogate pairs
beyond the BMP), the rest as RFC 8259 minimal escapes. before/after hold only strings,
integers, booleans, null, lists and objects (the portal writes decimals, dates and floats as
strings), so no number formatting question arises. The bytes are that text in ASCII/UTF-8.

    hash = lowercase hex SHA-256 of those bytes

Example: {"action":"booking.cancelled","actor_id":7,"actor_role":"citizen","after":{"status":
"cancelled"},"at":"2026-11-28T04:55:34.123456Z","before":{"status":"confirmed"},"object_id":"42",
"object_type":"bookings.booking","prev_hash":"00…00","seq":1,"v":1}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

FORMAT_VERSION = 1
GENESIS_PREV_HASH = "0" * 64


def format_at(at: dt.datetime) -> str:
    """The canonical time: UTC with six fraction digits and a Z."""
    if at.tzinfo is None:
        raise ValueError("audit times are timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fields(
    *,
    seq: int,
    at: str,
    actor_id: int | None,
    actor_role: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "v": FORMAT_VERSION,
        "seq": seq,
        "at": at,
        "actor_id": actor_id,
        "actor_role": actor_role,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }


def canonical_bytes(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()
