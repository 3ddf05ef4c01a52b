"""Races on one provider's calendar with real threads, each on its own database connection.

The threads are released together by a barrier. Whoever loses must get SlotTaken (a 409),
never another error, and an independent SQL query must find no two overlapping blocks.
On SQLite the writers queue on BEGIN IMMEDIATE; on PostgreSQL the exclusion constraint
decides. Run on both (see .ci/run).
"""

import datetime as dt
import importlib
import threading
from collections.abc import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import services
from sevamitra.bookings.errors import SlotTaken
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.tests.conftest import at
from sevamitra.providers.models import BlockKind, CalendarBlock, Offer

pytestmark = pytest.mark.django_db(transaction=True)
seed_categories = importlib.import_module(
    "sevamitra.catalog.migrations.0002_seed_categories"
).seed_categories

THREADS = 12
JOIN_SECONDS = 120  # well above SQLite's 20 s busy timeout

OVERLAPS_SQL = """
    SELECT a.id, b.id FROM providers_calendarblock a
    JOIN providers_calendarblock b
      ON a.provider_id = b.provider_id AND a.id < b.id
     AND a.starts_at < b.busy_until AND b.starts_at < a.busy_until
"""


@pytest.fixture(autouse=True)
def categories(transactional_db):
    """Transactional tests end with a flush that also empties the categories of the data
    migration (serialized_rollback clashes with re-created content types): seed them again."""
    seed_categories(apps, None)


def overlapping_blocks() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        return list(cursor.fetchall())


def race(count: int, prepare: Callable[[int], Callable[[], object]]) -> list[object]:
    """Run prepare(i) in thread i, then all the returned calls at once; return each call's
    result or the exception it raised."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            go = prepare(i)
            barrier.wait(timeout=30)
            outcomes[i] = go()
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def unexpected(outcomes: list[object]) -> list[BaseException]:
    """Exceptions other than SlotTaken (a database error would be a 500)."""
    return [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, SlotTaken)]


def place(
    kind: str, offer_id: int, customer_id: int, start: dt.datetime, end: dt.datetime
) -> Callable[[], object]:
    """Load fresh objects on this thread's connection; return the call that books or holds."""
    offer = Offer.objects.select_related("provider", "category").get(pk=offer_id)
    customer = User.objects.get(pk=customer_id)
    if kind == "hold":
        return lambda: services.hold_place(
            offer=offer, customer=customer, start=start, end=end, acting_user=customer
        )
    return lambda: services.booking_create(
        offer=offer,
        customer=customer,
        start=start,
        end=end,
        kind="visit",
        channel="web",
        address="12, Hazratganj, Lucknow",
        pincode="226001",
        acting_user=customer,
    )


@pytest.mark.parametrize("kind", ["booking", "hold"])
def test_many_customers_race_for_one_slot_and_exactly_one_wins(electrician, day, kind):
    customers = [UserFactory().pk for _ in range(THREADS)]
    start, end = at(day, "10:00"), at(day, "11:00")

    outcomes = race(THREADS, lambda i: place(kind, electrician.pk, customers[i], start, end))

    assert unexpected(outcomes) == []
    refused = [o for o in outcomes if isinstance(o, SlotTaken)]
    assert len(refused) == THREADS - 1
    assert {(e.code, e.status) for e in refused} == {("slot_taken", 409)}
    blocks = list(CalendarBlock.objects.values_list("kind", "starts_at", "ends_at"))
    assert blocks == [(kind, start, end)]
    if kind == "booking":
        winner = next(o for o in outcomes if isinstance(o, services.Placed)).booking
        assert list(Booking.objects.values_list("pk", "status")) == [
            (winner.pk, BookingStatus.CONFIRMED)
        ]
    else:
        assert Booking.objects.count() == 0
    assert overlapping_blocks() == []


# Start, end: each overlaps its neighbours once the 30-minute travel buffer is counted.
OVERLAPPING_SLOTS = [
    ("10:00", "11:00"),
    ("10:30", "11:30"),
    ("11:15", "12:00"),
    ("09:30", "10:15"),
    ("11:45", "12:30"),
    ("12:15", "13:00"),
    ("09:00", "10:30"),
    ("12:45", "13:15"),
    ("13:30", "14:00"),
    ("10:15", "10:45"),
    ("11:00", "12:15"),
    ("13:00", "14:30"),
]


@pytest.mark.parametrize("kind", ["booking", "hold"])
def test_overlapping_slots_race_and_the_winners_never_overlap(electrician, day, kind):
    customers = [UserFactory().pk for _ in range(THREADS)]
    slots = [(at(day, a), at(day, b)) for a, b in OVERLAPPING_SLOTS]

    outcomes = race(THREADS, lambda i: place(kind, electrician.pk, customers[i], *slots[i]))

    assert unexpected(outcomes) == []
    won = [
        slot for slot, o in zip(slots, outcomes, strict=True) if not isinstance(o, BaseException)
    ]
    lost = [slot for slot, o in zip(slots, outcomes, strict=True) if isinstance(o, SlotTaken)]
    assert len(won) + len(lost) == THREADS and won
    assert sorted(CalendarBlock.objects.values_list("starts_at", "ends_at")) == sorted(won)
    assert Booking.objects.count() == (len(won) if kind == "booking" else 0)
    assert overlapping_blocks() == []
    # Every refusal was deserved: the lost slot collides with a winner (buffer included).
    buffer = dt.timedelta(minutes=electrician.provider.travel_buffer_minutes)
    for start, end in lost:
        assert any(s < end + buffer and start < e + buffer for s, e in won), (start, end)


