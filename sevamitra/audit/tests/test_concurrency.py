"""Writers in parallel threads append to one unbroken chain (SQLite file in WAL: the writer
lock; PostgreSQL: the advisory lock). Each append is in its own transaction with another
write beside it, as a service's change would be."""

import threading

import pytest
from django.db import connections, transaction

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.audit.selectors import chain_verify
from sevamitra.audit.services import audit_record

THREADS = 8
APPENDS = 25


def _run_writers() -> tuple[list[BaseException], int]:
    actors = [UserFactory() for _ in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(t: int) -> None:
        try:
            start.wait()
            for i in range(APPENDS):
                with transaction.atomic():
                    actor = type(actors[t]).objects.get(pk=actors[t].pk)
                    actor.name = f"changed {i}"  # the change being audited
                    actor.save(update_fields=["name"])
                    audit_record(
                        actor=actor,
                        action="test.appended",
                        object_type="tests.thread",
                        object_id=f"{t}-{i}",
                        role="tester",
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    return errors, THREADS * APPENDS


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    errors, total = _run_writers()
    assert errors == []
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert sorted(AuditEntry.objects.values_list("object_id", flat=True)) == sorted(
        f"{t}-{i}" for t in range(THREADS) for i in range(APPENDS)
    )
    result = chain_verify()
    assert (result.ok, result.checked) == (True, total)


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_database_still_refuses_a_fork(monkeypatch):
    """Take the PostgreSQL advisory lock away: writers then race for the same head, and the
    unique constraints on seq and prev_hash refuse every loser; the chain stays whole."""
    monkeypatch.setattr("sevamitra.audit.services._lock_chain", lambda: None)
    errors, _total = _run_writers()
    assert {type(e).__name__ for e in errors} <= {"IntegrityError"}
    # (A writer stops at its first refusal; on PostgreSQL several usually are refused.)
    result = chain_verify()
    assert result.ok
    assert result.checked == AuditEntry.objects.count() > 0
