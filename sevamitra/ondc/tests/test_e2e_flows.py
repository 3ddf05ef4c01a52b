"""End to end: a buyer app (tests/simulator.py) books a Sevamitra over real HTTP on loopback.

The simulator signs every request with its own key, the live server verifies it against the
simulator's registry stub, the background jobs run in this process between steps (as
`manage.py worker` would), and the simulator's receiver verifies our signature on every
callback (the `buyer` fixture asserts that none was unsigned). The provider's side is driven
through bookings.services, as the provider's pages do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, BookingStatus, Channel, Rating
from sevamitra.callcentre.selectors import caller_bookings
from sevamitra.notifications.models import Message
from sevamitra.ondc.models import Direction, OndcMessage, OndcTransaction
from sevamitra.ondc.tests.conftest import Buyer, run_jobs
from sevamitra.ondc.tests.simulator import default_slot, iso
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

S = BookingStatus
BUYER_PHONE = "9876543210"  # the simulator's fulfillment contact


@pytest.fixture
def offer():
    """An auto-accepting electrician at Hazratganj, Lucknow: ₹300 + ₹50 visiting charge,
    free cancellation up to 2 hours before, ₹100 after."""
    provider = ProviderFactory(
        auto_accept=True,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=2,
        offers=[("electrician", "300", "50")],
    )
    return provider.offers.get()


def ids(offer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"provider_id": f"P{offer.provider_id}", "item_id": f"I{offer.pk}"}


def order_of(callback) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert callback.error is None, callback.error
    return callback.message["order"]


def fulfillment_state(order: dict[str, Any]) -> str:
    return order["fulfillments"][0]["state"]["descriptor"]["code"]


def end_stop(order: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in order["fulfillments"][0]["stops"] if s["type"] == "end")


def book(buyer: Buyer, offer, start: dt.datetime, end: dt.datetime) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """select → init → confirm through the node; (transaction id, on_confirm's order)."""
    sim = buyer.sim
    txn = sim.context("select")["transaction_id"]
    on_select = buyer.call(
        "select", sim.select_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    quote = order_of(on_select)["quote"]
    on_init = buyer.call(
        "init", sim.init_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    assert order_of(on_init)["quote"]["price"] == quote["price"]
    on_confirm = buyer.call(
        "confirm",
        sim.confirm_body(
            **ids(offer), start=start, end=end, quote=order_of(on_init)["quote"], transaction_id=txn
        ),
    )
    return txn, order_of(on_confirm)


def unsolicited(buyer: Buyer, action: str, txn: str, count: int) -> dict[str, Any]:
    """The `count`-th callback `action` of the transaction that the node sent unasked."""
    run_jobs()
    callback = buyer.sim.wait(action, transaction_id=txn, count=count, timeout=5)
    found = buyer.callbacks(action, transaction_id=txn)
    assert len(found) == count, [c.message_id for c in found]
    latest = found[-1]
    assert latest.signature_ok and callback.signature_ok
    return order_of(latest)


def end_code(booking: Booking) -> str:
    """The customer's end code (texted to them, never sent to the network), recovered here from
    its stored HMAC so that the test can finish the job as the provider."""
    from sevamitra.bookings.services import _hash_code

    for number in range(10_000):
        code = f"{number:04d}"
        if _hash_code(booking, "end", code) == booking.end_code_hash:
            return code
    raise AssertionError("no end code matches")


# --- discovery --------------------------------------------------------------------------------


def test_search_returns_the_free_provider_in_a_signed_on_search(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    body = sim.search_body(category="SRV11-1025", start=start, end=end)

    callback = buyer.call("search", body)

    assert callback.error is None
    assert callback.context["action"] == "on_search"
    assert callback.context["transaction_id"] == body["context"]["transaction_id"]
    assert callback.context["bpp_id"] == "sevamitra.test"
    providers = callback.message["catalog"]["providers"]
    assert [p["id"] for p in providers] == [f"P{offer.provider_id}"]
    [item] = providers[0]["items"]
    assert item["id"] == f"I{offer.pk}"
    assert Decimal(item["price"]["value"]) == Decimal("300")
    # Logged both ways, the signature check recorded.
    logged = list(
        OndcMessage.objects.filter(transaction_id=body["context"]["transaction_id"]).order_by("pk")
    )
    assert [(m.direction, m.action) for m in logged] == [
        (Direction.INBOUND, "search"),
        (Direction.OUTBOUND, "on_search"),
    ]
    assert (logged[0].signature_ok, logged[0].ack) == (True, "ACK")
    assert logged[1].ack == "ACK"  # the buyer app's answer to our callback


def test_a_provider_booked_in_the_slot_is_not_found(buyer, offer):
    start, end = default_slot(days=2, hour=10)
    customer = UserFactory()
    bookings.booking_create(
        offer=offer,
        customer=customer,
        start=start,
        end=end,
        kind="visit",
        channel=Channel.WEB,
        address="1, Hazratganj",
        acting_user=customer,
    )

    callback = buyer.call(
        "search", buyer.sim.search_body(category="SRV11-1025", start=start, end=end)
    )

    assert callback.message["catalog"]["providers"] == []


# --- the order --------------------------------------------------------------------------------


def test_select_init_confirm_makes_an_ordinary_booking(buyer, offer, client):
    start, end = default_slot(days=2, hour=10)

    txn, order = book(buyer, offer, start, end)

    booking = Booking.objects.get()
    assert order["id"] == str(booking.pk)
    assert order["status"] == "Accepted"
    assert Decimal(order["quote"]["price"]["value"]) == Decimal("350") == booking.total
    assert (booking.channel, booking.status) == (Channel.ONDC, S.CONFIRMED)
    assert (booking.provider, booking.category) == (offer.provider, offer.category)
    assert (booking.starts_at, booking.ends_at) == (start, end)
    assert booking.customer.phone == BUYER_PHONE
    assert end_stop(order)["time"]["range"] == {"start": iso(start), "end": iso(end)}
    authorization = end_stop(order)["authorization"]
    assert authorization["type"] == "OTP" and len(authorization["token"]) == 4
    assert OndcTransaction.objects.get(transaction_id=txn).booking == booking

    # The provider sees it on their page like any other job ...
    client.force_login(offer.provider.user)
    page = client.get("/sevamitra/")
    assert page.status_code == 200
    assert f'href="/sevamitra/jobs/{booking.pk}/"' in page.content.decode()
    assert client.get(f"/sevamitra/jobs/{booking.pk}/").status_code == 200
    # ... and a call-centre agent in the caller's panel.
    agent = user_with_roles(Role.AGENT)
    assert caller_bookings(agent=agent, caller=booking.customer).upcoming == [booking]


def test_select_without_a_slot_lists_free_slots_90003(buyer, offer):
    sim = buyer.sim

    callback = buyer.call("select", sim.select_body(**ids(offer)))

    assert callback.error["code"] == "90003"
    assert not OndcTransaction.objects.filter(booking__isnull=False).exists()


def test_status_reschedule_and_buyer_cancel(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    txn, order = book(buyer, offer, start, end)
    order_id = order["id"]

    on_status = buyer.call("status", sim.status_body(order_id=order_id, transaction_id=txn))
    assert order_of(on_status)["status"] == "Accepted"
    assert order_of(on_status)["id"] == order_id

    new_start, new_end = default_slot(days=3, hour=15, hours=2)
    on_update = buyer.call(
        "update",
        sim.update_body(order_id=order_id, start=new_start, end=new_end, transaction_id=txn),
    )
    booking = Booking.objects.get(pk=order_id)
    assert (booking.starts_at, booking.ends_at) == (new_start, new_end)
    assert end_stop(order_of(on_update))["time"]["range"] == {
        "start": iso(new_start),
        "end": iso(new_end),
    }
    assert booking.events.filter(action="rescheduled").count() == 1

    on_cancel = buyer.call("cancel", sim.cancel_body(order_id=order_id, transaction_id=txn))
    cancelled = order_of(on_cancel)
    assert cancelled["status"] == "Cancelled"
    assert cancelled["cancellation"]["cancelled_by"] == "CONSUMER"
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (S.CANCELLED, "customer")
    assert booking.cancellation_fee == Decimal("0.00")  # more than 2 hours ahead: free
    # The buyer app's own requests were answered; nothing was sent unasked.
    run_jobs()
    assert [c.action for c in buyer.callbacks(transaction_id=txn)] == [
        "on_select",
        "on_init",
        "on_confirm",
        "on_status",
        "on_update",
        "on_cancel",
    ]


def test_merchant_cancellation_is_sent_unasked(buyer, offer):
    start, end = default_slot(days=2, hour=10)
    txn, order = book(buyer, offer, start, end)
    booking = Booking.objects.get(pk=order["id"])

    bookings.booking_cancel(
        booking=booking, by="provider", reason="Unwell", acting_user=offer.provider.user
    )

    cancelled = unsolicited(buyer, "on_cancel", txn, count=1)
    assert cancelled["status"] == "Cancelled"
    assert cancelled["cancellation"]["cancelled_by"] == "PRODUCER"
    assert fulfillment_state(cancelled) == "Cancelled"
    assert OndcTransaction.objects.get(transaction_id=txn).state == "cancelled"


def test_declined_request_is_a_merchant_cancellation(buyer):
    """A provider who accepts by hand declines the request made through ONDC."""
    provider = ProviderFactory(auto_accept=False, offers=[("plumber", "250", "0")])
    offer = provider.offers.get()
    start, end = default_slot(days=2, hour=11)
    txn, order = book(buyer, offer, start, end)
    assert order["status"] == "Created"
    booking = Booking.objects.get(pk=order["id"])
    assert booking.status == S.REQUESTED

    bookings.booking_decline(booking=booking, reason="Too far", acting_user=provider.user)

    cancelled = unsolicited(buyer, "on_cancel", txn, count=1)
    assert cancelled["cancellation"]["cancelled_by"] == "PRODUCER"


def test_a_request_accepted_by_hand_is_sent_unasked_with_the_otp(buyer):
    provider = ProviderFactory(auto_accept=False, offers=[("plumber", "250", "0")])
    offer = provider.offers.get()
    start, end = default_slot(days=2, hour=11)
    txn, order = book(buyer, offer, start, end)
    booking = Booking.objects.get(pk=order["id"])
    assert "authorization" not in end_stop(order)  # no codes before the Sevamitra accepts

    bookings.booking_accept(booking=booking, acting_user=provider.user)

    accepted = unsolicited(buyer, "on_status", txn, count=1)
    assert (accepted["status"], fulfillment_state(accepted)) == ("Accepted", "Pending")
    otp = end_stop(accepted)["authorization"]["token"]
    # The customer is texted the codes once, and the buyer app's OTP is the start code.
    texts = Message.objects.filter(reference=f"booking:{booking.pk}", event="booking.codes")
    assert texts.count() == 1
    assert otp in texts.get().body
    booking.refresh_from_db()
    bookings.booking_start(booking=booking, code=otp, acting_user=provider.user)
    assert Booking.objects.get(pk=booking.pk).status == S.IN_PROGRESS


def test_visit_progress_is_sent_unasked_and_rated(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    txn, order = book(buyer, offer, start, end)
    booking = Booking.objects.get(pk=order["id"])
    otp = end_stop(order)["authorization"]["token"]
    provider_user = offer.provider.user

    bookings.booking_mark_en_route(booking=booking, acting_user=provider_user)
    on_the_way = unsolicited(buyer, "on_status", txn, count=1)
    assert (on_the_way["status"], fulfillment_state(on_the_way)) == ("In-progress", "In-Transit")
    assert end_stop(on_the_way)["authorization"]["token"] == otp

    bookings.booking_mark_arrived(booking=booking, acting_user=provider_user)
    at_door = unsolicited(buyer, "on_status", txn, count=2)
    assert (at_door["status"], fulfillment_state(at_door)) == ("In-progress", "At-Location")
    assert end_stop(at_door)["authorization"]["token"] == otp

    # The OTP the buyer app shows the customer is the start code the Sevamitra enters.
    bookings.booking_start(booking=booking, code=otp, acting_user=provider_user)
    started = unsolicited(buyer, "on_status", txn, count=3)
    assert (started["status"], fulfillment_state(started)) == ("In-progress", "At-Location")
    assert "authorization" not in end_stop(started)  # used

    booking.refresh_from_db()
    bookings.booking_finish(booking=booking, code=end_code(booking), acting_user=provider_user)
    done = unsolicited(buyer, "on_status", txn, count=4)
    assert (done["status"], fulfillment_state(done)) == ("Completed", "Completed")

    on_rating = buyer.call(
        "rating", sim.rating_body(rated_id=order["id"], value="4", transaction_id=txn)
    )
    assert on_rating.error is None
    rating = Rating.objects.get(booking=booking)
    assert rating.stars == 4
    booking.refresh_from_db()
    assert booking.status == S.RATED


# --- the one calendar -------------------------------------------------------------------------


def web_booking(offer, start, end) -> Booking:  # type: ignore[no-untyped-def]
    customer = UserFactory()
    return bookings.booking_create(
        offer=offer,
        customer=customer,
        start=start,
        end=end,
        kind="visit",
        channel=Channel.WEB,
        address="1, Hazratganj",
        acting_user=customer,
    ).booking


def test_slot_taken_by_another_channel_after_select_is_90001(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    txn = sim.context("select")["transaction_id"]
    on_select = buyer.call(
        "select", sim.select_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    assert on_select.error is None

    web_booking(offer, start, end)  # a citizen books the same hour on the web

    on_init = buyer.call(
        "init", sim.init_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    assert on_init.error["code"] == "90001"
    assert Booking.objects.filter(channel=Channel.ONDC).count() == 0


def test_slot_taken_after_the_hold_expired_is_90001_at_confirm(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    txn = sim.context("select")["transaction_id"]
    buyer.call("select", sim.select_body(**ids(offer), start=start, end=end, transaction_id=txn))
    on_init = buyer.call(
        "init", sim.init_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    hold = OndcTransaction.objects.get(transaction_id=txn).hold
    hold.expires_at = timezone.now() - dt.timedelta(seconds=1)  # the buyer took too long
    hold.save(update_fields=["expires_at"])
    web_booking(offer, start, end)

    on_confirm = buyer.call(
        "confirm",
        sim.confirm_body(
            **ids(offer), start=start, end=end, quote=order_of(on_init)["quote"], transaction_id=txn
        ),
    )

    assert on_confirm.error["code"] == "90001"
    assert Booking.objects.filter(channel=Channel.ONDC).count() == 0
    assert Booking.objects.filter(channel=Channel.WEB).count() == 1