def test_an_expired_hold_is_replaced_by_exactly_one_racing_booking(electrician, customer, day):
    long_ago = timezone.now() - dt.timedelta(minutes=settings.BOOKING_HOLD_MINUTES + 1)
    start, end = at(day, "10:00"), at(day, "11:00")
    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=start,
        end=end,
        acting_user=customer,
        now=long_ago,
    )
    assert hold.expires_at < timezone.now()
    customers = [UserFactory().pk for _ in range(THREADS)]

    outcomes = race(THREADS, lambda i: place("booking", electrician.pk, customers[i], start, end))

    assert unexpected(outcomes) == []
    assert sum(isinstance(o, SlotTaken) for o in outcomes) == THREADS - 1
    winner = next(o for o in outcomes if isinstance(o, services.Placed)).booking
    assert not CalendarBlock.objects.filter(pk=hold.pk).exists()
    assert list(CalendarBlock.objects.values_list("pk", "kind")) == [
        (winner.block_id, BlockKind.BOOKING)
    ]
    assert list(Booking.objects.values_list("pk", "customer_id")) == [
        (winner.pk, winner.customer_id)
    ]
    assert overlapping_blocks() == []


# --- every writer of one calendar at once: the audit trail's lock must not deadlock them -------


def _visit(offer: Offer, customer: User, start: dt.datetime, hours: int = 1) -> int:
    return services.booking_create(
        offer=offer,
        customer=customer,
        start=start,
        end=start + dt.timedelta(hours=hours),
        kind="visit",
        channel="web",
        address="12, Hazratganj, Lucknow",
        acting_user=customer,
    ).booking.pk


def test_every_kind_of_writer_on_one_calendar_at_once(electrician, day):
    """The audit append holds a lock until commit: a service that waited for a row lock after
    it would deadlock with one that holds the row and waits for the audit lock (PostgreSQL
    then aborts one: "deadlock detected", a 500). Here, on one calendar at once, the
    Sevamitra cancels (counted against their row), customers cancel, leave is marked on
    another day, an agent registers a new caller and books through the API, and customers
    race for one slot: everything but the lost races succeeds, with its audit entries, in one
    unbroken chain."""
    import json

    from django.db.models import Max
    from django.test import Client

    from sevamitra.accounts.models import Role
    from sevamitra.accounts.tests.factories import user_with_roles
    from sevamitra.audit.models import AuditEntry
    from sevamitra.audit.selectors import chain_verify
    from sevamitra.bookings.models import CancelledBy
    from sevamitra.bookings.substitutes import provider_leave_mark

    worker_id = electrician.provider.user_id
    customers = [UserFactory() for _ in range(THREADS)]
    leave_day, race_day = day + dt.timedelta(days=1), day + dt.timedelta(days=2)
    # Six visits two hours apart to cancel, three on the day of the leave.
    to_cancel = [
        _visit(electrician, customers[i], at(day, f"{8 + 2 * i:02d}:00")) for i in range(6)
    ]
    on_leave = [
        _visit(electrician, customers[i], at(leave_day, f"{8 + 2 * i:02d}:00")) for i in range(3)
    ]
    agent = user_with_roles(Role.AGENT)
    mark = AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0

    def prepare(i: int) -> Callable[[], object]:
        if i < 6:  # 0-2: the Sevamitra cancels; 3-5: the customer does
            booking = Booking.objects.get(pk=to_cancel[i])
            by = CancelledBy.PROVIDER if i < 3 else CancelledBy.CUSTOMER
            actor = User.objects.get(pk=worker_id if i < 3 else booking.customer_id)
            return lambda: services.booking_cancel(
                booking=booking, by=by, reason="Cannot", acting_user=actor
            )
        if i == 6:
            provider = Offer.objects.get(pk=electrician.pk).provider
            worker = User.objects.get(pk=worker_id)
            return lambda: provider_leave_mark(
                provider=provider,
                starts_on=leave_day,
                ends_on=leave_day,
                reason="",
                acting_user=worker,
            )
        if i == 7:
            client = Client()
            client.force_login(agent)
            payload = {
                "provider_id": electrician.provider_id,
                "category": "electrician",
                "start": at(race_day, "17:00").isoformat(),
                "end": at(race_day, "18:00").isoformat(),
                "kind": "visit",
                "address": "Somewhere in Lucknow",
                "customer_phone": "9123499999",
            }
            return lambda: client.post(
                "/api/v1/bookings", json.dumps(payload), content_type="application/json"
            )
        return place(
            "booking", electrician.pk, customers[i].pk, at(race_day, "10:00"), at(race_day, "11:00")
        )

    outcomes = race(THREADS, prepare)

    assert unexpected(outcomes) == []
    assert outcomes[7].status_code == 201, outcomes[7].content
    assert sum(isinstance(o, SlotTaken) for o in outcomes[8:]) == THREADS - 9
    assert set(
        Booking.objects.filter(pk__in=to_cancel + on_leave).values_list("status", flat=True)
    ) == {BookingStatus.CANCELLED}
    new = AuditEntry.objects.filter(seq__gt=mark)
    assert new.filter(action="booking.cancelled").count() == 9
    assert new.filter(action="booking.created").count() == 2
    assert new.filter(action="user.created").count() == 1
    assert chain_verify().ok
    assert overlapping_blocks() == []
