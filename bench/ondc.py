"""Benchmark of the ONDC seller node over real HTTP: a buyer app against a server and workers.

    .venv/bin/python bench/ondc.py [--providers 10000] [--searches 2000] [--flows 500]
                                   [--workers 4] [--clients 8] [--port 8111] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ondc.py

SQLite by default, in its own file (var/bench_ondc.sqlite3, never the development database);
PostgreSQL when DATABASE_URL is set, in its own database on that server (--database, default
sevamitra_ondc_bench, created when missing). Migrates and seeds --providers with `manage.py
seed` (kept with --reuse when the count matches), then starts, configured by environment with
fresh keys: the portal (`manage.py runserver --noreload`, a real server process on --port),
--workers `manage.py worker` processes, and in this process the buyer-app simulator of the
tests (sevamitra/ondc/tests/simulator.py: its registry stub answers the node's key lookups,
its receiver verifies our signature on every callback).

1. --searches signed searches, --clients at a time: a seeded provider's category (its ONDC
   code, or our slug where ONDC has none), a point within 2 km of that provider, a 1-hour slot
   2 to 20 days ahead.
2. --flows select → init → confirm, each for a provider that a search found free in its slot
   (more searches are made when phase 1 found too few), --clients at a time.

Prints, per action, p50/p95/max from the request sent to its callback received; our signature
verifications per second (`crypto.verify_authorization` in this process over --verify signed
bodies, and `auth.authenticate` with the registry key cache); the callbacks the simulator
verified; NACKs, error callbacks, and callbacks lost (an ACKed request whose callback did not
come within --timeout seconds: must be 0) and duplicated (must be 0).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_FILE = BASE_DIR / "var" / "bench_ondc.sqlite3"
LOG_DIR = BASE_DIR / "var" / "bench_ondc"
ACK = {"message": {"ack": {"status": "ACK"}}}
JITTER_KM = 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--flows", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4, help="`manage.py worker` processes")
    parser.add_argument("--clients", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--port", type=int, default=8111, help="port of the portal")
    parser.add_argument("--verify", type=int, default=2000, help="bodies verified in-process")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a callback"
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of the data and the requests")
    parser.add_argument(
        "--reuse", action="store_true", help="keep seeded data if the count matches"
    )
    parser.add_argument("--database", default="sevamitra_ondc_bench", help="PostgreSQL only")
    args = parser.parse_args()
    for name in ("providers", "searches", "workers", "clients", "verify"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.flows < 0:
        parser.error("--flows cannot be negative")
    return args


def database_url(args: argparse.Namespace) -> str:
    """The bench's own database: a scratch SQLite file, or --database on DATABASE_URL's server."""
    given = os.environ.get("DATABASE_URL", "")
    if not given:
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    if given.startswith("sqlite"):
        return given
    parts = urlsplit(given)
    return urlunsplit(parts._replace(path="/" + args.database))


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    if not port_free(ARGS.port):
        sys.exit(f"Port {ARGS.port} is in use: choose another with --port.")
    os.environ["DATABASE_URL"] = database_url(ARGS)

sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Before Django reads its settings: the node's keys and the simulator's registry (the server
# and the workers get the same values through their environment).
from sevamitra.ondc.tests.simulator import (  # noqa: E402
    BuyerSimulator,
    Callback,
    check_authorization,
    default_slot,
)

SIM = BuyerSimulator(server_url=f"http://127.0.0.1:{ARGS.port if ARGS else 8111}")
NODE_ENV = {
    name: ",".join(value) if isinstance(value, list) else str(value)
    for name, value in SIM.settings_values(base_url=SIM.server_url).items()
}
SIM.node_url = SIM.server_url + "/ondc"
SIM._register_node()  # the node's own record in the registry stub, at its real URL
# Searches from every seeded district: no city restriction on the node.
NODE_ENV["ONDC_CITY_CODES"] = ""
os.environ.update(NODE_ENV)

import django  # noqa: E402

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import DatabaseError, connection, connections  # noqa: E402

from sevamitra.geo.pincodes import nearest_pincode  # noqa: E402
from sevamitra.ondc import auth, crypto  # noqa: E402
from sevamitra.ondc.config import ondc_config  # noqa: E402
from sevamitra.providers.management.demo_generator import offset_point  # noqa: E402
from sevamitra.providers.models import (  # noqa: E402
    CalendarBlock,
    Offer,
    Provider,
    VerificationStatus,
)

# --- preparation ------------------------------------------------------------------------------


def ensure_database(name: str) -> None:
    """Create the PostgreSQL database `name` on DATABASE_URL's server when it is missing."""
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    server = {key.lower(): db.get(key) or None for key in ("HOST", "PORT", "USER", "PASSWORD")}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone() is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    except psycopg.Error as problem:
        raise DatabaseError(str(problem).strip()) from problem


