"""Benchmark of the booking engine under contention: many clients racing for one calendar.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/booking_contention.py [--clients 200] [--seconds 30]

Runs in its own database on that server (--database, default sevamitra_booking_bench),
created if missing and migrated; bookings, blocks, outbox and jobs of an earlier run are wiped
and the bench's people recreated: 50 verified, auto-accepting providers in Lucknow, on duty
every day 06:00–22:00, and one customer per client. Each client is a thread with its own
database connection. Phase 1: every client tries the same 50 slots (one per provider, same
hour) in its own random order; exactly 50 must be confirmed. Phase 2: for --seconds, every
client calls `booking_create` for a random provider and a random half-hour-aligned 1-hour slot
in the next 14 days. Prints confirmed and refused per second, confirm latency percentiles,
errors other than SlotTaken (must be 0) and the overlapping blocks an independent SQL query
finds afterwards (must be 0). SQLite only with --allow-sqlite and a scratch DATABASE_URL.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from sevamitra.accounts.models import User  # noqa: E402
from sevamitra.bookings.errors import SlotTaken  # noqa: E402
from sevamitra.bookings.models import Booking, BookingStatus  # noqa: E402
from sevamitra.bookings.services import booking_create  # noqa: E402
from sevamitra.catalog.models import Category  # noqa: E402
from sevamitra.geo.models import District  # noqa: E402
from sevamitra.providers.models import CalendarBlock, Offer, Provider, WeeklyWindow  # noqa: E402

LUCKNOW = (26.8500, 80.9462)
PROVIDER_PHONE, CUSTOMER_PHONE = 7_000_000_000, 7_000_100_000  # bench users' phones: 7000…
CATEGORIES = ["electrician", "plumber", "carpenter", "house-cleaning", "laundry"]  # per visit
OPEN, CLOSE = 6 * 60, 22 * 60  # minutes of the day on duty
HOURS = {"start_minute": OPEN, "end_minute": CLOSE}
PRICE = {"price": Decimal(300), "visiting_charge": Decimal(50)}
SLOT, HORIZON_DAYS = timedelta(hours=1), 14
BOOKING = {"kind": "visit", "channel": "web", "address": "Bench Road, Lucknow", "pincode": "226001"}
OVERLAPS_SQL = """
    SELECT count(*) FROM providers_calendarblock a
    JOIN providers_calendarblock b
      ON a.provider_id = b.provider_id AND a.id < b.id
     AND a.starts_at < b.busy_until AND b.starts_at < a.busy_until
"""


@dataclass
class Tally:
    confirmed: int = 0
    refused: int = 0
    ms: list[float] = field(default_factory=list)  # latency of each confirmed booking
    errors: Counter[str] = field(default_factory=Counter)

    @classmethod
    def merged(cls, tallies: list["Tally"]) -> "Tally":
        return cls(
            sum(t.confirmed for t in tallies),
            sum(t.refused for t in tallies),
            [ms for t in tallies for ms in t.ms],
            sum((t.errors for t in tallies), Counter()),
        )


def ensure_database(name: str) -> None:
    """Create the PostgreSQL database `name` on DATABASE_URL's server when it is missing."""
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    server = {key.lower(): db.get(key) or None for key in ("HOST", "PORT", "USER", "PASSWORD")}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def free_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) "
            "FROM pg_stat_activity WHERE backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


def prepare(count: int, clients: int, rng: random.Random) -> None:
    """Wipe the calendars, bookings, outbox, jobs and audit trail (of this bench's own
    database: its entries name the bench's people, who are deleted next); recreate the
    providers and customers."""
    tables = [CalendarBlock._meta.db_table] + [
        model._meta.db_table
        for label in ("bookings", "notifications", "tasks", "audit")
        for model in apps.get_app_config(label).get_models()
    ]
    flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(flush)
    Provider.objects.filter(user__phone__startswith="7000").delete()
    User.objects.filter(phone__startswith="7000").delete()
    password = make_password(None)
    who = [(PROVIDER_PHONE, "provider", count), (CUSTOMER_PHONE, "customer", clients)]
    User.objects.bulk_create(
        User(phone=str(base + i), name=f"Bench {role} {i}", password=password)
        for base, role, n in who
        for i in range(n)
    )
    fields = {"district": District.objects.get(code="LUCKNOW"), "service_radius_km": 10}
    fields |= {"verification_status": "verified", "auto_accept": True, "name_hi": "बेंच"}
    categories = list(Category.objects.filter(slug__in=CATEGORIES))
    bench = User.objects.filter(phone__lt=str(CUSTOMER_PHONE), phone__startswith="7000")
    for i, user in enumerate(bench.order_by("phone")):
        lat, lng = (degrees + rng.uniform(-0.05, 0.05) for degrees in LUCKNOW)
        p = Provider.objects.create(
            user=user, name_latin=user.name, **fields, home_lat=lat, home_lng=lng
        )
        area = {"lat": lat, "lng": lng, "radius_km": p.service_radius_km}  # = the provider's
        Offer.objects.create(provider=p, category=categories[i % len(categories)], **PRICE, **area)
        WeeklyWindow.objects.bulk_create(
            WeeklyWindow(provider=p, weekday=d, **HOURS) for d in range(7)
        )


