"""The order flow, handler by handler: select → init → confirm on the one calendar, and the
refusals in the network's codes. Handlers are called directly with our own request bodies."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.callcentre.selectors import caller_bookings
from sevamitra.notifications.models import Message
from sevamitra.ondc import errors, mapping
from sevamitra.ondc.handlers import PRECHECKS
from sevamitra.ondc.models import OndcTransaction, TransactionState
from sevamitra.ondc.schemas import format_timestamp
from sevamitra.ondc.tests import orders_fixtures as fx
from sevamitra.ondc.tests.orders_fixtures import (
    AREA,
    BAP_ID,
    GPS,
    PHONE,
    breakup_types,
    confirm_message,
    ids,
    inbound,
    init_message,
    log_search,
    run,
    select_message,
    tag,
)
from sevamitra.providers.models import BlockKind, CalendarBlock
from sevamitra.providers.tests.factories import ProviderFactory, block, local

pytestmark = pytest.mark.django_db

# Fixtures shared with the other order tests.
day = fx.day
electrician = fx.electrician
manual_electrician = fx.manual_electrician
other_customer = fx.other_customer
slot = fx.slot

S = BookingStatus
T = TransactionState


def refused(action, message, **ctx) -> errors.OndcError:
    with pytest.raises(errors.OndcError) as caught:
        run(action, message, **ctx)
    return caught.value


def book(offer, slot, **ctx):
    """select → init → confirm; the on_confirm message and the booking."""
    start, end = slot
    quote = run("select", select_message(offer, start, end), **ctx)["order"]["quote"]
    run("init", init_message(offer, start, end), **ctx)
    total = quote["price"]["value"]
    answer = run("confirm", confirm_message(offer, start, end, total=total), **ctx)
    return answer, Booking.objects.get(pk=int(answer["order"]["id"]))


def codes_texted(booking) -> tuple[str, str]:
    body = Message.objects.filter(event="booking.codes", reference=f"booking:{booking.pk}").latest(
        "pk"
    )
    return tuple(re.findall(r"(?<![\d/:])\d{4}(?![\d/:])", body.body)[-2:])


# --- select ----------------------------------------------------------------------------------


def test_select_quotes_the_providers_own_price_with_no_platform_fee(electrician, slot):
    log_search(fee_type="percent", amount="3")
    start, end = slot
    answer = run("select", select_message(electrician, start, end))
    order = answer["order"]
    provider_id, item_id = ids(electrician)
    assert order["provider"]["id"] == provider_id
    assert order["items"][0]["id"] == item_id
    assert order["items"][0]["fulfillment_ids"] == ["F1"]
    quote = order["quote"]
    assert breakup_types(quote) == [
        ("Electrician", "item", "300.00"),
        ("Visiting charge", "misc", "50.00"),
    ]
    assert quote["price"] == {"currency": "INR", "value": "350.00"}
    assert quote["ttl"] == "P1D"
    # Zero commission: no convenience / platform fee line, the total is the provider's lines.
    assert not any("fee" in title.lower() for title, _, _ in breakup_types(quote))
    stop = order["fulfillments"][0]["stops"][0]
    assert stop["time"]["label"] == "confirmed"
    assert stop["time"]["range"] == {"start": format_timestamp(start), "end": format_timestamp(end)}
    assert order["fulfillments"][0]["state"]["descriptor"]["code"] == "Serviceable"
    payment = order["payments"][0]
    assert (payment["type"], payment["collected_by"]) == ("ON-FULFILLMENT", "BPP")
    # The buyer app's finder fee (from its search's BAP_Terms) is shown, not added to the price.
    assert tag(payment["tags"], "Buyer_Finder_Fee") == {
        "Buyer_Finder_Fee_Type": "percent",
        "Buyer_Finder_Fee_Amount": "3",
    }
    txn = OndcTransaction.objects.get(bap_id=BAP_ID, transaction_id="txn-1")
    assert (txn.state, txn.offer, txn.starts_at, txn.ends_at) == (
        T.SELECTED,
        electrician,
        start,
        end,
    )
    assert txn.quote["total"] == "350.00"
    assert not CalendarBlock.objects.exists()  # a quote holds nothing


def test_select_adds_gst_lines_for_a_registered_provider(slot):
    provider = ProviderFactory(gstin="09AAAAA0000A1Z5", offers=[("plumber", "400", "0")])
    offer = provider.offers.get()
    quote = run("select", select_message(offer, *slot))["order"]["quote"]
    assert breakup_types(quote) == [
        ("Plumber", "item", "400.00"),
        ("CGST 9%", "tax", "36.00"),
        ("SGST 9%", "tax", "36.00"),
    ]
    assert quote["price"]["value"] == "472.00"


def test_select_hours_are_priced_by_the_slots_length(day):
    provider = ProviderFactory(offers=[("babysitter", "150", "0")])
    from sevamitra.providers.tests.factories import police_document

    police_document(provider, timezone.localdate() + dt.timedelta(days=200))
    offer = provider.offers.get()
    start = local(day, "18:00")
    quote = run("select", select_message(offer, start, start + dt.timedelta(hours=2)))["order"][
        "quote"
    ]
    line = quote["breakup"][0]
    assert line["price"]["value"] == "300.00"
    assert line["item"]["price"]["value"] == "150.00"
    assert line["item"]["quantity"]["measure"] == {"unit": "hour", "value": "2"}


def test_finder_fee_from_the_buyers_payment_tag_wins(electrician, slot):
    log_search(amount="3")
    message = select_message(
        electrician,
        *slot,
        payment={
            "type": "ON-FULFILLMENT",
            "collected_by": "BPP",
            "tags": [
                {
                    "descriptor": {"code": "Buyer_Finder_Fee"},
                    "list": [
                        {"descriptor": {"code": "Buyer_Finder_Fee_Type"}, "value": "amount"},
                        {"descriptor": {"code": "Buyer_Finder_Fee_Amount"}, "value": "20"},
                    ],
                }
            ],
        },
    )
    payment = run("select", message)["order"]["payments"][0]
    assert tag(payment["tags"], "Buyer_Finder_Fee") == {
        "Buyer_Finder_Fee_Type": "amount",
        "Buyer_Finder_Fee_Amount": "20",
    }


@pytest.mark.parametrize(
    ("kind", "amount"), [("percent", "101"), ("percent", "-1"), ("bribe", "3"), ("amount", "x")]
)
def test_a_finder_fee_we_cannot_read_is_41001(electrician, slot, kind, amount):
    message = select_message(
        electrician,
        *slot,
        payment={
            "type": "ON-FULFILLMENT",
            "collected_by": "BPP",
            "tags": [
                {
                    "descriptor": {"code": "Buyer_Finder_Fee"},
                    "list": [
                        {"descriptor": {"code": "Buyer_Finder_Fee_Type"}, "value": kind},
                        {"descriptor": {"code": "Buyer_Finder_Fee_Amount"}, "value": amount},
                    ],
                }
            ],
        },
    )
    assert refused("select", message).code == mapping.FINDER_FEE_NOT_ACCEPTABLE == "41001"
    assert not OndcTransaction.objects.exists()


def test_select_of_a_taken_slot_is_90001_with_free_slots(electrician, slot, day):
    start, end = slot
    block(electrician.provider, start, end)
    error = refused("select", select_message(electrician, start, end))
    assert error.code == errors.SCHEDULE_NOT_AVAILABLE == "90001"
    order = error.callback_message["order"]
    stop = order["fulfillments"][0]["stops"][0]
    assert stop["time"]["label"] == "rejected"
    times = order["items"][0]["time"]["schedule"]["times"]
    assert len(times) == 5
    assert format_timestamp(start) not in times
    assert order["items"][0]["time"]["duration"] == "PT1H"
    # Every slot offered is really free: selecting it is quoted.
    first = dt.datetime.fromisoformat(times[0])
    answer = run("select", select_message(electrician, first, first + dt.timedelta(hours=1)))
    assert answer["order"]["quote"]["price"]["value"] == "350.00"


def test_select_without_a_slot_is_90003_listing_free_slots(electrician):
    error = refused("select", select_message(electrician))
    assert error.code == errors.SCHEDULE_NOT_PROVIDED == "90003"
    times = error.callback_message["order"]["items"][0]["time"]["schedule"]["times"]
    assert 1 <= len(times) <= 5
    now = timezone.now()
    for text in times:
        start = dt.datetime.fromisoformat(text)
        assert start > now
        answer = run("select", select_message(electrician, start, start + dt.timedelta(hours=1)))
        assert answer["order"]["quote"]["price"]["value"] == "350.00"


@pytest.mark.parametrize(
    ("when", "code"),
    [
        ("06:00", errors.SCHEDULE_NOT_AVAILABLE),  # before the provider's hours
        ("past", errors.SCHEDULE_NOT_AVAILABLE),
    ],
)
def test_select_of_an_impossible_slot_is_90001(electrician, day, when, code):
    start = local(day, "06:00") if when != "past" else timezone.now() - dt.timedelta(hours=3)
    error = refused("select", select_message(electrician, start, start + dt.timedelta(hours=1)))
    assert error.code == code
    assert not OndcTransaction.objects.exists()


def test_select_unknown_provider_item_and_far_place(electrician, slot):
    message = select_message(electrician, *slot)
    message["order"]["provider"]["id"] = "P999999"
    assert refused("select", message).code == errors.PROVIDER_NOT_FOUND
    message = select_message(electrician, *slot)
    message["order"]["items"][0]["id"] = "I999999"
    assert refused("select", message).code == errors.ITEM_NOT_FOUND
    message = select_message(electrician, *slot)
    stop = message["order"]["fulfillments"][0]["stops"][0]
    stop["location"] = {"gps": "25.317600,82.973900", "area_code": "221001"}  # Varanasi
    assert refused("select", message).code == errors.SERVICEABILITY_LOCATION
    message = select_message(electrician, *slot, count=2)
    assert refused("select", message).code == errors.INVALID_REQUEST
    assert not OndcTransaction.objects.exists()


def test_a_suspended_provider_is_not_taking_orders(electrician, slot):
    electrician.provider.is_active = False
    electrician.provider.save()
    assert refused("select", select_message(electrician, *slot)).code == mapping.MERCHANT_INACTIVE


# --- init ------------------------------------------------------------------------------------


def test_init_holds_the_slot_for_the_customer_found_or_registered_by_phone(electrician, slot):
    start, end = slot
    run("select", select_message(electrician, start, end))
    before = timezone.now()
    answer = run("init", init_message(electrician, start, end))
    customer = User.objects.get(phone=PHONE)
    assert customer.name == "Ravi Kumar"
    assert Role.CITIZEN in set(customer.role_grants.values_list("role", flat=True))
    hold = CalendarBlock.objects.get()
    assert (hold.kind, hold.held_by, hold.starts_at, hold.ends_at) == (
        BlockKind.HOLD,
        customer,
        start,
        end,
    )
    assert (
        before + dt.timedelta(minutes=10)
        <= hold.expires_at
        <= timezone.now() + dt.timedelta(minutes=10)
    )
    txn = OndcTransaction.objects.get()
    assert (txn.state, txn.hold, txn.customer) == (T.INITIALIZED, hold, customer)
    order = answer["order"]
    assert order["billing"]["phone"] == PHONE
    assert order["quote"]["price"]["value"] == "350.00"
    assert order["quote"]["ttl"] == "PT10M"  # as long as the hold
    payment = order["payments"][0]
    assert payment["params"] == {"amount": "350.00", "currency": "INR"}
    assert (payment["type"], payment["collected_by"], payment["status"]) == (
        "ON-FULFILLMENT",
        "BPP",
        "NOT-PAID",
    )
    assert tag(payment["tags"], "Buyer_Finder_Fee")["Buyer_Finder_Fee_Amount"] == "0"
    terms = order["cancellation_terms"]
    assert terms[0]["cancel_by"] == {"duration": "PT2H"}
    assert terms[0]["cancellation_fee"]["amount"]["value"] == "0.00"
    assert terms[1]["cancellation_fee"]["amount"]["value"] == "100.00"
    stop = order["fulfillments"][0]["stops"][0]
    assert stop["contact"]["phone"] == PHONE
    assert stop["location"]["address"] == "House 12, Lalbagh Road"


def test_init_again_keeps_one_hold_and_an_existing_citizen(electrician, slot, other_customer):
    start, end = slot
    run("select", select_message(electrician, start, end))
    run("init", init_message(electrician, start, end, phone=other_customer.phone))
    run("init", init_message(electrician, start, end, phone=other_customer.phone))
    assert CalendarBlock.objects.filter(kind=BlockKind.HOLD).count() == 1
    assert OndcTransaction.objects.get().customer == other_customer
    assert User.objects.filter(phone=other_customer.phone).count() == 1


def test_init_with_a_bad_phone_changes_nothing(electrician, slot):
    run("select", select_message(electrician, *slot))
    users = User.objects.count()
    error = refused("init", init_message(electrician, *slot, phone="12345"))
    assert error.code == errors.INVALID_REQUEST
    assert "contact.phone" in error.message
    assert User.objects.count() == users
    assert not CalendarBlock.objects.exists()
    assert OndcTransaction.objects.get().state == T.SELECTED


def test_slot_taken_between_select_and_init_is_90001(electrician, slot, other_customer):
    start, end = slot
    run("select", select_message(electrician, start, end))
    bookings.booking_create(
        offer=electrician,
        customer=other_customer,
        start=start,
        end=end,
        kind="visit",
        channel="web",
        address="Somewhere",
        acting_user=other_customer,
    )
    error = refused("init", init_message(electrician, start, end))
    assert error.code == errors.SCHEDULE_NOT_AVAILABLE
    assert error.callback_message["order"]["items"][0]["time"]["schedule"]["times"]
    assert not CalendarBlock.objects.filter(kind=BlockKind.HOLD).exists()


# --- confirm ---------------------------------------------------------------------------------


def test_confirm_books_on_the_one_calendar_and_gives_the_start_otp(electrician, slot):
    start, end = slot
    answer, booking = book(electrician, slot)
    order = answer["order"]
    customer = User.objects.get(phone=PHONE)
    assert (booking.channel, booking.status, booking.customer, booking.provider) == (
        "ondc",
        S.CONFIRMED,
        customer,
        electrician.provider,
    )
    assert (booking.starts_at, booking.ends_at, booking.total) == (start, end, Decimal("350.00"))
    assert booking.address == "House 12, Lalbagh Road, Lucknow, Uttar Pradesh, 226001"
    assert booking.pincode == AREA
    assert (booking.lat, booking.lng) == (26.85, 80.9462)
    # The hold became the booking's block: one block on the calendar.
    assert CalendarBlock.objects.get().kind == BlockKind.BOOKING
    assert order["id"] == str(booking.pk)
    assert order["status"] == "Accepted"  # the provider accepts automatically
    fulfillment = order["fulfillments"][0]
    assert fulfillment["state"]["descriptor"]["code"] == "Pending"
    start_stop, end_stop = fulfillment["stops"]
    assert start_stop["person"] == {"name": "Sunita Devi"}
    otp = end_stop["authorization"]
    assert (otp["type"], otp["status"]) == ("OTP", "valid")
    assert otp["token"] == codes_texted(booking)[0]  # the customer's start code
    assert otp["valid_to"] == format_timestamp(end)
    assert order["quote"]["price"]["value"] == "350.00"
    assert order["payments"][0]["status"] == "NOT-PAID"
    txn = OndcTransaction.objects.get()
    assert (txn.state, txn.booking, txn.hold) == (T.CONFIRMED, booking, None)
    assert txn.otp_sealed and codes_texted(booking)[0] not in txn.otp_sealed


def test_confirm_for_a_provider_who_accepts_by_hand_is_created(manual_electrician, slot):
    answer, booking = book(manual_electrician, slot)
    assert booking.status == S.REQUESTED
    assert answer["order"]["status"] == "Created"
    assert "authorization" not in answer["order"]["fulfillments"][0]["stops"][1]


def test_confirm_twice_is_the_same_order(electrician, slot):
    start, end = slot
    first, _booking = book(electrician, slot)
    again = run("confirm", confirm_message(electrician, start, end, total="350.00"))
    assert again["order"]["id"] == first["order"]["id"]
    assert Booking.objects.count() == 1
    assert Message.objects.filter(event="booking.codes").count() == 1


def test_confirm_without_init_is_31002(electrician, slot):
    start, end = slot
    error = refused("confirm", confirm_message(electrician, start, end, total="350.00"))
    assert error.code == errors.ORDER_VALIDATION_FAILURE == "31002"
    run("select", select_message(electrician, start, end))  # select, but no init
    error = refused("confirm", confirm_message(electrician, start, end, total="350.00"))
    assert error.code == errors.ORDER_VALIDATION_FAILURE
    assert "init" in error.message
    assert not Booking.objects.exists()


def test_confirm_before_init_is_nacked_at_once(electrician, slot):
    """The transport runs this precheck before ACKing: confirm before init is a NACK."""
    start, end = slot
    request = inbound("confirm", confirm_message(electrician, start, end, total="350.00"))
    check = PRECHECKS["confirm"]
    with pytest.raises(errors.OndcError) as caught:
        check("confirm", request.parsed)
    assert (caught.value.code, caught.value.type) == ("31002", errors.DOMAIN_ERROR)
    run("select", select_message(electrician, start, end))
    with pytest.raises(errors.OndcError):
        check("confirm", request.parsed)
    run("init", init_message(electrician, start, end))
    check("confirm", request.parsed)  # in order now
    run("confirm", confirm_message(electrician, start, end, total="350.00"))
    check("confirm", request.parsed)  # confirmed: a repeat is answered with the same order


def test_confirm_of_another_slot_or_price_than_initialized_is_31002(electrician, slot):
    start, end = slot
    run("select", select_message(electrician, start, end))
    run("init", init_message(electrician, start, end))
    later = start + dt.timedelta(hours=2)
    message = confirm_message(electrician, later, later + dt.timedelta(hours=1), total="350.00")
    assert refused("confirm", message).code == errors.ORDER_VALIDATION_FAILURE
    message = confirm_message(electrician, start, end, total="300.00")
    assert refused("confirm", message).code == errors.ORDER_VALIDATION_FAILURE
    assert not Booking.objects.exists()


def test_confirm_with_payment_collected_by_the_buyer_app_is_refused(electrician, slot):
    start, end = slot
    run("select", select_message(electrician, start, end))
    run("init", init_message(electrician, start, end))
    message = confirm_message(
        electrician,
        start,
        end,
        total="350.00",
        payment={"type": "PRE-FULFILLMENT", "collected_by": "BAP", "status": "PAID"},
    )
    assert refused("confirm", message).code == mapping.PAYMENT_TYPE_NOT_SUPPORTED
    assert not Booking.objects.exists()


def test_slot_taken_after_the_hold_expired_is_90001(electrician, slot, other_customer):
    start, end = slot
    run("select", select_message(electrician, start, end))
    run("init", init_message(electrician, start, end))
    CalendarBlock.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    bookings.booking_create(
        offer=electrician,
        customer=other_customer,
        start=start,
        end=end,
        kind="visit",
        channel="web",
        address="Somewhere",
        acting_user=other_customer,
    )
    error = refused("confirm", confirm_message(electrician, start, end, total="350.00"))
    assert error.code == errors.SCHEDULE_NOT_AVAILABLE
    assert list(Booking.objects.values_list("channel", flat=True)) == ["web"]
    assert OndcTransaction.objects.get().booking is None


def test_an_expired_hold_whose_slot_is_still_free_is_booked(electrician, slot):
    start, end = slot
    run("select", select_message(electrician, start, end))
    run("init", init_message(electrician, start, end))
    CalendarBlock.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    answer = run("confirm", confirm_message(electrician, start, end, total="350.00"))
    assert Booking.objects.get().pk == int(answer["order"]["id"])
    assert CalendarBlock.objects.get().kind == BlockKind.BOOKING


def test_select_after_confirm_is_refused(electrician, slot):
    book(electrician, slot)
    assert refused("select", select_message(electrician, *slot)).code == "31002"


# --- the booking is like any other ----------------------------------------------------------


def test_the_ondc_booking_shows_on_the_providers_dashboard_and_the_agents_console(
    client, manual_electrician, slot
):
    _answer, booking = book(manual_electrician, slot)
    client.force_login(manual_electrician.provider.user)
    response = client.get(reverse("providers:dashboard"))
    assert response.status_code == 200
    assert response.context["agenda"].requests == [booking]
    agent = user_with_roles(Role.AGENT, phone="9000000001")
    assert caller_bookings(agent=agent, caller=booking.customer).upcoming == [booking]


# --- status, track, update, cancel, rating, support ------------------------------------------


def test_status_answers_from_the_booking(electrician, slot):
    _answer, booking = book(electrician, slot)
    order = run("status", {"order_id": str(booking.pk)})["order"]
    assert (order["id"], order["status"]) == (str(booking.pk), "Accepted")
    assert (
        order["fulfillments"][0]["stops"][1]["authorization"]["token"] == codes_texted(booking)[0]
    )


def test_another_buyer_apps_order_is_not_found(electrician, slot):
    _answer, booking = book(electrician, slot)
    error = refused("status", {"order_id": str(booking.pk)}, bap_id="other.example.in")
    assert error.code == mapping.ORDER_NOT_FOUND
    assert refused("status", {"order_id": "x1"}).code == mapping.ORDER_NOT_FOUND


def test_track_says_tracking_is_not_enabled(electrician, slot):
    _answer, booking = book(electrician, slot)
    error = refused("track", {"order_id": str(booking.pk)})
    assert error.code == mapping.TRACKING_NOT_ENABLED == "40005"


def reschedule(booking, start, end) -> dict:
    return {
        "update_target": "fulfillments",
        "order": {
            "id": str(booking.pk),
            "fulfillments": [
                {
                    "id": "F1",
                    "type": "Home-Service",
                    "stops": [
                        {
                            "type": "end",
                            "time": {
                                "label": "selected",
                                "range": {
                                    "start": format_timestamp(start),
                                    "end": format_timestamp(end),
                                },
                            },
                        }
                    ],
                }
            ],
        },
    }


def test_update_reschedules_the_booking(electrician, slot):
    _answer, booking = book(electrician, slot)
    later = slot[0] + dt.timedelta(hours=3)
    order = run("update", reschedule(booking, later, later + dt.timedelta(hours=1)))["order"]
    booking.refresh_from_db()
    assert booking.starts_at == later
    assert CalendarBlock.objects.get().starts_at == later
    time = order["fulfillments"][0]["stops"][1]["time"]
    assert time["label"] == "confirmed"
    assert time["range"]["start"] == format_timestamp(later)


def test_update_to_a_taken_slot_is_90001_and_after_the_start_50002(electrician, slot):
    _answer, booking = book(electrician, slot)
    later = slot[0] + dt.timedelta(hours=3)
    block(electrician.provider, later, later + dt.timedelta(hours=1))
    error = refused("update", reschedule(booking, later, later + dt.timedelta(hours=1)))
    assert error.code == errors.SCHEDULE_NOT_AVAILABLE
    booking.refresh_from_db()
    assert booking.starts_at == slot[0]
    code = codes_texted(booking)[0]
    bookings.booking_start(booking=booking, code=code, acting_user=electrician.provider.user)
    other = slot[0] + dt.timedelta(hours=6)
    error = refused("update", reschedule(booking, other, other + dt.timedelta(hours=1)))
    assert error.code == errors.UPDATE_NOT_POSSIBLE == "50002"
    message = reschedule(booking, other, other + dt.timedelta(hours=1))
    message["update_target"] = "payments"
    assert refused("update", message).code == errors.UPDATE_NOT_POSSIBLE


def test_cancel_early_is_free(electrician, slot):
    _answer, booking = book(electrician, slot)
    answer = run("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancellation_fee) == (
        S.CANCELLED,
        "customer",
        Decimal("0.00"),
    )
    assert not CalendarBlock.objects.exists()
    order = answer["order"]
    assert order["status"] == "Cancelled"
    assert order["cancellation"] == {
        "cancelled_by": "CONSUMER",
        "reason": {"descriptor": {"code": "012"}},
    }
    assert order["quote"]["price"]["value"] == "0.00"
    assert order["fulfillments"][0]["state"]["descriptor"]["code"] == "Cancelled"
    assert OndcTransaction.objects.get().state == T.CANCELLED
    # Cancelling again answers the same.
    again = run("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})
    assert again["order"]["quote"] == order["quote"]


def test_cancel_late_charges_the_providers_fee_in_the_quote(electrician):
    provider = electrician.provider
    provider.free_cancellation_hours = 168  # a week: tomorrow is late
    provider.save()
    start = local(timezone.localdate() + dt.timedelta(days=1), "10:00")
    _answer, booking = book(electrician, (start, start + dt.timedelta(hours=1)))
    order = run("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})["order"]
    booking.refresh_from_db()
    assert booking.cancellation_fee == Decimal("100.00")
    assert breakup_types(order["quote"]) == [
        ("Electrician", "item", "300.00"),
        ("Electrician", "refund", "-300.00"),
        ("Visiting charge", "misc", "50.00"),
        ("Visiting charge", "refund", "-50.00"),
        ("Cancellation fee", "misc", "100.00"),
    ]
    assert order["quote"]["price"]["value"] == "100.00"
    assert order["payments"][0]["params"]["amount"] == "100.00"


def test_cancel_once_started_is_50001(electrician, slot):
    _answer, booking = book(electrician, slot)
    code = codes_texted(booking)[0]
    bookings.booking_start(booking=booking, code=code, acting_user=electrician.provider.user)
    error = refused("cancel", {"order_id": str(booking.pk), "cancellation_reason_id": "012"})
    assert error.code == errors.CANCELLATION_NOT_POSSIBLE == "50001"
    booking.refresh_from_db()
    assert booking.status == S.IN_PROGRESS


def finish(booking, provider):
    start, end = codes_texted(booking)
    bookings.booking_start(booking=booking, code=start, acting_user=provider.user)
    bookings.booking_finish(booking=booking, code=end, acting_user=provider.user)


def test_rating_is_stored_as_the_bookings_rating(electrician, slot):
    _answer, booking = book(electrician, slot)
    provider_id, _item = ids(electrician)
    rating = {"ratings": [{"rating_category": "Provider", "id": provider_id, "value": "4"}]}
    assert refused("rating", rating).code == mapping.BUSINESS_ERROR  # not done yet
    finish(booking, electrician.provider)
    assert run("rating", rating) == {}
    booking.refresh_from_db()
    assert booking.status == S.RATED
    assert list(booking.ratings.values_list("stars", flat=True)) == [4]
    electrician.provider.refresh_from_db()
    assert electrician.provider.rating_count == 21
    assert run("rating", rating) == {}  # the same again: answered again
    rating["ratings"][0]["value"] = "2"
    assert refused("rating", rating).code == mapping.BUSINESS_ERROR
    assert list(booking.ratings.values_list("stars", flat=True)) == [4]


@pytest.mark.parametrize(
    ("category", "value", "code"),
    [
        ("Provider", "6", mapping.INVALID_RATING),
        ("Provider", "3.5", mapping.INVALID_RATING),
        ("Support", "5", mapping.UNSUPPORTED_RATING_CATEGORY),
    ],
)
def test_bad_ratings_are_refused(electrician, slot, category, value, code):
    _answer, booking = book(electrician, slot)
    finish(booking, electrician.provider)
    rating = {"ratings": [{"rating_category": category, "id": str(booking.pk), "value": value}]}
    assert refused("rating", rating).code == code
    assert not booking.ratings.exists()


def test_support_gives_our_helpline(settings):
    settings.ONDC_SUPPORT_PHONE = "18001801234"
    settings.ONDC_SUPPORT_EMAIL = "help@sevamitra.example.gov.in"
    answer = run("support", {"support": {"ref_id": "42"}})
    assert answer == {
        "support": {
            "ref_id": "42",
            "phone": "18001801234",
            "callback_phone": "18001801234",
            "email": "help@sevamitra.example.gov.in",
        }
    }


def test_fixture_bodies_use_the_place_the_providers_serve():
    assert GPS.startswith("26.85")