def wipe_activity() -> None:
    """Bookings, calendar blocks, ONDC log and transactions, outbox, jobs and the audit trail
    (this bench's own database: its entries name people a reseed deletes) of earlier runs."""
    tables = [CalendarBlock._meta.db_table] + [
        model._meta.db_table
        for label in ("ondc", "bookings", "notifications", "tasks", "audit")
        for model in apps.get_app_config(label).get_models()
    ]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    )


def prepare(providers: int, seed: int, reuse: bool) -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    wipe_activity()
    existing = Provider.objects.count()
    if reuse and existing in (providers, providers + 1):  # seed adds one demo Sevamitra
        print(f"reusing {existing:,} seeded providers")
    else:
        call_command(
            "seed",
            providers=providers,
            seed=seed,
            reset=existing > 0,
            no_progress=not sys.stdout.isatty(),
        )
    cache.clear()  # keys cached by an earlier run belong to an earlier simulator
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()


@dataclass
class Processes:
    server: subprocess.Popen
    workers: list[subprocess.Popen]
    logs: list[Any] = field(default_factory=list)

    def all(self) -> list[subprocess.Popen]:
        return [self.server, *self.workers]

    def stop(self) -> None:
        for process in self.all():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in self.all():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self.logs:
            log.close()


def start_processes(port: int, workers: int) -> Processes:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **NODE_ENV,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NOTIFICATIONS_BACKEND": "sevamitra.notifications.backends.locmem.Backend",
        "SMS_BACKEND": "sevamitra.sms.backends.locmem.SmsBackend",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    logs = []

    def spawn(name: str, command: list[str]) -> subprocess.Popen:
        log = open(LOG_DIR / f"{name}.log", "w")  # noqa: SIM115 - closed by Processes.stop
        logs.append(log)
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            manage + command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )

    server = spawn("server", ["runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"])
    started = [spawn(f"worker-{i}", ["worker", "--sleep", "0.05"]) for i in range(workers)]
    processes = Processes(server, started, logs)
    import httpx

    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            processes.stop()
            sys.exit(f"The portal did not start: see {LOG_DIR / 'server.log'}.")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            processes.stop()
            sys.exit(f"The portal did not answer within 60 s: see {LOG_DIR / 'server.log'}.")
        time.sleep(0.2)
    return processes


# --- the buyer app's side ---------------------------------------------------------------------


class Inbox:
    """Callbacks by message id, as they arrive (the receiver's list, indexed in a thread)."""

    def __init__(self, sim: BuyerSimulator) -> None:
        self.receiver = sim.receiver
        self.by_message: dict[str, list[Callback]] = defaultdict(list)
        self.events: dict[str, threading.Event] = defaultdict(threading.Event)
        self.lock = threading.Lock()
        self.seen = 0
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping:
            with self.receiver.condition:
                self.receiver.condition.wait_for(
                    lambda: len(self.receiver.callbacks) > self.seen or self.stopping, timeout=0.5
                )
                new = self.receiver.callbacks[self.seen :]
                self.seen += len(new)
            with self.lock:
                for callback in new:
                    self.by_message[callback.message_id].append(callback)
                    self.events[callback.message_id].set()

    def wait(self, message_id: str, timeout: float) -> Callback | None:
        with self.lock:
            event = self.events[message_id]
        if not event.wait(timeout):
            return None
        with self.lock:
            return self.by_message[message_id][0]

    def stop(self) -> None:
        self.stopping = True
        with self.receiver.condition:
            self.receiver.condition.notify_all()
        self.thread.join()


