"""What the call centre writes to the audit trail: the call's own changes in the agent's role;
never the caller's number or the agent's notes."""

import json

import pytest
from django.db.models import Max

from sevamitra.audit.models import AuditEntry
from sevamitra.callcentre import services
from sevamitra.callcentre.services import CallError

from .conftest import GOMTI_NAGAR, at

pytestmark = pytest.mark.django_db


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=mark).order_by("seq"))


def test_a_call_booked_for_a_known_caller_is_on_the_record(agent, caller, home, plumber, day):
    mark = _mark()

    call = services.call_start(phone=caller.phone, acting_user=agent)
    placed = services.call_book(
        call=call,
        offer=plumber,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        address=home,
        notes="Leaking tap in the kitchen",
        acting_user=agent,
    )

    entries = _since(mark)
    assert [(e.action, e.actor_id, e.actor_role, e.object_id) for e in entries] == [
        ("call.started", agent.pk, "agent", str(call.pk)),
        ("booking.created", agent.pk, "agent", str(placed.booking.pk)),
        ("call.closed", agent.pk, "agent", str(call.pk)),
    ]
    assert entries[0].after == {"agent": agent.pk, "caller": caller.pk}
    assert (entries[2].before, entries[2].after) == (
        {"outcome": ""},
        {
            "outcome": "booked",
            "booking": placed.booking.pk,
            "category": plumber.category_id,
            "notes_given": False,
            "closed_automatically": False,
        },
    )
    text = json.dumps([[e.before, e.after] for e in entries], ensure_ascii=False)
    for personal in (caller.phone, caller.name, "Vipin Khand", "Leaking tap", GOMTI_NAGAR):
        assert personal not in text, personal


def test_an_unknown_caller_registered_then_the_call_closed_with_notes(agent):
    mark = _mark()

    call = services.call_start(phone="9822223333", acting_user=agent)
    caller = services.call_register_caller(
        call=call, name="Ramesh Pal", language="en", acting_user=agent
    )
    services.call_close(
        call=call, outcome="enquiry", notes="Wants a cook from next month", acting_user=agent
    )

    entries = _since(mark)
    assert [(e.action, e.object_id, e.before, e.after) for e in entries] == [
        ("call.started", str(call.pk), None, {"agent": agent.pk, "caller": None}),
        ("user.created", str(caller.pk), None, entries[1].after),
        ("call.caller_registered", str(call.pk), {"caller": None}, {"caller": caller.pk}),
        (
            "call.closed",
            str(call.pk),
            {"outcome": ""},
            {
                "outcome": "enquiry",
                "booking": None,
                "category": None,
                "notes_given": True,
                "closed_automatically": False,
            },
        ),
    ]
    text = json.dumps([[e.before, e.after] for e in entries])
    assert "9822223333" not in text and "Ramesh" not in text and "cook" not in text


def test_opening_the_next_call_closes_the_last_one_on_the_record(agent, caller):
    first = services.call_start(phone="9822223333", acting_user=agent)
    mark = _mark()

    second = services.call_start(phone=caller.phone, acting_user=agent)

    closed, started = _since(mark)
    assert (closed.action, closed.object_id, closed.after["outcome"]) == (
        "call.closed",
        str(first.pk),
        "enquiry",
    )
    assert closed.after["closed_automatically"] is True
    assert (started.action, started.object_id) == ("call.started", str(second.pk))


def test_a_booking_changed_in_a_call_is_linked_once(agent, caller, plumber, day):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    booking = services.call_book(
        call=call,
        offer=plumber,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        address_text="12, Hazratganj",
        pincode="226001",
        acting_user=agent,
    ).booking
    call = services.call_start(phone=caller.phone, acting_user=agent)
    mark = _mark()

    services.call_booking_reschedule(
        call=call, booking=booking, start=at(day, "12:00"), end=at(day, "13:00"), acting_user=agent
    )
    services.call_booking_cancel(call=call, booking=booking, reason="Not needed", acting_user=agent)

    assert [(e.action, e.actor_role, e.object_id, e.after) for e in _since(mark)] == [
        ("booking.rescheduled", "agent", str(booking.pk), _since(mark)[0].after),
        ("call.updated", "agent", str(call.pk), {"booking": booking.pk}),
        (
            "booking.cancelled",
            "agent",
            str(booking.pk),
            {"status": "cancelled", "by": "customer", "fee": "0.00", "reason_given": True},
        ),
    ]


def test_closing_a_closed_call_is_refused_and_records_nothing(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    services.call_close(call=call, outcome="enquiry", acting_user=agent)
    mark = _mark()

    with pytest.raises(CallError):
        services.call_close(call=call, outcome="complaint", acting_user=agent)

    assert _since(mark) == []
    call.refresh_from_db()
    assert call.outcome == "enquiry"
