"""Benchmark of the search API (GET /api/v1/search), in-process, on PostgreSQL.

Target (docs/adr/0002-search.md): with 100,000 seeded providers on a 2-core machine,
p95 ≤ 25 ms per search and at most 3 SQL queries per search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sevamitra_bench \\
        .venv/bin/python bench/search.py [--providers 100000] [--searches 1000] [--reuse]

Creates the database if it is missing, migrates, seeds N providers with `manage.py seed`
(kept with --reuse when the count already matches), runs ANALYZE, warms up with 50
searches, then calls the view `sevamitra.search.api.search` directly for each random search
(a category word in English, Devanagari or Hinglish; a point near a seeded district's
pincode centroid or a real pincode; a 1, 2 or 4 hour slot in the next 1-30 days) and prints
latency percentiles, SQL queries per search and result counts. --explain also prints the
EXPLAIN ANALYZE of the slowest search's main query.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sevamitra.catalog.models import Category  # noqa: E402
from sevamitra.geo.models import District  # noqa: E402
from sevamitra.providers.management.demo_generator import Area, offset_point  # noqa: E402
from sevamitra.providers.models import Provider  # noqa: E402
from sevamitra.search.api import search  # noqa: E402

WARM_UP = 50
TARGET_P95_MS = 25.0
TARGET_QUERIES = 3
INDIA = ZoneInfo("Asia/Kolkata")
POINT_JITTER_KM = 2.0


@dataclass
class Sample:
    params: dict[str, str]
    ms: float
    queries: list[dict[str, str]]
    status: int
    results: int


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL when it does not exist yet."""
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    ) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if found.fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"created database {db['NAME']}")


def prepare(providers: int, seed: int, reuse: bool) -> None:
    call_command("migrate", verbosity=0)
    existing = Provider.objects.count()
    if reuse and existing == providers:
        print(f"reusing {existing:,} seeded providers")
    else:
        call_command(
            "seed",
            providers=providers,
            seed=seed,
            reset=existing > 0,
            no_progress=not sys.stdout.isatty(),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def search_space() -> tuple[list[str], list[tuple[str, float, float]]]:
    """Category words (names and synonyms) and the pincodes of the seeded districts."""
    words = []
    for category in Category.objects.filter(is_active=True):
        words += [category.name_en, category.name_hi, *category.synonym_list]
    seeded = Provider.objects.values("district").distinct()
    pincodes = [p for d in District.objects.filter(pk__in=seeded) for p in Area.load(d).pincodes]
    return words, pincodes


def random_params(
    rng: random.Random, words: list[str], pincodes: list[tuple[str, float, float]], today: datetime
) -> dict[str, str]:
    params = {"q": rng.choice(words)}
    pincode, lat, lng = rng.choice(pincodes)
    if rng.random() < 0.5:
        params["pincode"] = pincode
    else:
        distance, bearing = POINT_JITTER_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat, lng = offset_point(lat, lng, distance, bearing)
        params["lat"], params["lng"] = f"{lat:.6f}", f"{lng:.6f}"
    start = today + timedelta(
        days=rng.randint(1, 30), minutes=rng.randrange(7 * 60, 20 * 60 + 1, 30)
    )
    end = start + timedelta(hours=rng.choice((1, 2, 4)))
    params["start"], params["end"] = start.isoformat(), end.isoformat()
    return params


def run(factory: RequestFactory, params: dict[str, str]) -> Sample:
    request = factory.get("/api/v1/search", params)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = search(request)
        ms = (time.perf_counter() - started) * 1000
    results = (
        len(json.loads(response.content).get("results", [])) if response.status_code == 200 else 0
    )
    return Sample(params, ms, captured.captured_queries, response.status_code, results)


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        return cursor.fetchone()[0]


def explain(sample: Sample) -> None:
    main = max(sample.queries, key=lambda q: float(q["time"]), default=None)
    if main is None:
        print("\nThe slowest search ran no SQL.")
        return
    print(f"\nSlowest search ({sample.ms:.1f} ms): {json.dumps(sample.params, ensure_ascii=False)}")
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + main["sql"])
        for row in cursor.fetchall():
            print("  " + " | ".join(str(col) for col in row))


def report(samples: list[Sample], providers: int) -> None:
    ms = sorted(s.ms for s in samples)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    queries = [len(s.queries) for s in samples]
    ok = [s for s in samples if s.status == 200]
    zero = sum(1 for s in ok if s.results == 0)
    met = p95 <= TARGET_P95_MS and max(queries) <= TARGET_QUERIES
    print(f"database     {connection.vendor}: {database_version()}")
    print(f"machine      {os.cpu_count()} CPUs")
    print(f"providers    {providers:,}")
    print(f"searches     {len(samples):,} (after {WARM_UP} warm-up)")
    print(f"latency ms   p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {ms[-1]:.1f}")
    print(f"queries      mean {statistics.fmean(queries):.2f}  max {max(queries)}")
    if ok:
        print(
            f"results      mean {statistics.fmean(s.results for s in ok):.1f}  "
            f"zero results {zero / len(ok):.1%}"
        )
    print(f"non-200      {len(samples) - len(ok)}")
    for s in [s for s in samples if s.status != 200][:5]:
        print(f"  {s.status}: {json.dumps(s.params, ensure_ascii=False)}")
    print(
        f"target       p95 ≤ {TARGET_P95_MS:.0f} ms, ≤ {TARGET_QUERIES} queries: "
        f"{'met' if met else 'NOT met'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42, help="seed of the data and the searches")
    parser.add_argument(
        "--reuse", action="store_true", help="keep seeded data if the count matches"
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest search")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway")
    args = parser.parse_args()
    if args.searches < 2:
        parser.error("--searches must be at least 2")

    if connection.vendor == "sqlite":
        if not args.allow_sqlite:
            print(
                "The target is PostgreSQL: set DATABASE_URL (or pass --allow-sqlite).",
                file=sys.stderr,
            )
            return 2
    elif connection.vendor == "postgresql":
        ensure_database()
    prepare(args.providers, args.seed, args.reuse)

    words, pincodes = search_space()
    rng = random.Random(args.seed)
    today = datetime.now(INDIA).replace(hour=0, minute=0, second=0, microsecond=0)
    factory = RequestFactory()
    for _ in range(WARM_UP):
        run(factory, random_params(rng, words, pincodes, today))
    samples = [
        run(factory, random_params(rng, words, pincodes, today)) for _ in range(args.searches)
    ]

    report(samples, Provider.objects.count())
    if args.explain:
        explain(max(samples, key=lambda s: s.ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
