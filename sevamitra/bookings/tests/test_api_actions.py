"""HTTP-level tests of POST /api/v1/bookings/{id}/<action> and the previews shown before
acting: the life cycle, codes, money, ratings, substitutes; who may do each; every refusal."""

import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingStatus, Payment, Rating
from sevamitra.bookings.substitutes import provider_leave_mark
from sevamitra.bookings.tests.conftest import at
from sevamitra.bookings.tests.test_api import (
    BOOKINGS,
    EN,
    LOCMEM_BACKEND,
    book,
    client_for,
    english,
    error,
    post,
    slot,
)
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
S = BookingStatus


@pytest.fixture(autouse=True)
def _notifications(settings):
    settings.NOTIFICATIONS_BACKEND = LOCMEM_BACKEND


@pytest.fixture
def asha(customer):
    return client_for(customer)


@pytest.fixture
def agent():
    return user_with_roles(Role.AGENT)


@pytest.fixture
def auditor():
    return user_with_roles(Role.AUDITOR)


def url(booking_id: int, action: str) -> str:
    return f"{BOOKINGS}/{booking_id}/{action}"


@pytest.fixture
def provider_client(electrician):
    return client_for(english(electrician.provider.user))


@pytest.fixture
def booked(electrician, day, asha):
    """Asha's confirmed booking with the auto-accepting electrician (JSON, with codes)."""
    return book(asha, electrician, day)


def _wrong(code: str) -> str:
    return "0000" if code != "0000" else "1111"


# --- the whole life cycle -------------------------------------------------------------------


def test_request_accept_codes_start_finish_pay_rate(manual_electrician, day, customer, asha):
    provider = client_for(manual_electrician.provider.user)
    booking_id = book(asha, manual_electrician, day)["id"]

    assert error(post(asha, url(booking_id, "accept")), 403)["code"] == "permission_denied"
    accepted = post(provider, url(booking_id, "accept"))
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "confirmed"
    assert "codes" not in accepted.json()  # they went to the customer by SMS

    assert error(post(provider, url(booking_id, "codes")), 403)["code"] == "permission_denied"
    issued = post(asha, url(booking_id, "codes"))
    assert issued.status_code == 200
    codes = issued.json()["codes"]
    assert issued.json()["booking_id"] == booking_id

    assert post(provider, url(booking_id, "en-route")).json()["status"] == "en_route"
    wrong = post(provider, url(booking_id, "start"), {"code": _wrong(codes["start"])}, **EN)
    # The provider's language is their preference (Hindi), whatever the header says.
    assert error(wrong, 400) == {
        "code": "wrong_code",
        "field": "code",
        "message": "गलत कोड। 4 कोशिशें बाकी हैं।",
    }
    assert (
        post(provider, url(booking_id, "start"), {"code": codes["start"]}).json()["status"]
        == "in_progress"
    )
    assert (
        post(provider, url(booking_id, "finish"), {"code": codes["end"]}).json()["status"]
        == "completed"
    )

    mismatch = post(asha, url(booking_id, "payments"), {"method": "upi", "amount": "249.99"})
    assert error(mismatch, 400) | {"message": ""} == {
        "code": "payment_amount_mismatch",
        "field": "amount",
        "message": "",
    }
    assert not Payment.objects.exists()
    paid = post(
        provider, url(booking_id, "payments"), {"method": "cash", "amount": 250, "reference": ""}
    )
    assert paid.status_code == 201, paid.content
    assert {k: paid.json()[k] for k in ("method", "amount", "status")} == {
        "method": "cash",
        "amount": "250.00",
        "status": "paid",
    }
    again = post(asha, url(booking_id, "payments"), {"method": "cash", "amount": "250"})
    assert error(again, 400)["code"] == "already_paid"

    rated = post(asha, url(booking_id, "ratings"), {"stars": 4, "text": "समय पर आए"})
    assert rated.status_code == 201
    assert (rated.json()["direction"], rated.json()["stars"]) == ("customer", 4)
    assert (
        error(post(asha, url(booking_id, "ratings"), {"stars": 5}), 400)["code"] == "already_rated"
    )
    assert (
        post(provider, url(booking_id, "ratings"), {"stars": 5}).json()["direction"] == "provider"
    )
    assert asha.get(f"{BOOKINGS}/{booking_id}").json()["status"] == "rated"
    assert Rating.objects.count() == 2


