"""Unsolicited callbacks when a booking made through ONDC changes: the job
"ondc.booking_changed" (enqueued by the booking engine by name) builds on_status / on_update /
on_cancel and hands them to outbox.callback_unsolicited. Called directly here."""

import datetime as dt

import pytest

from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import BookingEvent, BookingStatus, CancelledBy
from sevamitra.ondc import unsolicited
from sevamitra.ondc.models import OndcTransaction, TransactionState
from sevamitra.ondc.schemas import format_timestamp
from sevamitra.ondc.tests import orders_fixtures as fx
from sevamitra.ondc.tests.orders_fixtures import (
    run,
    tag,
)
from sevamitra.ondc.tests.test_orders import book, codes_texted
from sevamitra.tasks import registry

pytestmark = pytest.mark.django_db

# Fixtures shared with the other order tests.
day = fx.day
electrician = fx.electrician
manual_electrician = fx.manual_electrician
other_customer = fx.other_customer
slot = fx.slot

S = BookingStatus


@pytest.fixture
def sent(monkeypatch):
    """The callbacks handed to the outbox: [(action, transaction, message), ...]."""
    calls = []

    def record(*, action, transaction, message):
        calls.append((action, transaction, message))

    monkeypatch.setattr(unsolicited, "_send", record)
    return calls


def changed(booking, action: str | None = None):
    """Run the job for the booking's newest event (or its newest `action` event)."""
    events = BookingEvent.objects.filter(booking=booking)
    if action:
        events = events.filter(action=action)
    event = events.latest("pk")
    registry.get(unsolicited.BOOKING_CHANGED).func(booking_id=booking.pk, event_id=event.pk)


def stops(message):
    return message["order"]["fulfillments"][0]["stops"]


def state(message):
    return message["order"]["fulfillments"][0]["state"]["descriptor"]["code"]


def test_the_job_is_registered_by_name():
    assert registry.get("ondc.booking_changed").func is unsolicited.booking_changed


def test_the_events_the_buyer_app_caused_send_nothing(electrician, slot, sent):
    _answer, booking = book(electrician, slot)
    changed(booking, "created")  # on_confirm told it
    run("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})
    changed(booking, "cancelled")  # on_cancel told it
    assert sent == []


def test_accepted_by_hand_sends_on_status_with_a_working_otp(manual_electrician, slot, sent):
    _answer, booking = book(manual_electrician, slot)
    provider = manual_electrician.provider
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    changed(booking, "accepted")
    [(action, txn, message)] = sent
    assert action == "on_status"
    assert txn == OndcTransaction.objects.get()
    order = message["order"]
    assert (order["id"], order["status"], state(message)) == (
        str(booking.pk),
        "Accepted",
        "Pending",
    )
    otp = stops(message)[1]["authorization"]
    assert otp["type"] == "OTP"
    # A fresh pair was issued for the buyer app (and texted): its start code starts the work.
    assert otp["token"] == codes_texted(booking)[0]
    bookings.booking_start(booking=booking, code=otp["token"], acting_user=provider.user)
    booking.refresh_from_db()
    assert booking.status == S.IN_PROGRESS
    # The reissue's own event was reported with the acceptance: nothing more for it.
    changed(booking, "codes_reissued")
    assert len(sent) == 1
    changed(booking, "started")
    assert [action for action, _txn, _message in sent] == ["on_status", "on_status"]
    assert sent[1][2]["order"]["status"] == "In-progress"


def test_the_visit_progress_is_reported_step_by_step(electrician, slot, sent):
    confirmed, booking = book(electrician, slot)
    token = stops(confirmed)[1]["authorization"]["token"]
    provider = electrician.provider

    bookings.booking_mark_en_route(booking=booking, acting_user=provider.user)
    changed(booking)
    action, _txn, message = sent[-1]
    assert (action, message["order"]["status"], state(message)) == (
        "on_status",
        "In-progress",
        "In-Transit",
    )
    left = BookingEvent.objects.get(booking=booking, action="en_route").at
    assert stops(message)[0]["time"]["timestamp"] == format_timestamp(left)
    assert stops(message)[1]["authorization"]["token"] == token  # the same code as on_confirm

    # At the door (an event the engine may record): At-Location with the customer's OTP.
    BookingEvent.objects.create(
        booking=booking, action="arrived", from_status=S.EN_ROUTE, to_status=S.EN_ROUTE
    )
    changed(booking)
    action, _txn, message = sent[-1]
    assert (action, state(message)) == ("on_status", "At-Location")
    assert stops(message)[1]["authorization"]["token"] == token

    bookings.booking_start(booking=booking, code=token, acting_user=provider.user)
    changed(booking)
    action, _txn, message = sent[-1]
    assert (message["order"]["status"], state(message)) == ("In-progress", "At-Location")
    assert "authorization" not in stops(message)[1]  # used

    end_code = codes_texted(booking)[1]
    bookings.booking_finish(booking=booking, code=end_code, acting_user=provider.user)
    changed(booking)
    action, _txn, message = sent[-1]
    assert (message["order"]["status"], state(message)) == ("Completed", "Completed")
    assert message["order"]["fulfillments"][0]["rateable"] is True
    done = BookingEvent.objects.get(booking=booking, action="completed").at
    assert stops(message)[1]["time"]["timestamp"] == format_timestamp(done)

    booking.refresh_from_db()
    bookings.payment_record(
        booking=booking, method="cash", amount=booking.total, acting_user=provider.user
    )
    changed(booking)
    action, _txn, message = sent[-1]
    assert message["order"]["payments"][0]["status"] == "PAID"
    assert len(sent) == 5

    # A retried job sends nothing twice.
    changed(booking)
    assert len(sent) == 5


def test_merchant_cancellation_is_an_on_cancel_by_the_producer(electrician, slot, sent):
    _answer, booking = book(electrician, slot)
    bookings.booking_cancel(
        booking=booking,
        by=CancelledBy.PROVIDER,
        reason="Unwell",
        acting_user=electrician.provider.user,
    )
    changed(booking)
    [(action, _txn, message)] = sent
    order = message["order"]
    assert action == "on_cancel"
    assert order["status"] == "Cancelled"
    assert order["cancellation"] == {
        "cancelled_by": "PRODUCER",
        "reason": {"descriptor": {"code": "022"}},
    }
    assert order["quote"]["price"]["value"] == "0.00"
    refunds = [
        line["price"]["value"]
        for line in order["quote"]["breakup"]
        if tag(line["tags"], "title")["type"] == "refund"
    ]
    assert refunds == ["-300.00", "-50.00"]
    assert OndcTransaction.objects.get().state == TransactionState.CANCELLED


def test_an_unanswered_request_is_cancelled_by_the_system(manual_electrician, slot, sent):
    _answer, booking = book(manual_electrician, slot)
    later = booking.accept_deadline + dt.timedelta(minutes=1)
    bookings.booking_decline(booking=booking, reason="no answer", acting_user=None, now=later)
    changed(booking, "request_expired")
    [(action, _txn, message)] = sent
    assert action == "on_cancel"
    assert message["order"]["cancellation"]["cancelled_by"] == "PRODUCER"
    assert state(message) == "Cancelled"


def test_a_declined_request_is_an_on_cancel_by_the_producer(manual_electrician, slot, sent):
    _answer, booking = book(manual_electrician, slot)
    bookings.booking_decline(
        booking=booking, reason="Busy", acting_user=manual_electrician.provider.user
    )
    changed(booking, "declined")
    [(action, _txn, message)] = sent
    assert (action, message["order"]["status"]) == ("on_cancel", "Cancelled")
    assert message["order"]["cancellation"]["cancelled_by"] == "PRODUCER"


def test_a_provider_no_show_is_an_on_cancel(electrician, slot, sent, settings):
    _answer, booking = book(electrician, slot)
    late = slot[0] + dt.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES + 1)
    bookings.booking_report_no_show(booking=booking, acting_user=booking.customer, now=late)
    changed(booking)
    [(action, _txn, message)] = sent
    assert (action, message["order"]["status"], state(message)) == (
        "on_cancel",
        "Cancelled",
        "Cancelled",
    )
    assert message["order"]["quote"]["price"]["value"] == "0.00"


