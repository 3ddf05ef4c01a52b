"""Benchmark of the audit trail: concurrent appends to the one chain, then verifying it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/audit.py [--writers 16] [--seconds 20] [--fill 200000]

Runs in its own database on that server (--database, default sevamitra_audit_bench), created
if missing and migrated; the audit table is emptied first (TRUNCATE: the trigger refuses
DELETE). Phase 1: --writers threads, each with its own connection, append entries for
--seconds, each in its own transaction (as a service does: a row change + audit_record);
prints appends per second and latency percentiles. Phase 2: --fill more entries are added
in bulk (the same canonical form and hash, written in batches, no lock needed: one writer).
Phase 3: `chain_verify` walks the whole chain; prints entries per second and the peak memory
of the process (it streams in chunks: memory must not grow with the chain). The chain must
verify and have no fork (unique seq / prev_hash), and the count must equal what was appended.
"""

import argparse
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from sevamitra.audit.models import AuditEntry  # noqa: E402
from sevamitra.audit.selectors import chain_head, chain_verify  # noqa: E402
from sevamitra.audit.services import audit_record  # noqa: E402


def use_database(name: str) -> None:
    """Point the default connection at a database of its own on the same server."""
    if connection.vendor != "postgresql":
        sys.exit("bench/audit.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")


def writer(deadline: float, latencies: list[float], errors: list[str], n: int) -> None:
    try:
        i = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            with transaction.atomic():
                audit_record(
                    actor=None,
                    action="bench.appended",
                    object_type="bench.item",
                    object_id=f"{n}-{i}",
                    before={"status": "a"},
                    after={"status": "b", "writer": n},
                )
            latencies.append(time.monotonic() - started)
            i += 1
    except Exception as error:  # a bench reports every failure (and exits 1), it never hides one
        errors.append(repr(error))
    finally:
        connections.close_all()


def fill(count: int, batch: int = 5000) -> None:
    seq, prev = chain_head()
    now = timezone.now()
    for start in tqdm(range(0, count, batch), desc="filling", unit="batch"):
        rows = []
        for _ in range(min(batch, count - start)):
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                actor_id=None,
                actor_role="system",
                action="bench.filled",
                object_type="bench.item",
                object_id=str(seq),
                before={"status": "a"},
                after={"status": "b"},
                prev_hash=prev,
            )
            entry.hash = prev = entry.computed_hash()
            rows.append(entry)
        AuditEntry.objects.bulk_create(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sevamitra_audit_bench")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--fill", type=int, default=200_000)
    args = parser.parse_args()
    use_database(args.database)

    latencies: list[list[float]] = [[] for _ in range(args.writers)]
    errors: list[str] = []
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=writer, args=(deadline, latencies[n], errors, n))
        for n in range(args.writers)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for per in latencies for x in per)
    appended = len(flat)
    q = statistics.quantiles(flat, n=100) if len(flat) >= 2 else [0.0] * 99
    print(
        f"appends: {appended} by {args.writers} writers in {elapsed:.1f} s = "
        f"{appended / elapsed:.0f}/s; latency p50 {q[49] * 1000:.1f} ms, "
        f"p95 {q[94] * 1000:.1f} ms, max {flat[-1] * 1000 if flat else 0:.1f} ms; "
        f"errors {len(errors)}"
    )
    for error in errors[:5]:
        print("  error:", error)

    fill(args.fill)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    result = chain_verify()
    took = time.monotonic() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    total = AuditEntry.objects.count()
    forks = total - AuditEntry.objects.values("prev_hash").distinct().count()
    print(
        f"verify: {result.checked} entries in {took:.1f} s = {result.checked / took:.0f}/s; "
        f"peak RSS {rss_after / 1024:.0f} MB (grew {(rss_after - rss_before) / 1024:.0f} MB "
        f"while verifying); ok={result.ok}; "
        f"entries {total} (expected {appended + args.fill}); forks {forks}"
    )
    if errors or not result.ok or forks or total != appended + args.fill:
        sys.exit(1)


if __name__ == "__main__":
    main()