def test_a_wrong_code_counts_and_too_many_tries_lock(booked, provider_client, asha, settings):
    settings.BOOKING_CODE_MAX_ATTEMPTS = 2
    booking_id, codes = booked["id"], booked["codes"]
    post(provider_client, url(booking_id, "en-route"))

    first = post(provider_client, url(booking_id, "start"), {"code": _wrong(codes["start"])})
    second = post(provider_client, url(booking_id, "start"), {"code": _wrong(codes["start"])})
    locked = post(provider_client, url(booking_id, "start"), {"code": codes["start"]})

    assert error(first, 400) == {
        "code": "wrong_code",
        "field": "code",
        "message": "Wrong code. 1 tries left.",
    }
    assert error(second, 400)["message"] == "Wrong code. 0 tries left."
    assert error(locked, 423) == {
        "code": "too_many_tries",
        "message": "Too many wrong codes. The customer can get new codes.",
    }
    assert Booking.objects.get(pk=booking_id).status == S.EN_ROUTE
    new_codes = post(asha, url(booking_id, "codes")).json()["codes"]
    started = post(provider_client, url(booking_id, "start"), {"code": new_codes["start"]})
    assert started.json()["status"] == "in_progress"


def test_a_code_is_required(booked, provider_client):
    response = post(provider_client, url(booked["id"], "start"), {})

    assert error(response, 400) == {
        "code": "required",
        "field": "code",
        "message": "code is required.",
    }


@pytest.mark.parametrize(
    ("action", "payload"),
    [("accept", {}), ("decline", {"reason": "busy"}), ("finish", {"code": "1234"})],
)
def test_an_illegal_transition_is_409_and_changes_nothing(booked, provider_client, action, payload):
    response = post(provider_client, url(booked["id"], action), payload)

    body = error(response, 409)
    assert body["code"] == "illegal_transition"
    assert Booking.objects.get(pk=booked["id"]).status == S.CONFIRMED


def test_illegal_transition_message_in_hindi(booked, electrician):
    provider = client_for(electrician.provider.user)
    Booking.objects.filter(pk=booked["id"]).update(status=S.CANCELLED, cancelled_by="system")

    body = error(post(provider, url(booked["id"], "en-route")), 409)

    assert body["code"] == "illegal_transition"
    assert "“" in body["message"] and "Cancelled" not in body["message"]


# --- declining passes the request on --------------------------------------------------------


