"""Appending to the chain and verifying it: the canonical form, what is refused, what
audit_verify finds after someone edits, deletes or reorders rows behind the portal's back."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit import chain
from sevamitra.audit.models import AuditEntry
from sevamitra.audit.selectors import chain_head, chain_verify
from sevamitra.audit.services import AuditError, audit_change, audit_changes, audit_record

from .conftest import append

pytestmark = pytest.mark.django_db


def test_the_canonical_form_and_hash_are_fixed():
    """A known vector: the documented serialisation, byte for byte."""
    fields = chain.canonical_fields(
        seq=1,
        at="2026-11-28T04:55:34.123456Z",
        actor_id=7,
        actor_role="citizen",
        action="booking.cancelled",
        object_type="bookings.booking",
        object_id="42",
        before={"status": "confirmed"},
        after={"status": "cancelled", "note_hi": "रद्द"},
        prev_hash=chain.GENESIS_PREV_HASH,
    )
    text = chain.canonical_bytes(fields).decode("ascii")
    assert text == (
        '{"action":"booking.cancelled","actor_id":7,"actor_role":"citizen","after":'
        '{"note_hi":"\\u0930\\u0926\\u094d\\u0926","status":"cancelled"},'
        '"at":"2026-11-28T04:55:34.123456Z","before":{"status":"confirmed"},'
        '"object_id":"42","object_type":"bookings.booking","prev_hash":"' + "0" * 64 + '",'
        '"seq":1,"v":1}'
    )
    import hashlib

    assert chain.entry_hash(fields) == hashlib.sha256(text.encode()).hexdigest()


def test_entries_append_in_order_each_naming_the_one_before():
    officer = user_with_roles(Role.DISTRICT_OFFICER)
    with transaction.atomic():
        first = audit_record(
            actor=officer,
            action="provider.verified",
            object_type="providers.provider",
            object_id=5,
            before={"verification_status": "pending"},
            after={"verification_status": "verified"},
        )
        second = audit_record(
            actor=None, action="booking.expired", object_type="bookings.booking", object_id="9"
        )

    stored = list(
        AuditEntry.objects.values_list("seq", "prev_hash", "hash", "actor_id", "actor_role")
    )
    assert stored == [
        (1, "0" * 64, first.hash, officer.pk, "district_officer"),
        (2, first.hash, second.hash, None, "system"),
    ]
    assert first.hash == first.computed_hash() and len(first.hash) == 64
    assert chain_head() == (2, second.hash)
    result = chain_verify()
    assert (result.ok, result.checked, result.head_seq, result.head_hash) == (
        True,
        2,
        2,
        second.hash,
    )


def test_the_hash_survives_the_database_round_trip():
    when = dt.datetime(2026, 11, 28, 10, 0, 0, tzinfo=dt.UTC)  # no fraction digits
    with transaction.atomic():
        entry = audit_record(
            actor=None,
            action="settings.changed",
            object_type="config.setting",
            object_id="BOOKING_HOLD_MINUTES",
            before={"value": 10, "since": when, "fee": __import__("decimal").Decimal("12.50")},
            after={"value": 15, "flags": ["a", "b"], "nested": {"ok": True, "none": None}},
        )
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.before == {"value": 10, "since": "2026-11-28T10:00:00.000000Z", "fee": "12.50"}
    assert stored.computed_hash() == stored.hash == entry.hash


def test_an_object_is_recorded_by_type_and_id_and_only_changed_fields_are_kept():
    user = UserFactory(name="Asha", preferred_language="hi")
    admin = user_with_roles(Role.ADMINISTRATOR)
    with transaction.atomic():
        old = {"preferred_language": user.preferred_language, "is_active": user.is_active}
        user.preferred_language = "en"
        user.save()
        entry = audit_change(actor=admin, action="user.updated", obj=user, before=old)
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(user.pk))
    assert (entry.before, entry.after) == (
        {"preferred_language": "hi"},
        {"preferred_language": "en"},
    )
    assert entry.actor_role == "administrator"

    with (
        transaction.atomic(),
        audit_changes(
            actor=admin,
            action="user.deactivated",
            obj=user,
            fields=("is_active", "preferred_language"),
        ),
    ):
        user.is_active = False
        user.save()
    latest = AuditEntry.objects.order_by("-seq").first()
    assert (latest.action, latest.before, latest.after) == (
        "user.deactivated",
        {"is_active": True},
        {"is_active": False},
    )


def test_a_creation_records_the_named_fields():
    admin = user_with_roles(Role.ADMINISTRATOR)
    with transaction.atomic():
        entry = audit_change(
            actor=admin,
            action="user.created",
            obj=admin,
            fields=("is_staff",),
            role="administrator",
        )
    assert (entry.before, entry.after, entry.actor_role) == (
        None,
        {"is_staff": True},
        "administrator",
    )


@pytest.mark.parametrize(
    "payload", [{"name": "Asha"}, {"x": {"phone": "9876543210"}}, {"l": [{"address": "x"}]}]
)
def test_personal_data_is_refused_and_nothing_is_written(payload):
    with pytest.raises(AuditError), transaction.atomic():
        audit_record(
            actor=None,
            action="user.updated",
            object_type="accounts.user",
            object_id=1,
            after=payload,
        )
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_entry_outside_a_transaction_is_refused():
    with pytest.raises(AuditError):
        audit_record(actor=None, action="x.changed")
    assert AuditEntry.objects.count() == 0


def test_an_entry_rolls_back_with_the_change_it_records():
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        append(1)
        raise RuntimeError("the change failed")
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == [1]


# --- audit_verify finds tampering ------------------------------------------------------------


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    assert failed.value.returncode == 1
    return str(failed.value)


def test_audit_verify_passes_on_a_whole_chain(capsys):
    last = append(5)
    call_command("audit_verify")
    assert capsys.readouterr().out == f"OK: 5 entries, head 5 {last.hash}\n"


def test_audit_verify_on_an_empty_log(capsys):
    call_command("audit_verify")
    assert capsys.readouterr().out == f"OK: 0 entries, head 0 {'0' * 64}\n"


def test_an_edited_row_is_named(raw_edit):
    append(5)
    raw_edit("UPDATE audit_auditentry SET action = %s WHERE seq = 3", ["test.innocent"])
    message = _verify_fails()
    assert message.startswith("BROKEN at entry 3: hash mismatch (stored ")
    assert message.endswith("; entries before it intact: 2.")


def test_an_edited_change_is_named(raw_edit):
    append(5)
    entry = AuditEntry.objects.get(seq=4)
    raw_edit("UPDATE audit_auditentry SET after = %s WHERE seq = 4", ['{"status": "forged"}'])
    assert AuditEntry.objects.get(seq=4).after == {"status": "forged"} != entry.after
    assert _verify_fails().startswith("BROKEN at entry 4: hash mismatch")


def test_a_rehashed_edit_breaks_the_link_to_the_next_entry(raw_edit):
    append(5)
    entry = AuditEntry.objects.get(seq=2)
    entry.action = "test.innocent"
    raw_edit(
        "UPDATE audit_auditentry SET action = %s, hash = %s WHERE seq = 2",
        [entry.action, entry.computed_hash()],
    )
    assert _verify_fails().startswith("BROKEN at entry 3: prev mismatch")


def test_a_deleted_row_is_named(raw_edit):
    append(5)
    raw_edit("DELETE FROM audit_auditentry WHERE seq = 2")
    assert _verify_fails().startswith("BROKEN at entry 3: gap (expected number 2, found 3)")


def test_a_deleted_tail_is_caught_by_the_published_head(raw_edit, capsys):
    last = append(5)
    raw_edit("DELETE FROM audit_auditentry WHERE seq = 5")
    call_command("audit_verify")  # the chain itself is whole, four entries long
    assert capsys.readouterr().out.startswith("OK: 4 entries")
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify", expect_head=f"5:{last.hash}")
    assert str(failed.value).startswith(
        "BROKEN at entry 5: head mismatch (the published head 5 is missing"
    )


def test_reordered_rows_are_named(raw_edit):
    append(5)
    # Swap entries 2 and 3 by their numbers (through a free number: seq is unique).
    raw_edit("UPDATE audit_auditentry SET seq = 100 WHERE seq = 2")
    raw_edit("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    raw_edit("UPDATE audit_auditentry SET seq = 3 WHERE seq = 100")
    assert _verify_fails().startswith("BROKEN at entry 2: prev mismatch")


def test_reordered_contents_are_named(raw_edit):
    """Swap what two rows say while keeping their numbers and links: the hashes give it away."""
    append(5)
    raw_edit(
        "UPDATE audit_auditentry SET object_id = CASE seq WHEN 2 THEN '2' WHEN 3 THEN '1' END"
        " WHERE seq IN (2, 3)"
    )
    assert _verify_fails().startswith("BROKEN at entry 2: hash mismatch")


def test_a_fork_is_refused_by_the_database():
    first = append(1)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(
            seq=2, at=first.at, action="x.forked", prev_hash=first.prev_hash, hash="f" * 64
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(
            seq=1, at=first.at, action="x.forked", prev_hash="e" * 64, hash="f" * 64
        )
    assert AuditEntry.objects.count() == 1


def test_expect_head_takes_seq_and_hash():
    with pytest.raises(CommandError, match="SEQ:HASH"):
        call_command("audit_verify", expect_head="five")


# --- PostgreSQL: the log is append-only ----------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'test.innocent' WHERE seq = 1",
        "DELETE FROM audit_auditentry WHERE seq = 1",
    ],
)
def test_postgresql_refuses_update_and_delete(sql):
    from django.db import DatabaseError

    entry = append(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    # The ORM is refused alike.
    rows = AuditEntry.objects.filter(seq=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if sql.startswith("UPDATE"):
            rows.update(action="test.innocent")
        else:
            rows.delete()
    assert list(AuditEntry.objects.values_list("seq", "action", "hash")) == [
        (1, "test.changed", entry.hash)
    ]
