"""What an ONDC flow writes to the audit trail: the flow's row in the buyer app's capacity
("ondc:<bap_id>", no person), the booking engine's entries for the booking, and nothing of
what the buyer app sent about the person (name, phone, e-mail, address)."""

import json

import pytest
from django.db.models import Max

from sevamitra.accounts.models import User
from sevamitra.audit.models import AuditEntry
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import CancelledBy
from sevamitra.ondc import errors
from sevamitra.ondc.models import OndcTransaction
from sevamitra.ondc.tests import orders_fixtures as fx
from sevamitra.ondc.tests.orders_fixtures import BAP_ID, PHONE, run
from sevamitra.ondc.tests.test_orders import book, refused
from sevamitra.ondc.tests.test_unsolicited import changed, sent

pytestmark = pytest.mark.django_db

day = fx.day
electrician = fx.electrician
slot = fx.slot
sent = sent

ROLE = f"ondc:{BAP_ID}"


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=mark).order_by("seq"))


def test_a_whole_flow_is_on_the_record_without_the_buyers_details(electrician, slot):
    mark = _mark()

    _answer, booking = book(electrician, slot)
    run("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})

    txn = OndcTransaction.objects.get()
    customer = User.objects.get(phone=PHONE)
    entries = _since(mark)
    assert [(e.action, e.actor_id, e.actor_role) for e in entries] == [
        ("ondc_transaction.selected", None, ROLE),
        ("user.created", None, ROLE),
        ("ondc_transaction.initialized", None, ROLE),
        ("booking.created", customer.pk, "citizen"),
        ("ondc_transaction.confirmed", None, ROLE),
        ("booking.cancelled", customer.pk, "citizen"),
        ("ondc_transaction.cancelled", None, ROLE),
    ]
    selected, _user, initialized, created, confirmed, _cancel, cancelled = entries
    hold_id = initialized.after["hold_id"]
    assert selected.object_id == str(txn.pk)
    assert selected.after == {
        "state": "selected",
        "offer_id": electrician.pk,
        "starts_at": selected.after["starts_at"],
        "ends_at": selected.after["ends_at"],
        "total": "350.00",
    }
    assert (initialized.before, initialized.after) == (
        {"state": "selected", "customer_id": None, "hold_id": None},
        {"state": "initialized", "customer_id": customer.pk, "hold_id": hold_id},
    )
    assert isinstance(hold_id, int)
    assert created.after["channel"] == "ondc"
    assert (confirmed.before, confirmed.after) == (
        {"state": "initialized", "hold_id": hold_id, "booking_id": None},
        {"state": "confirmed", "hold_id": None, "booking_id": booking.pk},
    )
    assert (cancelled.before, cancelled.after) == (
        {"state": "confirmed"},
        {"state": "cancelled"},
    )
    text = json.dumps([[e.before, e.after] for e in entries], ensure_ascii=False)
    for personal in (PHONE, "Ravi", "ravi@example.in", "Lalbagh", "26.85"):
        assert personal not in text, personal


def test_a_refused_step_records_nothing_of_the_flow(electrician, slot):
    start, end = slot
    run("select", fx.select_message(electrician, start, end))
    mark = _mark()

    error = refused("init", fx.init_message(electrician, start, end, phone="12345"))

    assert error.code == errors.INVALID_REQUEST
    assert _since(mark) == []
    assert OndcTransaction.objects.get().state == "selected"


def test_a_cancellation_on_our_side_moves_the_flow_by_our_job(electrician, slot, sent):
    _answer, booking = book(electrician, slot)
    worker = electrician.provider.user
    bookings.booking_cancel(
        booking=booking, by=CancelledBy.PROVIDER, reason="Ill", acting_user=worker
    )
    mark = _mark()

    changed(booking)

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.before, entry.after) == (
        "ondc_transaction.cancelled",
        None,
        "system",
        {"state": "confirmed"},
        {"state": "cancelled"},
    )
    # The job run again changes nothing and records nothing.
    mark = _mark()
    changed(booking)
    assert _since(mark) == []