def test_a_declined_request_goes_to_the_next_provider(manual_electrician, day, asha):
    other = ProviderFactory(auto_accept=True, offers=[("electrician", "280", "0")])
    booking_id = book(asha, manual_electrician, day)["id"]
    provider = client_for(manual_electrician.provider.user)

    response = post(provider, url(booking_id, "decline"), {"reason": "दूसरा काम"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    mine = asha.get(BOOKINGS).json()["results"]
    assert [(b["status"], b["provider"]["id"], b["replaces_id"]) for b in mine] == [
        ("confirmed", other.pk, booking_id),
        ("declined", manual_electrician.provider_id, None),
    ]


# --- cancelling -----------------------------------------------------------------------------


@pytest.fixture
def soon(electrician, asha):
    """A booking two days from now with a provider whose free cancellation ends 100 hours
    before: cancelling now costs the ₹100 fee."""
    Provider.objects.filter(pk=electrician.provider_id).update(free_cancellation_hours=100)
    electrician.provider.refresh_from_db()
    return book(asha, electrician, timezone.localdate() + dt.timedelta(days=2))


def test_the_fee_is_shown_before_the_customer_cancels(soon, asha):
    preview = asha.get(url(soon["id"], "cancellation-fee"))

    assert preview.status_code == 200
    assert preview.json() == {
        "booking_id": soon["id"],
        "cancellable": True,
        "fee": "100.00",
        "currency": "INR",
        "terms": soon["terms"],
    }
    cancelled = post(asha, url(soon["id"], "cancel"), {"reason": "plans changed"})
    assert cancelled.status_code == 200
    assert {
        k: cancelled.json()[k]
        for k in ("status", "cancelled_by", "cancellation_fee", "cancel_reason")
    } == {
        "status": "cancelled",
        "cancelled_by": "customer",
        "cancellation_fee": "100.00",
        "cancel_reason": "plans changed",
    }
    after = asha.get(url(soon["id"], "cancellation-fee")).json()
    assert after["cancellable"] is False


def test_far_enough_ahead_cancelling_is_free(booked, asha):
    assert asha.get(url(booked["id"], "cancellation-fee")).json()["fee"] == "0.00"


def test_the_provider_cancels_at_no_cost_to_the_customer(soon, electrician):
    provider = client_for(electrician.provider.user)

    body = post(provider, url(soon["id"], "cancel"), {"reason": "बीमार"}).json()

    assert (body["cancelled_by"], body["cancellation_fee"]) == ("provider", "0.00")
    assert Provider.objects.get(pk=electrician.provider_id).cancelled_by_provider_count == 1


def test_an_agent_cancels_for_the_customer(booked, agent):
    body = post(client_for(agent), url(booked["id"], "cancel"), {"reason": "caller asked"}).json()

    assert (body["status"], body["cancelled_by"]) == ("cancelled", "customer")


def test_a_cancellation_needs_a_reason_and_nothing_changes(booked, asha):
    response = post(asha, url(booked["id"], "cancel"), {"reason": "  "})

    assert error(response, 400)["code"] == "reason_required"
    assert Booking.objects.get(pk=booked["id"]).status == S.CONFIRMED


def test_another_citizen_cannot_cancel_or_preview(booked):
    stranger = client_for(UserFactory())

    assert error(post(stranger, url(booked["id"], "cancel"), {"reason": "x"}), 404)
    assert error(stranger.get(url(booked["id"], "cancellation-fee")), 404)
    assert Booking.objects.get(pk=booked["id"]).status == S.CONFIRMED


# --- rescheduling and no-shows --------------------------------------------------------------


def test_reschedule_moves_and_reprices(babysitter, day, asha):
    booking_id = book(asha, babysitter, day, "18:00", "19:00")["id"]

    response = post(asha, url(booking_id, "reschedule"), slot(day, "16:00", "19:00"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["starts_at"], body["total"]) == (at(day, "16:00").isoformat(), "450.00")


def test_reschedule_onto_taken_time_offers_alternatives_and_keeps_the_booking(
    electrician, day, asha
):
    booking_id = book(asha, electrician, day)["id"]
    book(client_for(UserFactory()), electrician, day, "14:00", "15:00")

    body = error(post(asha, url(booking_id, "reschedule"), slot(day, "14:30", "15:30")), 409)

    assert body["code"] == "slot_taken"
    assert len(body["alternatives"]) == 3
    booking = Booking.objects.get(pk=booking_id)
    assert (booking.starts_at, booking.block.starts_at) == (at(day, "10:00"), at(day, "10:00"))


def test_reschedule_by_the_provider_is_403(booked, provider_client, day):
    response = post(provider_client, url(booked["id"], "reschedule"), slot(day, "12:00", "13:00"))

    assert error(response, 403)["code"] == "permission_denied"


def test_no_show_only_after_the_grace_period(booked, asha, electrician):
    too_early = post(asha, url(booked["id"], "no-show"))
    assert error(too_early, 400) == {
        "code": "too_early",
        "message": "सेवामित्र के न आने की शिकायत शुरू होने के समय के 30 मिनट बाद कर सकते हैं।",
    }
    now = timezone.now()
    Booking.objects.filter(pk=booked["id"]).update(
        starts_at=now - dt.timedelta(hours=1), ends_at=now
    )

    response = post(asha, url(booked["id"], "no-show"))

    assert response.json()["status"] == "no_show"
    assert Provider.objects.get(pk=electrician.provider_id).no_show_count == 1


# --- payments and ratings refusals ----------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"method": "bitcoin", "amount": "350"}, "method", "invalid_choice"),
        ({"method": "cash"}, "amount", "required"),
        ({"method": "cash", "amount": "3.505"}, "amount", "invalid_amount"),
        ({"method": "cash", "amount": "NaN"}, "amount", "invalid_amount"),
        ({"method": "cash", "amount": "1e400"}, "amount", "invalid_amount"),
        ({"method": "cash", "amount": -5}, "amount", "invalid_amount"),
    ],
)
def test_bad_payments_are_400(booked, asha, payload, field, code):
    body = error(post(asha, url(booked["id"], "payments"), payload), 400)

    assert (body["field"], body["code"]) == (field, code)


def test_nothing_is_due_before_completion(booked, asha):
    response = post(asha, url(booked["id"], "payments"), {"method": "cash", "amount": "350"})

    assert error(response, 409)["code"] == "illegal_transition"


@pytest.mark.parametrize(
    ("stars", "status", "code"),
    [
        (0, 400, "invalid_stars"),
        (6, 400, "invalid_stars"),
        ("five", 400, "invalid_number"),
        (True, 400, "invalid_number"),
    ],
)
def test_stars_are_1_to_5(booked, asha, stars, status, code):
    Booking.objects.filter(pk=booked["id"]).update(status=S.COMPLETED)

    assert error(post(asha, url(booked["id"], "ratings"), {"stars": stars}), status)["code"] == code


def test_rating_before_completion_is_refused(booked, asha):
    response = post(asha, url(booked["id"], "ratings"), {"stars": 5})

    assert error(response, 409)["code"] == "illegal_transition"


# --- substitutes ----------------------------------------------------------------------------


def test_leave_then_the_customer_picks_a_substitute(electrician, day, asha, customer):
    booking_id = book(asha, electrician, day)["id"]
    substitute = ProviderFactory(auto_accept=True, offers=[("electrician", "320", "0")])
    provider_leave_mark(
        provider=electrician.provider,
        starts_on=day,
        ends_on=day,
        reason="शादी",
        acting_user=electrician.provider.user,
    )

    listed = asha.get(url(booking_id, "substitutes"))
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert [(r["provider"]["id"], r["price"], r["pricing_unit"]) for r in results] == [
        (substitute.pk, "320.00", "visit")
    ]

    taken = post(asha, url(booking_id, "substitute"), {"offer_id": results[0]["offer_id"]})
    assert taken.status_code == 201, taken.content
    assert (taken.json()["provider"]["id"], taken.json()["replaces_id"]) == (
        substitute.pk,
        booking_id,
    )
    again = post(asha, url(booking_id, "substitute"), {"offer_id": results[0]["offer_id"]})
    assert error(again, 400)["code"] == "already_replaced"


def test_a_substitute_only_when_the_provider_cancelled(booked, asha, electrician):
    other = ProviderFactory(auto_accept=True, offers=[("electrician", "320", "0")])

    response = post(asha, url(booked["id"], "substitute"), {"offer_id": other.offers.get().pk})

    assert error(response, 400)["code"] == "no_substitute_needed"
    missing = post(asha, url(booked["id"], "substitute"), {"offer_id": 10**9})
    assert error(missing, 404)["code"] == "not_found"


# --- auditors and strangers -----------------------------------------------------------------

ACTIONS = [
    "accept",
    "decline",
    "en-route",
    "start",
    "finish",
    "cancel",
    "reschedule",
    "no-show",
    "codes",
    "payments",
    "ratings",
    "substitute",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_an_auditor_cannot_act(booked, auditor, action, day):
    payload = {
        "reason": "x",
        "code": booked["codes"]["start"],
        "method": "cash",
        "amount": "350",
        "stars": 5,
        "offer_id": 1,
        **slot(day, "12:00", "13:00"),
    }

    response = post(client_for(auditor), url(booked["id"], action), payload)

    assert error(response, 403)["code"] == "permission_denied"
    booking = Booking.objects.get(pk=booked["id"])
    assert (booking.status, booking.starts_at, booking.events.count()) == (
        S.CONFIRMED,
        at(day, "10:00"),
        1,
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stranger_gets_404_for_every_action(booked, action):
    response = post(client_for(UserFactory()), url(booked["id"], action), {"reason": "x"})

    assert error(response, 404)["code"] == "not_found"
    assert Booking.objects.get(pk=booked["id"]).events.count() == 1


@pytest.mark.parametrize("read", ["cancellation-fee", "substitutes", ""])
def test_anonymous_reads_nothing(booked, read):
    from django.test import Client

    path = url(booked["id"], read).rstrip("/")
    assert error(Client().get(path), 401)["code"] == "not_authenticated"


def test_services_keep_the_customer_and_provider_apart(booked, electrician):
    """The provider may not ask for codes nor report a no-show on their own booking."""
    provider = client_for(electrician.provider.user)
    for action in ("codes", "no-show"):
        assert error(post(provider, url(booked["id"], action)), 403)["code"] == (
            "permission_denied"
        )
    services_booking = Booking.objects.get(pk=booked["id"])
    assert services_booking.status == S.CONFIRMED
    assert services.cancellation_fee_preview(booking=services_booking) == 0