@dataclass
class Outcome:
    action: str
    message_id: str
    status: int
    acked: bool
    ms: float | None = None  # request sent → callback received
    callback: Callback | None = None


_local = threading.local()


def http():  # type: ignore[no-untyped-def]
    import httpx

    if not hasattr(_local, "client"):
        _local.client = httpx.Client(timeout=60)
    return _local.client


def exchange(inbox: Inbox, action: str, body: dict[str, Any], timeout: float) -> Outcome:
    """POST a signed request and wait for its callback."""
    data = SIM.encode(body)
    headers = SIM.headers_for(data)
    message_id = body["context"]["message_id"]
    sent = time.time()
    response = http().post(f"{SIM.server_url}/ondc/{action}", content=data, headers=headers)
    try:
        acked = response.json() == ACK
    except ValueError:
        acked = False
    outcome = Outcome(action, message_id, response.status_code, acked)
    if acked:
        callback = inbox.wait(message_id, timeout)
        if callback is not None:
            outcome.callback = callback
            outcome.ms = (callback.received_at - sent) * 1000
    return outcome


@dataclass(frozen=True)
class Target:
    """A seeded offer, where to search for it and for when (a 1-hour slot `days` ahead)."""

    category: str
    gps: str
    area_code: str
    days: int
    hour: int


def targets(rng: random.Random, count: int) -> list[Target]:
    offers = list(
        Offer.objects.filter(
            is_active=True,
            category__is_active=True,
            provider__verification_status=VerificationStatus.VERIFIED,
        ).values_list(
            "category__ondc_category_code",
            "category__slug",
            "provider__home_lat",
            "provider__home_lng",
        )
    )
    if not offers:
        sys.exit("No verified provider with an active offer: seed the database first.")
    chosen = []
    for code, slug, lat, lng in (rng.choice(offers) for _ in range(count)):
        distance, bearing = JITTER_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat, lng = offset_point(lat, lng, distance, bearing)
        pincode = nearest_pincode(lat, lng) or ""
        when = rng.randint(2, 20), rng.randint(9, 17)
        chosen.append(Target(code or slug, f"{lat:.6f},{lng:.6f}", pincode, *when))
    return chosen


def search_body(target: Target) -> dict[str, Any]:
    """Built when sent: the context's timestamp is checked against its ttl."""
    start, end = default_slot(days=target.days, hour=target.hour)
    return SIM.search_body(
        category=target.category, gps=target.gps, area_code=target.area_code, start=start, end=end
    )


def searcher(
    inbox: Inbox, target: Target, timeout: float
) -> Callable[[], tuple[dict[str, Any], Outcome]]:
    def search() -> tuple[dict[str, Any], Outcome]:
        body = search_body(target)
        return body, exchange(inbox, "search", body, timeout)

    return search


@dataclass(frozen=True)
class Candidate:
    """A provider an on_search found free in the searched slot."""

    provider_id: str
    item_id: str
    start: Any
    end: Any
    gps: str
    area_code: str


def candidates(outcomes: list[tuple[dict[str, Any], Outcome]]) -> list[Candidate]:
    found = []
    for body, outcome in outcomes:
        callback = outcome.callback
        if callback is None or callback.error or not callback.message:
            continue
        providers = callback.message.get("catalog", {}).get("providers", [])
        stop = body["message"]["intent"]["fulfillment"]["stops"][0]
        start, end = stop["time"]["range"]["start"], stop["time"]["range"]["end"]
        for provider in providers:
            for item in provider.get("items", []):
                found.append(
                    Candidate(
                        provider["id"],
                        item["id"],
                        start,
                        end,
                        stop["location"]["gps"],
                        stop["location"]["area_code"],
                    )
                )
    return found


