"""Writing the audit trail. Every state-changing service calls one of these, last, inside its
own transaction.atomic() block, so the entry commits or rolls back with the change.

How a service records its change (one line, after the save):

    old_status = booking.status            # usually already at hand
    ...                                    # checks, booking.status = …, booking.save()
    audit_change(actor=acting_user, action="booking.cancelled", obj=booking,
                 before={"status": old_status})

audit_change reads the new values of the same fields from `obj` and keeps only those that
changed. For a creation pass `fields=("status", …)` (no before); for several fields use
`with audit_changes(actor=…, action=…, obj=…, fields=(…)):` around the assignments. Anything
else (a role grant, a setting, an erasure) calls audit_record with explicit before/after.

Rules: references, never personal data: before/after must not hold names, phone numbers,
addresses, free text from people, or ID numbers (keys in PERSONAL_KEYS are refused); objects
are named by type ("app_label.model") and id. Actions are "<entity>.<past participle>".

Concurrency: entries form one chain; the next entry is appended under a lock held until the
caller's transaction ends (PostgreSQL: pg_advisory_xact_lock(AUDIT_LOCK_KEY); SQLite: every
write transaction already holds the database's writer lock from BEGIN IMMEDIATE). Call it as
the last write of the transaction so that the serialised part stays short and no lock is
taken after it. Unique constraints on seq and prev_hash refuse a fork in any case.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

from sevamitra.audit import chain
from sevamitra.audit.models import AuditEntry

# pg_advisory_xact_lock key of the audit chain (any fixed bigint; "SEVA" "AUD1" in ASCII).
AUDIT_LOCK_KEY = 0x5345_5641_4155_4431
SYSTEM_ROLE = "system"
# Keys that would copy personal data into the log; refused at any depth of before/after.
PERSONAL_KEYS = frozenset(
    {
        "name", "full_name", "phone", "mobile", "email", "address", "line1", "line2",
        "landmark", "locality", "aadhaar", "id_number", "photo", "text", "note", "notes",
        "message", "body", "lat", "lng", "latitude", "longitude",
    }
)  # fmt: skip


class AuditError(ValueError):
    """A programming error in a call to the audit trail (never a user's mistake)."""


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    role: str = "",
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (which must be open).

    actor: the acting user, or None (or an anonymous user) for the system. role: the capacity
    the actor acted in; by default the roles they hold ("system" for None). obj: the changed
    model instance (its type and id are recorded); or object_type/object_id for anything else.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit_record must run inside the transaction of the change")
    if not action or len(action) > 64:
        raise AuditError("an action is required (at most 64 characters)")
    if obj is not None:
        if obj.pk is None:
            raise AuditError("record an object after it is saved")
        object_type, object_id = obj._meta.label_lower, obj.pk
    actor_id, role = _actor(actor, role)
    before, after = _jsonable(before), _jsonable(after)
    _refuse_personal(before)
    _refuse_personal(after)

    _lock_chain()
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS_PREV_HASH)
    entry = AuditEntry(
        seq=seq,
        at=timezone.now(),
        actor_id=actor_id,
        actor_role=role,
        action=action,
        object_type=str(object_type),
        object_id=str(object_id),
        before=before,
        after=after,
        prev_hash=prev_hash,
    )
    entry.hash = entry.computed_hash()
    entry.save(force_insert=True)
    return entry


def audit_change(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
    role: str = "",
) -> AuditEntry:
    """Record a change of `obj`: `before` maps field names to their old values; the new
    values are read from `obj` (a ForeignKey by its attname, e.g. "provider_id"). Only fields
    whose value changed are kept. With no `before`, `fields` names the fields of a new object
    to record (before is then null)."""
    if before is None:
        return audit_record(
            actor=actor, action=action, obj=obj, after=snapshot(obj, fields), role=role
        )
    old = _jsonable(before) or {}
    new = snapshot(obj, old.keys())
    changed = [key for key in old if old[key] != new[key]]
    return audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before={key: old[key] for key in changed},
        after={key: new[key] for key in changed},
        role=role,
    )


@contextmanager
def audit_changes(
    *, actor, action: str, obj: models.Model, fields: Iterable[str], role: str = ""
) -> Iterator[None]:
    """`with audit_changes(actor=…, action=…, obj=booking, fields=("status", "ends_at")):`
    snapshots the fields, runs the block (which changes and saves obj), then records what
    changed. Nothing is recorded if the block raises."""
    before = snapshot(obj, fields)
    yield
    audit_change(actor=actor, action=action, obj=obj, before=before, role=role)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON form of some fields of obj (as audit entries store them)."""
    return _jsonable({field: getattr(obj, field) for field in fields}) or {}


# --- helpers --------------------------------------------------------------------------------


def _actor(actor, role: str) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, role or SYSTEM_ROLE
    if not role:
        from sevamitra.accounts.selectors import user_roles

        held = sorted(user_roles(actor))
        if actor.is_superuser and "administrator" not in held:
            held.insert(0, "superuser")
        role = ",".join(held)
    return actor.pk, role[:100]


def _lock_chain() -> None:
    """Serialise appenders until the end of the transaction (see the module's docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
    # SQLite: the transaction began with BEGIN IMMEDIATE and holds the writer lock already.


def _jsonable(value: Any) -> Any:
    """Plain JSON values only (strings, integers, booleans, null, lists, objects): what is
    hashed is then exactly what the database gives back."""
    if value is None or isinstance(value, bool | int | str):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.datetime):
        return chain.format_at(value) if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID | dt.timedelta):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    raise AuditError(f"cannot record a value of type {type(value).__name__}")


def _refuse_personal(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() in PERSONAL_KEYS:
                raise AuditError(f"personal data ({key}) does not belong in the audit trail")
            _refuse_personal(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_personal(item)
