"""Reads of the audit trail: the filtered list, the chain head, the whole-chain check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet

from sevamitra.audit import chain
from sevamitra.audit.models import AuditEntry

VERIFY_CHUNK = 2000


@dataclasses.dataclass(frozen=True)
class AuditFilter:
    """What an auditor asked for; every part optional. `until` is exclusive."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    action: str = ""  # an action, or a prefix ending in "." ("booking.")
    object_type: str = ""
    object_id: str = ""
    actor_id: int | None = None
    up_to_seq: int | None = None  # a consistent snapshot: nothing appended later


def audit_entries(f: AuditFilter) -> QuerySet[AuditEntry]:
    """Entries matching the filter, in chain order, with the actor loaded."""
    qs = AuditEntry.objects.select_related("actor").order_by("seq")
    if f.since is not None:
        qs = qs.filter(at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(at__lt=f.until)
    if f.action:
        qs = (
            qs.filter(action__startswith=f.action)
            if f.action.endswith(".")
            else qs.filter(action=f.action)
        )
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.up_to_seq is not None:
        qs = qs.filter(seq__lte=f.up_to_seq)
    return qs


def chain_head() -> tuple[int, str]:
    """(seq, hash) of the newest entry; (0, sixty-four zeros) for an empty log."""
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return (head[0], head[1]) if head else (0, chain.GENESIS_PREV_HASH)


def entry_previous_hash(seq: int) -> str:
    """The hash an entry of this number must name as prev_hash (from the stored entry before)."""
    if seq <= 1:
        return chain.GENESIS_PREV_HASH
    prev = AuditEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
    return prev or ""


@dataclasses.dataclass(frozen=True)
class Break:
    seq: int
    problem: str  # "gap", "prev mismatch", "hash mismatch", "head mismatch"
    detail: str


@dataclasses.dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=VERIFY_CHUNK)


def chain_verify(*, expect_head: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the whole chain in order, streaming, and stop at the first broken entry:
    a gap in the numbers (a deleted row), a prev_hash that is not the previous entry's hash,
    or a hash that does not match the entry's fields (an edited or moved row).
    expect_head: a head published earlier (seq, hash) that the chain must still contain —
    this is what catches a rewrite that recomputed every later hash, or a cut-off tail."""
    expected_seq, prev_hash, checked = 1, chain.GENESIS_PREV_HASH, 0
    seen_expected = expect_head is None or expect_head[0] == 0
    for entry in _rows():
        if entry.seq != expected_seq:
            detail = f"expected number {expected_seq}, found {entry.seq}"
            return VerifyResult(
                checked, expected_seq - 1, prev_hash, Break(entry.seq, "gap", detail)
            )
        if entry.prev_hash != prev_hash:
            detail = f"prev_hash {entry.prev_hash} is not the previous hash {prev_hash}"
            return VerifyResult(
                checked, expected_seq - 1, prev_hash, Break(entry.seq, "prev mismatch", detail)
            )
        computed = entry.computed_hash()
        if computed != entry.hash:
            detail = f"stored {entry.hash}, computed {computed}"
            return VerifyResult(
                checked, expected_seq - 1, prev_hash, Break(entry.seq, "hash mismatch", detail)
            )
        if expect_head is not None and entry.seq == expect_head[0]:
            if entry.hash != expect_head[1]:
                detail = f"published head hash {expect_head[1]}, stored {entry.hash}"
                return VerifyResult(
                    checked, entry.seq, entry.hash, Break(entry.seq, "head mismatch", detail)
                )
            seen_expected = True
        checked += 1
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    if not seen_expected:
        assert expect_head is not None
        detail = f"the published head {expect_head[0]} is missing (the chain ends at {checked})"
        return VerifyResult(
            checked, checked, prev_hash, Break(expect_head[0], "head mismatch", detail)
        )
    return VerifyResult(checked, expected_seq - 1, prev_hash, None)