def flow(inbox: Inbox, candidate: Candidate, timeout: float) -> list[Outcome]:
    """select → init → confirm for one candidate; stops at the first failure."""
    from datetime import datetime

    start = datetime.fromisoformat(candidate.start.replace("Z", "+00:00"))
    end = datetime.fromisoformat(candidate.end.replace("Z", "+00:00"))
    where = {
        "provider_id": candidate.provider_id,
        "item_id": candidate.item_id,
        "start": start,
        "end": end,
        "gps": candidate.gps,
        "area_code": candidate.area_code,
    }
    txn = SIM.context("select")["transaction_id"]
    outcomes = [exchange(inbox, "select", SIM.select_body(**where, transaction_id=txn), timeout)]
    if not ok(outcomes[-1]):
        return outcomes
    outcomes.append(exchange(inbox, "init", SIM.init_body(**where, transaction_id=txn), timeout))
    if not ok(outcomes[-1]):
        return outcomes
    quote = outcomes[-1].callback.message["order"]["quote"]  # type: ignore[union-attr]
    body = SIM.confirm_body(**where, quote=quote, transaction_id=txn)
    outcomes.append(exchange(inbox, "confirm", body, timeout))
    return outcomes


def ok(outcome: Outcome) -> bool:
    return outcome.callback is not None and not outcome.callback.error


def run_all(clients: int, jobs: list[Callable[[], Any]]) -> tuple[list[Any], float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    return results, time.perf_counter() - started


# --- signatures -------------------------------------------------------------------------------


def verification_rates(count: int, rng: random.Random) -> tuple[float, float]:
    """(pure Ed25519 + BLAKE2b verifications per second, full auth.authenticate per second)."""
    target = targets(rng, 1)[0]
    bodies = [SIM.encode(search_body(target)) for _ in range(count)]
    signed = [(body, SIM.headers_for(body)) for body in bodies]
    verify_key = SIM.buyer_key.verify_key
    started = time.perf_counter()
    for body, headers in signed:
        crypto.verify_authorization(
            headers["Authorization"], body, public_key_lookup=lambda *_: verify_key
        )
    pure = count / (time.perf_counter() - started)
    config = ondc_config()
    auth.authenticate(signed[0][1], signed[0][0], config=config)  # the key into the cache
    started = time.perf_counter()
    for body, headers in signed:
        auth.authenticate(headers, body, config=config)
    full = count / (time.perf_counter() - started)
    return pure, full


# --- report -----------------------------------------------------------------------------------


def percentiles(ms: list[float]) -> str:
    if len(ms) < 2:
        return f"{len(ms)} callback(s): too few for percentiles"
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:7.1f}  p95 {cuts[94]:7.1f}  max {max(ms):7.1f}"


def report_phase(name: str, outcomes: list[Outcome], seconds: float) -> None:
    by_action: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_action[outcome.action].append(outcome)
    print(f"{name}: {len(outcomes)} requests in {seconds:.1f} s ({len(outcomes) / seconds:.1f}/s)")
    for action, group in by_action.items():
        ms = [o.ms for o in group if o.ms is not None]
        print(f"  {action:<8} ms to callback  {percentiles(ms)}  ({len(ms)} callbacks)")
        nacks = Counter(o.status for o in group if not o.acked)
        errors = Counter(
            o.callback.error.get("code") for o in group if o.callback and o.callback.error
        )
        if nacks:
            print(f"  {action:<8} not ACKed     {dict(nacks)} (HTTP status: count)")
        if errors:
            print(f"  {action:<8} error callbacks {dict(errors)} (code: count)")


