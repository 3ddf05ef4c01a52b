"""Benchmark of the public outcome figures (/figures/): compute time cold and warm.

    .venv/bin/python bench/figures.py [--providers 5000] [--bookings 100000] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/figures.py

Runs in a database of its own: on SQLite the file var/bench_figures.sqlite3, on PostgreSQL the
database --database (default sevamitra_figures_bench) on DATABASE_URL's server, created if
missing. It is migrated and filled (bulk inserts, seeded random numbers) with a realistic
dataset over the state's 75 districts: --providers Sevamitras (1–2 services each, registered
over two years, 80% verified), --bookings bookings over the last 13 months (70% completed,
each with its history events), --calls call-centre calls, complaints on 2% of the bookings,
--orders government orders with their invoices and payments. --reuse keeps a database whose
counts already match.

Then, with the cache emptied: the default view (no filter, the last 12 months) computed cold
(`figures_get` on an empty cache: compute + store) and warm (`figures_get` again: the cache
only); the whole page (/figures/) and the two downloads warm through the Django test client,
with their SQL query counts; and cold computes of one-dimension filters (a district, a
service, a gender, one month). The cache is the configured one (Redis when REDIS_URL is set,
else the database table).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import time as dt_time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")  # pages render without collectstatic

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from sevamitra.accounts.models import User  # noqa: E402
from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus  # noqa: E402
from sevamitra.callcentre.models import Call  # noqa: E402
from sevamitra.catalog.models import Category  # noqa: E402
from sevamitra.figures import selectors  # noqa: E402
from sevamitra.figures.selectors import FigureFilter  # noqa: E402
from sevamitra.geo.models import District  # noqa: E402
from sevamitra.geo.pincodes import district_pincodes  # noqa: E402
from sevamitra.grievances.models import Complaint  # noqa: E402
from sevamitra.invoicing.models import GovPayment, Invoice  # noqa: E402
from sevamitra.procurement.models import (  # noqa: E402
    Department,
    Office,
    Requisition,
    RequisitionProvider,
)
from sevamitra.providers.models import Offer, Provider  # noqa: E402

S = BookingStatus
BATCH = 5000
UNUSABLE = "!"  # an unusable password hash: nobody signs in as these people
GENDERS = (["female"] * 40) + (["male"] * 52) + (["other"] * 2) + (["undisclosed"] * 6)
STATUSES = ["verified"] * 80 + ["pending"] * 12 + ["suspended"] * 4 + ["rejected"] * 4
# Booking outcomes (status, cancelled by) with their weights in 100.
OUTCOMES = (
    [(S.COMPLETED, "")] * 45
    + [(S.RATED, "")] * 25
    + [(S.CANCELLED, "customer")] * 8
    + [(S.CANCELLED, "provider")] * 3
    + [(S.CANCELLED, "system")] * 2
    + [(S.NO_SHOW, "")] * 2
    + [(S.DECLINED, "")] * 3
    + [(S.CONFIRMED, "")] * 7
    + [(S.REQUESTED, "")] * 5
)


# --- The database ----------------------------------------------------------------------------


ADMIN_DATABASE = settings.DATABASES["default"]["NAME"]  # the one DATABASE_URL names


def sqlite_file() -> Path:
    return Path(settings.BASE_DIR) / "var" / "bench_figures.sqlite3"


def use_database(name: str, *, fresh: bool) -> None:
    """Point the default connection at the benchmark's own database, created (again, empty,
    with `fresh`) when needed, and migrate it."""
    connections.close_all()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["NAME"] = ADMIN_DATABASE
        connections["default"].settings_dict["NAME"] = ADMIN_DATABASE
        with connection.cursor() as cursor:
            if fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        connections.close_all()
    else:
        name = str(sqlite_file())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def counts() -> dict[str, int]:
    return {
        "providers": Provider.objects.count(),
        "bookings": Booking.objects.count(),
        "calls": Call.objects.count(),
    }


# --- Filling ---------------------------------------------------------------------------------


def bulk(model, objects) -> list:
    made = []
    for start in range(0, len(objects), BATCH):
        made += model.objects.bulk_create(objects[start : start + BATCH])
    return made


def fill(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    now = timezone.now()
    days = 400
    districts = list(District.objects.all())
    categories = list(Category.objects.filter(is_active=True))
    pincodes = {d.code: district_pincodes(d.code)[:40] for d in districts}
    started = time.monotonic()

    people = args.providers + args.customers + 10
    users = bulk(
        User,
        [
            User(phone=f"{6000000000 + i}", name=f"Person {i}", password=UNUSABLE)
            for i in range(people)
        ],
    )
    workers, customers, staff = (
        users[: args.providers],
        users[args.providers : args.providers + args.customers],
        users[-10:],
    )
    providers = bulk(
        Provider,
        [
            Provider(
                user=user,
                name_hi="सेवामित्र",
                name_latin="Sevamitra",
                gender=rng.choice(GENDERS),
                district=rng.choice(districts),
                home_lat=26.85,
                home_lng=80.95,
                verification_status=rng.choice(STATUSES),
                created_at=now - timedelta(days=rng.uniform(0, 730)),
            )
            for user in workers
        ],
    )
    offers = []
    offered: dict[int, list[Category]] = {}
    for provider in providers:
        chosen = rng.sample(categories, rng.choice((1, 1, 1, 2)))
        offered[provider.pk] = chosen
        offers += [
            Offer(provider=provider, category=c, price=Decimal(300), lat=26.85, lng=80.95)
            for c in chosen
        ]
    bulk(Offer, offers)
    print(f"  {len(providers):,} Sevamitras, {len(offers):,} offers")

    bookings, outcomes = [], []
    for _ in range(args.bookings):
        provider = rng.choice(providers)
        customer = rng.choice(customers)
        starts = now - timedelta(days=rng.uniform(-10, days), minutes=rng.randrange(0, 1440))
        status, by = rng.choice(OUTCOMES)
        outcomes.append(status)
        bookings.append(
            Booking(
                customer=customer,
                provider=provider,
                category=rng.choice(offered[provider.pk]),
                kind="visit",
                channel=rng.choice(("web", "web", "phone", "ondc", "government")),
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                status=status,
                address="-",
                quote={},
                total=Decimal(rng.randrange(200, 3000)),
                terms={},
                created_by=customer,
                created_at=starts - timedelta(days=2),
                cancelled_by=by,
            )
        )
    bookings = bulk(Booking, bookings)
    events = []
    for booking in bookings:
        events.append(
            BookingEvent(
                booking=booking, action="created", to_status=S.REQUESTED, at=booking.created_at
            )
        )
        if booking.status in (S.COMPLETED, S.RATED):
            events += [
                BookingEvent(
                    booking=booking,
                    action="accepted",
                    from_status=S.REQUESTED,
                    to_status=S.CONFIRMED,
                    at=booking.created_at + timedelta(minutes=20),
                ),
                BookingEvent(
                    booking=booking,
                    action="completed",
                    from_status=S.IN_PROGRESS,
                    to_status=S.COMPLETED,
                    at=booking.ends_at,
                ),
            ]
    bulk(BookingEvent, events)
    print(f"  {len(bookings):,} bookings, {len(events):,} booking events")

    calls = []
    for i in range(args.calls):
        started_at = now - timedelta(days=rng.uniform(0, days))
        district = rng.choice(districts)
        booked = rng.random() < 0.4
        calls.append(
            Call(
                agent=staff[i % 10],
                phone=f"9{rng.randrange(10**8, 10**9)}",
                category=rng.choice(categories) if rng.random() < 0.9 else None,
                pincode=rng.choice(pincodes[district.code] or [""]),
                outcome="booked" if booked else rng.choice(("enquiry", "no_provider", "changed")),
                booking=rng.choice(bookings) if booked else None,
                started_at=started_at,
                ended_at=started_at + timedelta(minutes=4),
            )
        )
    bulk(Call, calls)

    complaints = []
    for booking in rng.sample(bookings, len(bookings) // 50):
        filed = booking.ends_at + timedelta(hours=rng.uniform(1, 48))
        resolved = filed + timedelta(days=rng.uniform(0.2, 20)) if rng.random() < 0.8 else None
        if resolved and resolved > now:
            resolved = None
        complaints.append(
            Complaint(
                booking=booking,
                customer=booking.customer,
                provider=booking.provider,
                type=rng.choice(("quality", "behaviour", "overcharge", "no_show")),
                text="-",
                status="resolved" if resolved else "open",
                filed_at=filed,
                due_at=filed + timedelta(days=10),
                response_due_at=filed + timedelta(days=3),
                outcome="dismissed" if resolved else "",
                decided_by=staff[0] if resolved else None,
                resolved_at=resolved,
            )
        )
    bulk(Complaint, complaints)
    print(f"  {len(calls):,} calls, {len(complaints):,} complaints")

    department = Department.objects.create(code="bench", name_en="Bench", name_hi="बेंच")
    offices = bulk(
        Office,
        [
            Office(
                department=department,
                code=f"office-{d.pk}",
                name_en=d.name_en,
                name_hi=d.name_hi,
                district=d,
                address="-",
                pincode="226001",
                ddo_code=f"DDO{d.pk}",
            )
            for d in districts
        ],
    )
    orders, chosen, invoices, payments = [], [], [], []
    for _ in range(args.orders):
        booked_at = now - timedelta(days=rng.uniform(0, days))
        accepted = (booked_at + timedelta(days=rng.uniform(5, 20))).date()
        accepted = accepted if accepted <= now.date() else None
        orders.append(
            Requisition(
                office=rng.choice(offices),
                category=rng.choice(categories),
                place_address="-",
                place_pincode="226001",
                lat=26.85,
                lng=80.95,
                starts_on=booked_at.date() + timedelta(days=2),
                ends_on=booked_at.date() + timedelta(days=4),
                start_time=dt_time(10, 0),
                end_time=dt_time(17, 0),
                workers=1,
                purpose="-",
                status="accepted" if accepted else "booked",
                created_by=staff[1],
                booked_at=booked_at,
                accepted_on=accepted,
                acceptance_kind="certified" if accepted else "",
            )
        )
    orders = bulk(Requisition, orders)
    offer_of = {(o.provider_id, o.category_id): o for o in Offer.objects.all()}
    for order in orders:
        for provider in rng.sample(providers, rng.randint(1, 3)):
            offer = offer_of.get((provider.pk, order.category_id)) or next(
                o for (p, _c), o in offer_of.items() if p == provider.pk
            )
            chosen.append(
                RequisitionProvider(
                    requisition=order,
                    provider=provider,
                    offer=offer,
                    unit_price=Decimal(300),
                    estimated_value=Decimal(900),
                )
            )
            if order.accepted_on:
                invoices.append(
                    Invoice(
                        provider=provider,
                        requisition=order,
                        financial_year="2025-26",
                        number=len(invoices) + 1,
                        kind="bill_of_supply",
                        place_of_supply="09",
                        gst_rate_percent=Decimal(0),
                        lines=[],
                        taxable_value=Decimal(900),
                        cgst=0,
                        sgst=0,
                        igst=0,
                        total=Decimal(900),
                        words_en="-",
                        words_hi="-",
                        due_on=order.accepted_on + timedelta(days=30),
                        issued_by=staff[2],
                    )
                )
    bulk(RequisitionProvider, chosen)
    invoices = bulk(Invoice, invoices)
    for invoice in invoices:
        paid_on = invoice.requisition.accepted_on + timedelta(days=rng.randint(3, 60))
        if paid_on <= now.date() and rng.random() < 0.85:
            payments.append(
                GovPayment(
                    invoice=invoice,
                    reference="PFMS",
                    paid_on=paid_on,
                    amount=invoice.total,
                    recorded_by=staff[3],
                )
            )
    bulk(GovPayment, payments)
    print(
        f"  {len(orders):,} government orders, {len(invoices):,} invoices, "
        f"{len(payments):,} payments"
    )
    print(f"filled in {time.monotonic() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Measuring -------------------------------------------------------------------------------


def timed(function, repeat: int = 1) -> tuple[float, object, int]:
    """(median ms, the last result, SQL queries of one run)."""
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), result, queries


def measure() -> None:
    cache.clear()
    base = selectors.default_filter()
    cold_ms, figures, cold_queries = timed(lambda: selectors.figures_get(base))
    warm_ms, _figures, warm_queries = timed(lambda: selectors.figures_get(base), repeat=20)
    print(f"default view (no filter, {len(base.months)} months):")
    print(f"  cold  figures_get: {cold_ms:8.1f} ms, {cold_queries} SQL queries")
    print(f"  warm  figures_get: {warm_ms:8.1f} ms, {warm_queries} SQL queries (cache read)")
    total = figures.total.cells
    print(
        f"  registered {total['registered'].value}, verified {total['verified'].value}, "
        f"earned in 30 days {total['earned_30d'].value} "
        f"(median ₹{total['median_earnings_30d'].value}), "
        f"bookings completed {total['bookings_completed'].value}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    for url in (
        "/figures/",
        "/figures/?by=district",
        "/figures/figures.csv",
        "/figures/figures.json",
    ):
        client.get(url)  # labels and figures cached
        ms, response, queries = timed(lambda url=url: client.get(url), repeat=10)
        size = len(response.content)
        print(
            f"  warm  GET {url:<24} {ms:8.1f} ms, {queries} SQL queries, "
            f"{response.status_code}, {size:,} bytes"
        )
    labels = selectors.labels_get()
    district = max(
        labels.districts, key=lambda d: Provider.objects.filter(district_id=d.pk).count()
    )
    first, last = base.first_month, base.last_month
    for name, flt in (
        (f"district {district.code}", FigureFilter(first, last, district=district.code)),
        ("service electrician", FigureFilter(first, last, category="electrician")),
        ("gender female", FigureFilter(first, last, gender="female")),
        ("one month", FigureFilter(last, last)),
    ):
        ms, _result, queries = timed(lambda flt=flt: selectors.figures_compute(flt), repeat=3)
        print(f"  cold  figures_compute, {name:<22} {ms:8.1f} ms, {queries} SQL queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=30_000)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--database", default="sevamitra_figures_bench")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    wanted = {"providers": args.providers, "bookings": args.bookings, "calls": args.calls}
    use_database(args.database, fresh=False)
    if args.reuse and counts() == wanted:
        print(f"reusing {wanted}")
    else:
        use_database(args.database, fresh=True)
        print("filling…")
        with transaction.atomic():
            fill(args)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    print(f"cache: {settings.CACHES['default']['BACKEND']}")
    measure()


if __name__ == "__main__":
    main()