def test_the_customer_not_being_there_is_an_on_cancel_by_the_consumer(
    electrician, slot, sent, settings
):
    _answer, booking = book(electrician, slot)
    late = slot[0] + dt.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES + 1)
    bookings.booking_report_customer_absent(
        booking=booking, acting_user=booking.provider.user, now=late
    )
    changed(booking)
    [(action, _txn, message)] = sent
    assert (action, message["order"]["status"], state(message)) == (
        "on_cancel",
        "Cancelled",
        "Cancelled",
    )
    assert message["order"]["cancellation"]["cancelled_by"] == "CONSUMER"


def test_a_cancellation_by_the_customer_elsewhere_is_an_on_cancel_by_the_consumer(
    electrician, slot, sent
):
    _answer, booking = book(electrician, slot)
    bookings.booking_cancel(
        booking=booking,
        by=CancelledBy.CUSTOMER,
        reason="Changed plans",
        acting_user=booking.customer,
    )
    changed(booking)
    [(action, _txn, message)] = sent
    assert action == "on_cancel"
    assert message["order"]["cancellation"]["cancelled_by"] == "CONSUMER"


def test_a_reschedule_elsewhere_is_an_on_update(electrician, slot, sent):
    _answer, booking = book(electrician, slot)
    later = slot[0] + dt.timedelta(hours=4)
    bookings.booking_reschedule(
        booking=booking,
        start=later,
        end=later + dt.timedelta(hours=1),
        acting_user=booking.customer,
    )
    changed(booking)
    [(action, _txn, message)] = sent
    assert action == "on_update"
    time = stops(message)[1]["time"]
    assert (time["label"], time["range"]["start"]) == ("confirmed", format_timestamp(later))


def test_bookings_of_other_channels_send_nothing(electrician, slot, other_customer, sent):
    booking = bookings.booking_create(
        offer=electrician,
        customer=other_customer,
        start=slot[0],
        end=slot[1],
        kind="visit",
        channel="web",
        address="Somewhere",
        acting_user=other_customer,
    ).booking
    changed(booking)
    assert sent == []


def test_the_real_outbox_is_called(electrician, slot, monkeypatch):
    """Without the test seam: the job calls outbox.callback_unsolicited with our message."""
    outbox = pytest.importorskip("sevamitra.ondc.outbox")
    calls = []
    monkeypatch.setattr(
        outbox, "callback_unsolicited", lambda **kwargs: calls.append(kwargs) or None
    )
    _answer, booking = book(electrician, slot)
    bookings.booking_mark_en_route(booking=booking, acting_user=electrician.provider.user)
    changed(booking)
    [call] = calls
    assert call["action"] == "on_status"
    assert call["transaction"].booking_id == booking.pk
    assert call["message"]["order"]["id"] == str(booking.pk)