def at(day: int, minute: int) -> datetime:
    """Local time `minute` minutes after midnight, `day` days from today."""
    midnight = datetime.combine(timezone.localdate() + timedelta(days=day), datetime.min.time())
    return timezone.make_aware(midnight + timedelta(minutes=minute))


def attempt(tally: Tally, offer: Offer, customer: User, start: datetime) -> None:
    began = time.perf_counter()
    try:
        who = {"customer": customer, "acting_user": customer}
        placed = booking_create(offer=offer, start=start, end=start + SLOT, **who, **BOOKING)
    except SlotTaken:
        tally.refused += 1
    except Exception as exc:  # every other error is a finding
        tally.errors[f"{type(exc).__name__}: {str(exc).splitlines()[0]}"] += 1
    else:
        if placed.booking.status != BookingStatus.CONFIRMED:
            tally.errors[f"booking {placed.booking.status}, not confirmed"] += 1
        tally.confirmed += 1
        tally.ms.append((time.perf_counter() - began) * 1000)


Work = Callable[[Tally, list[Offer], User, random.Random], None]


def run_clients(clients: int, seed: int, work: Work) -> tuple[Tally, float]:
    """Run work() in `clients` threads, each on its own connection, released together."""
    started: list[float] = []
    barrier = threading.Barrier(clients, action=lambda: started.append(time.perf_counter()))
    tallies = [Tally() for _ in range(clients)]

    def client(i: int) -> None:
        try:
            offers = list(
                Offer.objects.filter(provider__user__phone__lt=str(CUSTOMER_PHONE))
                .select_related("provider", "category")
                .order_by("pk")
            )
            customer = User.objects.get(phone=str(CUSTOMER_PHONE + i))
            barrier.wait()
            work(tallies[i], offers, customer, random.Random(seed * 1000 + i))
        except Exception as exc:
            tallies[i].errors[f"client failed: {type(exc).__name__}: {exc}"] += 1
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Tally.merged(tallies), time.perf_counter() - (started or [time.perf_counter()])[0]


def same_slots(tally: Tally, offers: list[Offer], customer: User, rng: random.Random) -> None:
    for offer in rng.sample(offers, len(offers)):
        attempt(tally, offer, customer, at(2, 10 * 60))


def random_slots(seconds: float) -> Work:
    def work(tally: Tally, offers: list[Offer], customer: User, rng: random.Random) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start = at(rng.randrange(HORIZON_DAYS), rng.randrange(OPEN, CLOSE - 60 + 1, 30))
            if start > timezone.now() + timedelta(minutes=5):
                attempt(tally, rng.choice(offers), customer, start)

    return work


def percentiles(ms: list[float]) -> str:
    if len(ms) < 2:
        return "too few confirmed bookings"
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f}  p95 {cuts[94]:.1f}  p99 {cuts[98]:.1f}  max {max(ms):.1f}"


def print_errors(errors: Counter[str]) -> None:
    print(f"  errors       {sum(errors.values())} other than SlotTaken (must be 0)")
    for text, count in errors.most_common(5):
        print(f"    {count} × {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=50)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", default="sevamitra_booking_bench", help="PostgreSQL only")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway")
    args = parser.parse_args()

    if connection.vendor == "sqlite":
        if not args.allow_sqlite or "DATABASE_URL" not in os.environ:
            sys.exit("Set a PostgreSQL DATABASE_URL (SQLite: a scratch file and --allow-sqlite).")
    else:
        ensure_database(args.database)
        connection.settings_dict["NAME"] = args.database  # before the first connection
        if args.clients >= (free := free_connections()):
            sys.exit(f"{args.clients} clients, {free} free connections: lower --clients.")
    call_command("migrate", verbosity=0)
    prepare(args.providers, args.clients, random.Random(args.seed))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()

    first, first_s = run_clients(args.clients, args.seed, same_slots)
    second, second_s = run_clients(args.clients, args.seed, random_slots(args.seconds))
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        overlaps = cursor.fetchone()[0]
    in_db = Booking.objects.filter(status=BookingStatus.CONFIRMED).count()
    confirmed = first.confirmed + second.confirmed

    print(f"database       {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"machine        {os.cpu_count()} CPUs")
    print(f"providers      {args.providers}")
    print(f"clients        {args.clients} threads, one connection each")
    print(f"phase 1        the same {args.providers} slots, all tried by each client")
    print(f"  duration     {first_s:.1f} s")
    print(f"  confirmed    {first.confirmed} (must be {args.providers})")
    print(f"  refused      {first.refused}")
    print_errors(first.errors)
    print(f"phase 2        random 1-hour slots in the next {HORIZON_DAYS} days")
    print(f"  duration     {second_s:.1f} s")
    print(f"  confirmed/s  {second.confirmed / second_s:.1f}  ({second.confirmed})")
    print(f"  refused/s    {second.refused / second_s:.1f}  ({second.refused})")
    print(f"  confirm ms   {percentiles(second.ms)}")
    print_errors(second.errors)
    print(f"bookings       {in_db} confirmed in the database, {confirmed} reported to clients")
    print(f"overlaps       {overlaps} (independent SQL query; must be 0)")
    good = (first.confirmed, overlaps, in_db) == (args.providers, 0, confirmed)
    ok = good and not first.errors and not second.errors
    print(f"result         {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