def main() -> int:
    args = ARGS
    assert args is not None
    rng = random.Random(args.seed)
    try:
        if connection.vendor == "postgresql":
            ensure_database(args.database)
        prepare(args.providers, args.seed, args.reuse)
    except (DatabaseError, ImportError) as problem:
        where = settings.DATABASES["default"]["NAME"]
        print(f"Cannot prepare the database {where}: {problem}", file=sys.stderr)
        return 2
    SIM.start()
    inbox = Inbox(SIM)
    processes = start_processes(args.port, args.workers)
    try:
        # Phase 1: searches.
        timeout = args.timeout
        searched, search_s = run_all(
            args.clients, [searcher(inbox, t, timeout) for t in targets(rng, args.searches)]
        )
        # Phase 2: flows, each on a provider found free, none twice.
        pool = candidates(searched)
        extra: list[tuple[dict[str, Any], Outcome]] = []
        while len({c.provider_id for c in pool}) < args.flows and len(extra) < 10 * args.flows:
            more = targets(rng, args.clients * 4)
            found, _s = run_all(args.clients, [searcher(inbox, t, timeout) for t in more])
            extra += found
            pool += candidates(found)
        rng.shuffle(pool)
        chosen, used = [], set()
        for candidate in pool:
            if candidate.provider_id not in used and len(chosen) < args.flows:
                used.add(candidate.provider_id)
                chosen.append(candidate)
        flows, flow_s = run_all(args.clients, [lambda c=c: flow(inbox, c, timeout) for c in chosen])
        time.sleep(1)  # a late duplicate would arrive now
        processes.stop()
        # In this process, with the machine quiet (the registry stub still answers lookups).
        pure, full = verification_rates(args.verify, rng)
    finally:
        processes.stop()
        inbox.stop()
        SIM.stop()

    searches = [outcome for _body, outcome in searched]
    flow_outcomes = [o for steps in flows for o in steps]
    everything = searches + [o for _b, o in extra] + flow_outcomes
    acked = [o for o in everything if o.acked]
    lost = [o for o in acked if o.callback is None]
    received = SIM.receiver.callbacks
    asked = {o.message_id for o in acked}
    answered = Counter(c.message_id for c in received if c.message_id in asked)
    duplicated = sum(n - 1 for n in answered.values() if n > 1)
    bad = [c for c in received if not c.signature_ok]
    key_id = f"{NODE_ENV['ONDC_SUBSCRIBER_ID']}|{NODE_ENV['ONDC_UNIQUE_KEY_ID']}|ed25519"
    recheck = time.perf_counter()
    rechecked = [
        check_authorization(
            c.headers.get("Authorization", ""),
            c.body,
            key_id=key_id,
            public_key=SIM.node_key.verify_key,
            skew=10**9,  # verified on arrival; here only the speed is measured
        )[0]
        for c in received
    ]
    recheck_s = time.perf_counter() - recheck
    bad += [c for c, fine in zip(received, rechecked, strict=True) if not fine and c not in bad]
    completed = sum(1 for steps in flows if len(steps) == 3 and ok(steps[-1]))
    hits = [len(o.callback.message["catalog"]["providers"]) for o in searches if ok(o)]

    print(f"database     {connection.vendor} {settings.DATABASES['default']['NAME']}")
    print(f"machine      {os.cpu_count()} CPUs")
    print(f"providers    {Provider.objects.count():,}")
    print(f"portal       runserver (threaded) on port {args.port}, {args.workers} worker processes")
    print(f"clients      {args.clients} requests in flight at once")
    report_phase("searches", searches, search_s)
    if hits:
        print(
            f"  providers per on_search: mean {statistics.fmean(hits):.1f}, "
            f"empty {sum(1 for h in hits if not h) / len(hits):.0%}"
        )
    if extra:
        print(f"  (+{len(extra)} more searches to find {args.flows} free providers)")
    report_phase("flows", flow_outcomes, flow_s)
    whole = [
        sum(o.ms for o in steps if o.ms is not None)
        for steps in flows
        if len(steps) == 3 and ok(steps[-1])
    ]
    print(f"  whole flow ms (three callbacks)  {percentiles(whole)}")
    print(f"  flows completed (on_confirm without error): {completed} of {len(chosen)}")
    print(
        f"signatures   ours, verified in-process: {pure:,.0f}/s pure (Ed25519 + BLAKE2b), "
        f"{full:,.0f}/s with the registry key cache ({args.verify} bodies)"
    )
    print(
        f"             callbacks verified by the simulator: {len(received) - len(bad)} of "
        f"{len(received)} valid ({len(received) / recheck_s:,.0f}/s when re-verified)"
    )
    print(f"callbacks    lost {len(lost)} (must be 0), duplicated {duplicated} (must be 0)")
    for outcome in lost[:5]:
        print(f"  lost: {outcome.action} {outcome.message_id}")
    print(f"logs         {LOG_DIR}/")
    good = not lost and not duplicated and not bad
    print(f"result       {'OK' if good else 'FAILED'}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
