"""What the booking engine writes to the audit trail: every status change with the status
before and after and the capacity the actor acted in; holds; series; and never a copy of a
person's data (name, number, address, notes, the text of a reason or a review)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db.models import Max

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.bookings import series, services, substitutes
from sevamitra.bookings.errors import IllegalTransition
from sevamitra.bookings.models import Booking, BookingStatus, CancelledBy
from sevamitra.bookings.tests.conftest import at

pytestmark = pytest.mark.django_db
S = BookingStatus
ADDRESS = "House 12, Lalbagh Road, Lucknow"
NOTES = "Ring twice; the dog is friendly"


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _since(mark: int, action: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(seq__gt=mark).order_by("seq")
    if action:
        entries = entries.filter(action=action)
    return list(entries)


def _book(offer, customer, day, *, start="10:00", end="11:00", acting_user=None):
    return services.booking_create(
        offer=offer,
        customer=customer,
        start=at(day, start),
        end=at(day, end),
        kind="visit",
        channel="web",
        address=ADDRESS,
        pincode="226001",
        notes=NOTES,
        acting_user=acting_user or customer,
    )


def test_a_status_change_has_the_status_before_and_after_and_the_actors_role(
    manual_electrician, customer, day
):
    booking = _book(manual_electrician, customer, day).booking
    worker = manual_electrician.provider.user
    mark = _mark()

    services.booking_accept(booking=booking, acting_user=worker)

    [entry] = _since(mark)
    assert (
        entry.action,
        entry.actor_id,
        entry.actor_role,
        entry.object_type,
        entry.object_id,
        entry.before,
        entry.after,
    ) == (
        "booking.accepted",
        worker.pk,
        "provider",
        "bookings.booking",
        str(booking.pk),
        {"status": "requested"},
        {"status": "confirmed"},
    )


def test_a_booking_created_records_references_price_and_channel(electrician, customer, day):
    mark = _mark()

    booking = _book(electrician, customer, day).booking

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.before) == (
        "booking.created",
        customer.pk,
        "citizen",
        None,
    )
    assert entry.after == {
        "status": "confirmed",
        "channel": "web",
        "auto_accept": True,
        "customer": customer.pk,
        "provider": electrician.provider_id,
        "offer": electrician.pk,
        "category": electrician.category_id,
        "kind": "visit",
        "starts_at": entry.after["starts_at"],
        "ends_at": entry.after["ends_at"],
        "total": "350.00",
        "discount": "0",
        "accept_deadline": None,
        "hold": None,
        "series": None,
        "replaces": None,
    }
    assert dt.datetime.fromisoformat(entry.after["starts_at"]) == booking.starts_at
    assert dt.datetime.fromisoformat(entry.after["ends_at"]) == booking.ends_at


def test_nothing_personal_in_the_entries_of_a_whole_life_cycle(electrician, day):
    customer = UserFactory(name="Kamla Srivastava", phone="9839012345")
    worker = electrician.provider.user
    mark = _mark()

    placed = _book(electrician, customer, day)
    booking = placed.booking
    services.booking_reschedule(
        booking=booking, start=at(day, "12:00"), end=at(day, "13:00"), acting_user=customer
    )
    codes = services.booking_codes_reissue(booking=booking, acting_user=customer)
    services.booking_mark_en_route(booking=booking, acting_user=worker)
    services.booking_mark_arrived(booking=booking, acting_user=worker)
    services.booking_start(booking=booking, code=codes.start, acting_user=worker)
    services.booking_finish(booking=booking, code=codes.end, acting_user=worker)
    booking.refresh_from_db()
    services.payment_record(
        booking=booking,
        method="upi",
        amount=booking.total,
        reference="UPI-REF-1",
        acting_user=worker,
    )
    services.rating_add(booking=booking, stars=4, text="Kamla was very kind", acting_user=worker)
    services.rating_add(booking=booking, stars=5, text="Neat work, on time", acting_user=customer)

    entries = _since(mark)
    assert [e.action for e in entries] == [
        "booking.created",
        "booking.rescheduled",
        "booking.codes_reissued",
        "booking.en_route",
        "booking.arrived",
        "booking.started",
        "booking.completed",
        "booking.payment_recorded",
        "booking.customer_rated",
        "booking.rated",
    ]
    assert [(e.actor_role, e.before, e.after) for e in entries[3:]] == [
        ("provider", {"status": "confirmed"}, {"status": "en_route"}),
        ("provider", None, None),
        ("provider", {"status": "en_route"}, {"status": "in_progress"}),
        ("provider", {"status": "in_progress"}, {"status": "completed"}),
        (
            "provider",
            None,
            {"method": "upi", "amount": str(booking.total), "payment": booking.payments.get().pk},
        ),
        (
            "provider",
            None,
            {"stars": 4, "rating": booking.ratings.get(direction="provider").pk, "with_text": True},
        ),
        (
            "citizen",
            {"status": "completed"},
            {
                "status": "rated",
                "stars": 5,
                "rating": booking.ratings.get(direction="customer").pk,
                "with_text": True,
            },
        ),
    ]
    text = json.dumps([[e.before, e.after, e.actor_role] for e in entries], ensure_ascii=False)
    for personal in (
        "Kamla",
        "Srivastava",
        "9839012345",
        "Lalbagh",
        "Ring twice",
        "very kind",
        "Neat work",
        "UPI-REF-1",
        electrician.provider.name_latin,
        electrician.provider.name_hi,
        "226001",
    ):
        assert personal not in text, personal


def test_a_reschedule_records_the_slot_and_price_before_and_after(electrician, customer, day):
    booking = _book(electrician, customer, day).booking
    mark = _mark()

    services.booking_reschedule(
        booking=booking, start=at(day, "14:00"), end=at(day, "16:00"), acting_user=customer
    )

    [entry] = _since(mark)
    assert entry.action == "booking.rescheduled"
    assert {
        key: dt.datetime.fromisoformat(value)
        for key, value in entry.after.items()
        if key != "total"
    } == {
        "starts_at": at(day, "14:00"),
        "ends_at": at(day, "16:00"),
    }
    assert {
        key: dt.datetime.fromisoformat(value)
        for key, value in entry.before.items()
        if key != "total"
    } == {
        "starts_at": at(day, "10:00"),
        "ends_at": at(day, "11:00"),
    }
    assert (entry.before["total"], entry.after["total"]) == ("350.00", "350.00")


def test_a_cancellation_records_who_and_the_fee_but_not_the_reason(electrician, customer, day):
    booking = _book(electrician, customer, day).booking
    mark = _mark()

    services.booking_cancel(
        booking=booking,
        by=CancelledBy.CUSTOMER,
        reason="My mother-in-law is visiting",
        acting_user=customer,
    )

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.before, entry.after) == (
        "booking.cancelled",
        customer.pk,
        "citizen",
        {"status": "confirmed"},
        {"status": "cancelled", "by": "customer", "fee": "0.00", "reason_given": True},
    )


def test_an_agent_books_for_a_caller_in_the_agent_role(electrician, customer, day):
    agent = user_with_roles(Role.AGENT)
    mark = _mark()

    _book(electrician, customer, day, acting_user=agent)

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.after["customer"]) == (
        "booking.created",
        agent.pk,
        "agent",
        customer.pk,
    )


def test_an_unanswered_request_is_declined_by_the_system_and_passed_on(
    manual_electrician, electrician, customer, day
):
    booking = _book(manual_electrician, customer, day).booking
    mark = _mark()

    passed_to = services.booking_decline(
        booking=booking,
        reason="no answer before the deadline",
        acting_user=None,
        now=booking.accept_deadline + dt.timedelta(seconds=1),
    )

    assert passed_to is not None and passed_to.provider == electrician.provider
    created, expired = _since(mark)
    assert (created.action, created.object_id, created.after["replaces"]) == (
        "booking.created",
        str(passed_to.pk),
        booking.pk,
    )
    assert (
        expired.action,
        expired.actor_id,
        expired.actor_role,
        expired.before,
        expired.after,
    ) == (
        "booking.request_expired",
        None,
        "system",
        {"status": "requested"},
        {"status": "declined", "reason_given": True, "passed_to": passed_to.pk},
    )


def test_a_refused_transition_records_nothing(electrician, customer, day):
    booking = _book(electrician, customer, day).booking
    mark = _mark()

    with pytest.raises(IllegalTransition):
        services.booking_accept(booking=booking, acting_user=electrician.provider.user)

    assert _since(mark) == []
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_holds_stay_out_of_the_trail_and_the_booking_they_become_is_in_it(
    electrician, customer, day
):
    mark = _mark()

    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        acting_user=customer,
    )
    services.hold_release(hold=hold, acting_user=customer)
    assert _since(mark) == []

    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        acting_user=customer,
    )
    placed = services.booking_create(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="B-12, Vipin Khand",
        hold=hold,
        acting_user=customer,
    )
    assert [entry.action for entry in _since(mark)] == ["booking.created"]
    assert _since(mark)[0].object_id == str(placed.booking.pk)


def test_a_series_is_recorded_with_its_visits(electrician, customer, day):
    mark = _mark()

    rule, placed = series.series_create(
        offer=electrician,
        customer=customer,
        kind="series",
        frequency="daily",
        starts_on=day,
        start_time=dt.time(9, 0),
        end_time=dt.time(10, 0),
        count=3,
        channel="web",
        address=ADDRESS,
        acting_user=customer,
    )
    cancelled = series.series_cancel(series=rule, reason="We move house", acting_user=customer)

    entries = _since(mark)
    visits = [p.booking.pk for p in placed]
    assert [(e.action, e.object_id) for e in entries] == [
        *[("booking.created", str(pk)) for pk in visits],
        ("series.created", str(rule.pk)),
        *[("booking.cancelled", str(b.pk)) for b in cancelled],
        ("series.cancelled", str(rule.pk)),
    ]
    created, ended = entries[3], entries[-1]
    assert (
        created.after["bookings"],
        created.after["total"],
        created.after["occurrence_count"],
    ) == (
        visits,
        str(sum((p.booking.total for p in placed), Decimal("0"))),
        3,
    )
    assert (ended.before, ended.after) == (
        {"status": "active"},
        {"status": "cancelled", "bookings_cancelled": visits, "reason_given": True},
    )
    rule.refresh_from_db()
    assert rule.status == "cancelled"


def test_leave_cancels_the_days_bookings_as_the_provider(electrician, customer, day):
    booking = _book(electrician, customer, day).booking
    worker = electrician.provider.user
    mark = _mark()

    substitutes.provider_leave_mark(
        provider=electrician.provider,
        starts_on=day,
        ends_on=day,
        reason="Daughter's wedding",
        acting_user=worker,
    )

    [cancelled] = _since(mark, "booking.cancelled")
    assert (cancelled.object_id, cancelled.actor_id, cancelled.actor_role, cancelled.after) == (
        str(booking.pk),
        worker.pk,
        "provider",
        {"status": "cancelled", "by": "provider", "fee": "0.00", "reason_given": True},
    )
    assert "wedding" not in json.dumps(
        [e.after for e in _since(mark) if e.action.startswith("booking.")]
    )
    assert Booking.objects.get(pk=booking.pk).status == S.CANCELLED
