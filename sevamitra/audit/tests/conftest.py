import pytest
from django.db import connection, transaction

from sevamitra.audit.services import audit_record


def append(n: int, *, actor=None, action: str = "test.changed", **kwargs):
    """n entries, each in its own transaction; the last one returned."""
    entry = None
    for i in range(n):
        with transaction.atomic():
            entry = audit_record(
                actor=actor,
                action=action,
                object_type="tests.thing",
                object_id=str(i),
                before={"status": "old"},
                after={"status": f"new{i}"},
                **kwargs,
            )
    return entry


@pytest.fixture
def raw_edit():
    """A raw SQL statement on the audit table, as a person with database access could run.
    On PostgreSQL the append-only trigger is switched off for it (session_replication_role,
    a superuser's power, for the test's own transaction only), to show what audit_verify
    finds when someone goes round it."""

    def run(sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")

    return run
