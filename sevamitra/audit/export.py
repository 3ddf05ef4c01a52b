"""Exports of a filtered range of the audit trail, re-verifiable without the portal.

JSON Lines (one JSON object per line, UTF-8):
  line 1, the header:
    {"type": "header", "format": "sevamitra-audit-export/1", "exported_at": …,
     "filters": {…}, "chain_head": {"seq": S, "hash": H},
     "first_prev_hash": the prev_hash of the first exported entry (null if none),
     "last": {"seq": …, "hash": …} of the last exported entry (null if none),
     "count": number of entries}
  then one line per entry: {"type": "entry", the eleven canonical fields (chain.py), "hash"}.
  chain_head is the log's newest entry when the export began; entries after it are left out,
  so the export is one consistent snapshot. An auditor recomputes every hash
  (scripts/audit-verify-export), checks that consecutive numbers link by prev_hash, and
  compares chain_head with a head they obtained independently (audit_verify prints it).

CSV: the same entries, one row each (before/after as canonical JSON), after "#" comment lines
carrying the header's members, so a spreadsheet shows the rows and the head travels with them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from sevamitra.audit import chain
from sevamitra.audit.models import AuditEntry

FORMAT = "sevamitra-audit-export/1"
CHUNK = 1000
CSV_COLUMNS = [
    "seq", "at", "actor_id", "actor_role", "action", "object_type", "object_id",
    "before", "after", "prev_hash", "hash",
]  # fmt: skip


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def header(*, entries, head: tuple[int, str], filters: dict[str, str]) -> dict[str, Any]:
    """entries: the filtered queryset (bounded by the head). Two small queries: first, last."""
    first = entries.values_list("prev_hash", flat=True).first()
    last = entries.order_by("-seq").values_list("seq", "hash").first()
    return {
        "type": "header",
        "format": FORMAT,
        "exported_at": chain.format_at(timezone.now()),
        "filters": filters,
        "chain_head": {"seq": head[0], "hash": head[1]},
        "first_prev_hash": first,
        "last": {"seq": last[0], "hash": last[1]} if last else None,
        "count": entries.count(),
    }


def _entry_record(entry: AuditEntry) -> dict[str, Any]:
    return {"type": "entry", **entry.canonical(), "hash": entry.hash}


def jsonl_lines(*, entries, head_record: dict[str, Any]) -> Iterator[str]:
    yield _line(head_record)
    for entry in entries.iterator(chunk_size=CHUNK):
        yield _line(_entry_record(entry))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(*, entries, head_record: dict[str, Any]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for key in ("format", "exported_at", "chain_head", "first_prev_hash", "last", "count"):
        value = head_record[key]
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        yield f"# {key}: {text}\n"
    yield "# filters: " + json.dumps(head_record["filters"], sort_keys=True) + "\n"
    yield writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=CHUNK):
        fields = entry.canonical()
        row = [
            fields[name] if name not in ("before", "after") else _json_cell(fields[name])
            for name in CSV_COLUMNS[:-1]
        ]
        yield writer.writerow([*("" if v is None else v for v in row), entry.hash])


def _json_cell(value: Any) -> str:
    return "" if value is None else chain.canonical_bytes(value).decode("ascii")
