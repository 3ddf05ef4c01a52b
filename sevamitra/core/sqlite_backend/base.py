"""Django's SQLite backend, with the writers of one process taking turns in Python.

SQLite allows one writer at a time; Django opens each write transaction with BEGIN IMMEDIATE
(config/settings.py), so writers wait for SQLite's lock inside sqlite3, holding their
connection's mutex while they sleep. Two things go wrong when many threads write at once
(measured with bench/booking_contention.py, 200 threads):
- the waiters retry on SQLite's fixed back-off schedule in lockstep, so most rounds commit
  one writer and the tail latency grows towards the busy timeout;
- the thread holding the write lock may run Python's garbage collector, which frees a
  leftover exception that still references another thread's cursor; finalising that cursor
  needs the other connection's mutex, held by a thread asleep in BEGIN IMMEDIATE: each waits
  for the other until the busy timeout fails one with "database is locked".
Taking a per-database threading.Lock before BEGIN and releasing it at COMMIT/ROLLBACK makes the
writers of a process queue in Python, holding no sqlite3 mutex while they wait. Processes still
serialise on SQLite's own lock. PostgreSQL needs none of this.
"""

import threading

from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _writer_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer_lock = False

    def _writer(self) -> threading.Lock:
        return _writer_lock(str(self.settings_dict["NAME"]))

    def _release_writer(self) -> None:
        if self._holds_writer_lock:
            self._holds_writer_lock = False
            self._writer().release()

    def _start_transaction_under_autocommit(self) -> None:
        self._writer().acquire()
        self._holds_writer_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_writer()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_writer()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_writer()
