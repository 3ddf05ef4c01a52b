"""HTTP-level tests of /api/v1/quotes, /holds and /bookings: who may book, see and list what,
every refusal as a 4xx JSON error, in Hindi by default and English on request.

Helpers and fixtures here are shared by the other test_api_*.py files.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.tests.conftest import at
from sevamitra.notifications.backends import locmem
from sevamitra.providers.models import (
    BlockKind,
    CalendarBlock,
    Leave,
    Provider,
    VerificationStatus,
)
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
S = BookingStatus

QUOTES = "/api/v1/quotes"
HOLDS = "/api/v1/holds"
BOOKINGS = "/api/v1/bookings"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ADDRESS = "12, Hazratganj, Lucknow"
LOCMEM_BACKEND = "sevamitra.notifications.backends.locmem.Backend"


@pytest.fixture(autouse=True)
def _locmem_notifications(settings):
    """Notifications are only queued unless the worker runs; if delivered, then here."""
    settings.NOTIFICATIONS_BACKEND = LOCMEM_BACKEND
    locmem.clear()
    yield
    locmem.clear()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def english(user: User) -> User:
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    user.preferred_language = "en"
    return user


def post(client: Client, url: str, payload=None, **extra):  # type: ignore[no-untyped-def]
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload or {})
    return client.post(url, body, content_type="application/json", **extra)


def slot(day: dt.date, start: str = "10:00", end: str = "11:00") -> dict[str, str]:
    return {"start": at(day, start).isoformat(), "end": at(day, end).isoformat()}


def offer_slot(offer, day, start="10:00", end="11:00") -> dict:  # type: ignore[no-untyped-def]
    return {
        "provider_id": offer.provider_id,
        "category": offer.category.slug,
        **slot(day, start, end),
    }


def booking_payload(offer, day, start="10:00", end="11:00", **extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        **offer_slot(offer, day, start, end),
        "kind": "visit",
        "address": ADDRESS,
        "pincode": "226001",
        **extra,
    }


def book(client, offer, day, start="10:00", end="11:00", **extra):  # type: ignore[no-untyped-def]
    """Book through the API; returns the booking's JSON."""
    response = post(client, BOOKINGS, booking_payload(offer, day, start, end, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.fixture
def asha(customer):  # type: ignore[no-untyped-def]
    return client_for(customer)


@pytest.fixture
def agent():
    return user_with_roles(Role.AGENT, name="Agent Kavita")


@pytest.fixture
def auditor():
    return user_with_roles(Role.AUDITOR)


# --- quotes ---------------------------------------------------------------------------------


def test_a_quote_is_public_and_adds_nothing_to_the_providers_price(electrician, day):
    response = post(Client(), QUOTES, offer_slot(electrician, day), **EN)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == "350.00"
    assert body["provider"] == {
        "id": electrician.provider_id,
        "display_name": "Sunita Devi",
        "photo_url": None,
    }
    assert body["category"] == {"slug": "electrician", "name": "Electrician"}
    assert body["start"] == at(day, "10:00").isoformat()
    assert body["start"].endswith("+05:30")
    assert [(line["code"], line["label"], line["amount"]) for line in body["quote"]["lines"]] == [
        ("service", "Service", "300.00"),
        ("visiting_charge", "Visiting charge", "50.00"),
    ]
    assert body["quote"]["total"] == "350.00"


def test_a_quote_with_a_discount(electrician, day):
    response = post(Client(), QUOTES, {**offer_slot(electrician, day), "discount": "50.50"})

    assert response.json()["total"] == "299.50"
    assert response.json()["quote"]["lines"][-1]["amount"] == "-50.50"


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ("outside_hours", 409, "outside_hours", None),
        ("leave", 409, "provider_on_leave", None),
        ("suspended", 409, "provider_not_verified", None),
        ("past", 400, "slot_in_past", "start"),
        ("discount", 400, "invalid_discount", "discount"),
        ("unknown_provider", 404, "not_found", None),
        ("unknown_category", 404, "not_found", None),
    ],
)
def test_quote_refusals(electrician, day, change, status, code, field):
    payload = offer_slot(electrician, day)
    provider = electrician.provider
    if change == "outside_hours":
        payload.update(slot(day, "19:30", "20:30"))
    elif change == "leave":
        Leave.objects.create(provider=provider, starts_on=day, ends_on=day)
    elif change == "suspended":
        Provider.objects.filter(pk=provider.pk).update(
            verification_status=VerificationStatus.SUSPENDED
        )
    elif change == "past":
        payload.update(slot(day - dt.timedelta(days=7)))
    elif change == "discount":
        payload["discount"] = "351"
    elif change == "unknown_provider":
        payload["provider_id"] = provider.pk + 1000
    else:
        payload["category"] = "plumber"

    body = error(post(Client(), QUOTES, payload, **EN), status)

    assert body["code"] == code
    assert body.get("field") == field


def test_errors_are_in_hindi_by_default_and_in_english_on_request(electrician, day):
    payload = {**offer_slot(electrician, day), **slot(day, "19:30", "20:30")}

    hindi = post(Client(), QUOTES, payload)
    english_ = post(Client(), QUOTES, payload, **EN)

    assert hindi["Content-Language"] == "hi"
    assert error(hindi, 409) == {
        "code": "outside_hours",
        "message": "यह सेवामित्र इस समय काम नहीं करते।",
    }
    assert english_["Content-Language"] == "en"
    assert error(english_, 409) == {
        "code": "outside_hours",
        "message": "This Sevamitra does not work at this time.",
    }


def test_a_signed_in_users_language_is_their_preference(electrician, day, customer):
    payload = booking_payload(electrician, day, "19:30", "20:30")

    as_hindi_user = post(client_for(customer), BOOKINGS, payload, **EN)
    as_english_user = post(client_for(english(UserFactory())), BOOKINGS, payload)

    assert error(as_hindi_user, 409)["message"] == "यह सेवामित्र इस समय काम नहीं करते।"
    assert error(as_english_user, 409)["message"] == "This Sevamitra does not work at this time."


# --- holds ----------------------------------------------------------------------------------


def test_a_hold_keeps_the_slot_then_becomes_the_booking(electrician, day, customer, asha, settings):
    before = timezone.now()
    response = post(asha, HOLDS, offer_slot(electrician, day))

    assert response.status_code == 201, response.content
    hold = response.json()
    assert set(hold) == {"id", "provider_id", "start", "end", "expires_at"}
    expires = dt.datetime.fromisoformat(hold["expires_at"])
    assert expires >= before + dt.timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    assert hold["start"] == at(day, "10:00").isoformat()

    other = client_for(UserFactory())
    taken = post(other, BOOKINGS, booking_payload(electrician, day))
    assert error(taken, 409)["code"] == "slot_taken"

    booking = book(asha, electrician, day, hold_id=hold["id"])
    assert Booking.objects.get(pk=booking["id"]).block_id == hold["id"]
    again = post(asha, BOOKINGS, booking_payload(electrician, day, hold_id=hold["id"]))
    assert error(again, 409)["code"] == "hold_invalid"


def test_a_hold_can_be_given_back_only_by_its_holder(electrician, day, asha):
    hold_id = post(asha, HOLDS, offer_slot(electrician, day)).json()["id"]
    url = f"{HOLDS}/{hold_id}"

    assert error(client_for(UserFactory()).delete(url), 404)["code"] == "not_found"
    response = asha.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert not CalendarBlock.objects.filter(pk=hold_id).exists()
    assert error(asha.delete(url), 404)["code"] == "not_found"


def test_someone_elses_hold_cannot_be_booked(electrician, day, asha):
    hold_id = post(asha, HOLDS, offer_slot(electrician, day)).json()["id"]
    other = client_for(UserFactory())

    response = post(other, BOOKINGS, booking_payload(electrician, day, hold_id=hold_id))

    assert error(response, 404)["code"] == "not_found"
    assert not Booking.objects.exists()


def test_an_agent_holds_for_a_caller(electrician, day, agent):
    response = post(
        client_for(agent),
        HOLDS,
        {**offer_slot(electrician, day), "customer_phone": "+91 98390 11111"},
    )

    assert response.status_code == 201, response.content
    hold = CalendarBlock.objects.get(pk=response.json()["id"])
    assert (hold.kind, hold.held_by.phone) == (BlockKind.HOLD, "9839011111")


# --- creating bookings ----------------------------------------------------------------------


def test_an_auto_accepting_provider_confirms_at_once_with_codes(electrician, day, customer, asha):
    response = post(asha, BOOKINGS, booking_payload(electrician, day, notes="गेट नंबर 2"))

    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert body["id"] == booking.pk
    assert (body["status"], body["status_label"]) == ("confirmed", "पक्की")
    assert body["kind"] == "visit"
    assert body["channel"] == "web"
    assert body["category"]["slug"] == "electrician"
    assert body["provider"] == {
        "id": electrician.provider_id,
        "display_name": "सुनीता देवी",
        "photo_url": None,
    }
    assert body["customer"] == {"name": "Asha", "phone_masked": f"XXXXXX{customer.phone[-4:]}"}
    assert body["starts_at"] == at(day, "10:00").isoformat()
    assert body["ends_at"].endswith("+05:30")
    assert (body["address"], body["pincode"], body["notes"]) == (ADDRESS, "226001", "गेट नंबर 2")
    assert body["total"] == "350.00"
    assert body["quote"]["total"] == "350.00"
    assert body["terms"] == {
        "free_cancellation_hours": 2,
        "cancellation_fee": "100.00",
        "included": "",
    }
    assert (body["cancellation_fee"], body["accept_deadline"]) == (None, None)
    assert (body["series_id"], body["replaces_id"]) == (None, None)
    codes = body["codes"]
    assert len(codes["start"]) == 4 and codes["start"].isdigit()
    assert len(codes["end"]) == 4 and codes["end"].isdigit()
    assert customer.phone not in response.content.decode()


def test_a_manual_provider_gets_a_request_with_a_deadline(manual_electrician, day, asha):
    body = book(asha, manual_electrician, day)

    assert body["status"] == "requested"
    assert "codes" not in body
    deadline = dt.datetime.fromisoformat(body["accept_deadline"])
    assert timezone.now() < deadline <= timezone.now() + dt.timedelta(minutes=30)


def test_slot_taken_offers_the_three_nearest_free_times(electrician, day, asha):
    book(asha, electrician, day)
    other = client_for(english(UserFactory()))

    body = error(post(other, BOOKINGS, booking_payload(electrician, day)), 409)

    assert body["code"] == "slot_taken"
    assert body["message"] == "This time is no longer free."
    assert [alt["start"] for alt in body["alternatives"]] == [
        at(day, "08:00").isoformat(),
        at(day, "08:30").isoformat(),
        at(day, "11:30").isoformat(),
    ]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("outside_hours", "outside_hours"),
        ("leave", "provider_on_leave"),
        ("pending", "provider_not_verified"),
    ],
)
def test_refusals_before_the_calendar_write_nothing(electrician, day, asha, change, code):
    start, end = "10:00", "11:00"
    if change == "outside_hours":
        start, end = "19:30", "20:30"
    elif change == "leave":
        Leave.objects.create(provider=electrician.provider, starts_on=day, ends_on=day)
    else:
        Provider.objects.filter(pk=electrician.provider_id).update(
            verification_status=VerificationStatus.PENDING
        )

    response = post(asha, BOOKINGS, booking_payload(electrician, day, start, end))

    assert error(response, 409)["code"] == code
    assert not Booking.objects.exists()
    assert not CalendarBlock.objects.exists()


def test_missing_fields_are_all_named():
    someone = client_for(english(UserFactory()))

    response = post(someone, BOOKINGS, {"lat": "north", "pincode": "012345"})

    body = response.json()
    assert response.status_code == 400
    assert body["error"] == {
        "code": "required",
        "field": "provider_id",
        "message": "provider_id is required.",
    }
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("provider_id", "required"),
        ("category", "required"),
        ("start", "required"),
        ("end", "required"),
        ("kind", "required"),
        ("address", "required"),
        ("pincode", "invalid_pincode"),
        ("lat", "invalid_number"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("start", "tomorrow at ten", "invalid_datetime"),
        ("start", 1700000000, "invalid_datetime"),
        ("provider_id", "seven", "invalid_number"),
        ("provider_id", 10**30, "invalid_number"),
        ("provider_id", True, "invalid_number"),
        ("address", ["x"], "invalid"),
        ("notes", "a\x00b", "invalid"),
        ("lng", float("inf"), "invalid_number"),
        ("customer_phone", "12345", "invalid_phone"),
        ("kind", "picnic", "invalid_kind"),
    ],
)
def test_a_malformed_field_is_named(electrician, day, asha, field, value, code):
    payload = {**booking_payload(electrician, day), field: value}
    body = json.dumps(payload, allow_nan=True)

    response = post(asha, BOOKINGS, body)

    assert error(response, 400) | {"message": ""} == {"code": code, "field": field, "message": ""}
    assert not Booking.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b"null", b"[" * 100_000])
def test_a_body_that_is_not_a_json_object_is_400(asha, body):
    response = post(asha, BOOKINGS, body)

    assert error(response, 400)["code"] == "bad_json"


def test_unknown_provider_or_category_is_404(electrician, day, asha):
    for change in ({"provider_id": electrician.provider_id + 99}, {"category": "no-such"}):
        response = post(asha, BOOKINGS, {**booking_payload(electrician, day), **change})
        assert error(response, 404)["code"] == "not_found"


def test_anonymous_gets_401_json(electrician, day):
    response = post(Client(), BOOKINGS, booking_payload(electrician, day), **EN)

    assert error(response, 401) == {"code": "not_authenticated", "message": "Please sign in first."}
    assert error(Client().get(BOOKINGS), 401) == {
        "code": "not_authenticated",
        "message": "कृपया पहले साइन इन करें।",
    }


def test_a_post_without_the_csrf_token_is_refused(electrician, day, customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)

    response = post(browser, BOOKINGS, booking_payload(electrician, day))

    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_a_wrong_method_is_405_json(asha):
    response = asha.put(BOOKINGS, "{}", content_type="application/json")

    assert error(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, POST"


# --- agents book for callers ----------------------------------------------------------------


def test_an_agent_books_for_a_new_caller_by_phone(electrician, day, agent):
    body = book(client_for(agent), electrician, day, customer_phone="098390 22222")

    caller = User.objects.get(phone="9839022222")
    booking = Booking.objects.get(pk=body["id"])
    assert (booking.customer, booking.created_by, booking.channel) == (caller, agent, "phone")
    assert body["channel"] == "phone"
    assert body["customer"]["phone_masked"] == "XXXXXX2222"
    assert set(body["codes"]) == {"start", "end"}  # the agent reads them to the caller
    assert caller.role_grants.filter(role=Role.CITIZEN).exists()


def test_an_agent_books_for_an_existing_caller(electrician, day, agent, customer):
    body = book(client_for(agent), electrician, day, customer_phone=customer.phone)

    assert Booking.objects.get(pk=body["id"]).customer == customer
    assert User.objects.filter(phone=customer.phone).count() == 1


def test_a_refused_booking_for_a_new_caller_leaves_no_account(electrician, day, agent):
    response = post(
        client_for(agent),
        BOOKINGS,
        booking_payload(electrician, day, "19:30", "20:30", customer_phone="9839033333"),
    )

    assert error(response, 409)["code"] == "outside_hours"
    assert not User.objects.filter(phone="9839033333").exists()


def test_a_citizen_cannot_book_for_someone_else(electrician, day, asha, customer):
    response = post(asha, BOOKINGS, booking_payload(electrician, day, customer_phone="9839044444"))

    assert error(response, 403)["code"] == "permission_denied"
    assert not User.objects.filter(phone="9839044444").exists()
    # Their own number is fine.
    assert book(asha, electrician, day, customer_phone=customer.phone)["channel"] == "web"


# --- seeing bookings ------------------------------------------------------------------------


@pytest.fixture
def two_customers_bookings(electrician, day, customer):
    """Asha's booking at 10:00 and Bela's at 14:00 with the same electrician."""
    bela = UserFactory(name="Bela")
    mine = book(client_for(customer), electrician, day)
    hers = book(client_for(bela), electrician, day, "14:00", "15:00")
    return bela, mine["id"], hers["id"]


def test_a_citizen_sees_only_their_bookings(two_customers_bookings, asha):
    _bela, mine, hers = two_customers_bookings

    listed = asha.get(BOOKINGS).json()
    assert [b["id"] for b in listed["results"]] == [mine]
    assert (listed["as"], listed["has_more"]) == ("customer", False)
    assert asha.get(f"{BOOKINGS}/{mine}").status_code == 200
    assert error(asha.get(f"{BOOKINGS}/{hers}"), 404)["code"] == "not_found"
    assert error(asha.get(f"{BOOKINGS}/{hers + 1000}"), 404)["code"] == "not_found"
    assert error(asha.get(f"{BOOKINGS}/{10**25}"), 404)["code"] == "not_found"
    refused = post(asha, f"{BOOKINGS}/{hers}/cancel", {"reason": "not mine"})
    assert error(refused, 404)["code"] == "not_found"
    assert Booking.objects.get(pk=hers).status == S.CONFIRMED


def test_a_provider_sees_only_theirs_and_no_codes_or_numbers(
    two_customers_bookings, electrician, day, customer
):
    _bela, mine, hers = two_customers_bookings
    other_provider = ProviderFactory(auto_accept=True, offers=[("plumber", "200", "0")])
    elsewhere = book(client_for(UserFactory()), other_provider.offers.get(), day)
    me = client_for(electrician.provider.user)

    listed = me.get(BOOKINGS, {"as": "provider"})
    assert [b["id"] for b in listed.json()["results"]] == [hers, mine]
    assert me.get(BOOKINGS).json()["results"] == []  # booked nothing as a customer
    detail = me.get(f"{BOOKINGS}/{mine}")
    assert detail.status_code == 200
    assert "codes" not in detail.json()
    assert customer.phone not in detail.content.decode()
    assert detail.json()["customer"] == {
        "name": "Asha",
        "phone_masked": f"XXXXXX{customer.phone[-4:]}",
    }
    assert error(me.get(f"{BOOKINGS}/{elsewhere['id']}"), 404)["code"] == "not_found"


def test_an_agent_sees_any_booking_and_filters_by_phone_and_status(
    two_customers_bookings, agent, customer
):
    bela, mine, hers = two_customers_bookings
    services.booking_cancel(
        booking=Booking.objects.get(pk=hers), by="customer", reason="x", acting_user=bela
    )
    desk = client_for(agent)

    assert [b["id"] for b in desk.get(BOOKINGS, {"as": "all"}).json()["results"]] == [hers, mine]
    by_phone = desk.get(BOOKINGS, {"customer_phone": f"+91{customer.phone}"}).json()
    assert (by_phone["as"], [b["id"] for b in by_phone["results"]]) == ("all", [mine])
    cancelled = desk.get(BOOKINGS, {"as": "all", "status": "cancelled,no_show"}).json()
    assert [b["id"] for b in cancelled["results"]] == [hers]
    assert desk.get(f"{BOOKINGS}/{hers}").json()["status"] == "cancelled"
    assert desk.get(BOOKINGS).json()["results"] == []  # as a customer, the agent booked none


def test_only_staff_list_everyones_bookings(asha, electrician):
    provider = client_for(electrician.provider.user)
    for client in (asha, provider):
        assert error(client.get(BOOKINGS, {"as": "all"}), 403)["code"] == "permission_denied"
        assert error(client.get(BOOKINGS, {"customer_phone": "9839055555"}), 403)
        by_number = {"as": "provider", "customer_phone": "9839055555"}
        assert error(client.get(BOOKINGS, by_number), 403)["code"] == "permission_denied"


def test_an_auditor_reads_everything_and_writes_nothing(
    two_customers_bookings, auditor, electrician, day
):
    _bela, mine, _hers = two_customers_bookings
    reader = client_for(auditor)

    assert len(reader.get(BOOKINGS, {"as": "all"}).json()["results"]) == 2
    assert reader.get(f"{BOOKINGS}/{mine}").status_code == 200
    for url, payload in [
        (QUOTES.replace("quotes", "holds"), offer_slot(electrician, day, "16:00", "17:00")),
        (BOOKINGS, booking_payload(electrician, day, "16:00", "17:00")),
        (f"{BOOKINGS}/{mine}/cancel", {"reason": "audit"}),
        (f"{BOOKINGS}/{mine}/codes", {}),
        ("/api/v1/series", {}),
    ]:
        assert error(post(reader, url, payload), 403)["code"] == "permission_denied", url
    assert Booking.objects.get(pk=mine).status == S.CONFIRMED
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"as": "boss"}, "as"),
        ({"status": "confirmed,happy"}, "status"),
        ({"customer_phone": "abc"}, "customer_phone"),
    ],
)
def test_bad_list_parameters_are_named(asha, params, field):
    assert error(asha.get(BOOKINGS, params), 400)["field"] == field


def test_the_list_is_paginated(electrician, customer, asha, day):
    for i in range(5):
        services.booking_create(
            offer=electrician,
            customer=customer,
            start=at(day + dt.timedelta(days=i), "10:00"),
            end=at(day + dt.timedelta(days=i), "11:00"),
            kind="visit",
            channel="web",
            address=ADDRESS,
            acting_user=customer,
        )
    ids = list(Booking.objects.order_by("-starts_at").values_list("pk", flat=True))

    first = asha.get(BOOKINGS, {"limit": 2}).json()
    last = asha.get(BOOKINGS, {"limit": 2, "offset": 4}).json()

    assert ([b["id"] for b in first["results"]], first["has_more"]) == (ids[:2], True)
    assert ([b["id"] for b in last["results"]], last["has_more"]) == (ids[4:], False)


def _list_queries(client, url, params) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("scope", "who"), [("customer", "customer"), ("provider", "provider"), ("all", "agent")]
)
def test_listing_costs_the_same_few_queries_for_any_number_of_bookings(
    electrician, customer, day, agent, scope, who, django_assert_num_queries
):
    def add(n: int) -> None:
        for _ in range(n):
            offset = Booking.objects.count()
            when = day + dt.timedelta(days=offset)
            services.booking_create(
                offer=electrician,
                customer=customer,
                start=at(when, "10:00"),
                end=at(when, "11:00"),
                kind="visit",
                channel="web",
                address=ADDRESS,
                acting_user=customer,
            )

    user = {"customer": customer, "provider": electrician.provider.user, "agent": agent}[who]
    client = client_for(user)
    add(1)
    one = _list_queries(client, BOOKINGS, {"as": scope})
    add(4)
    # session, user, (roles, for the "all" scope), one page of bookings with their parties
    expected = 4 if scope == "all" else 3
    with django_assert_num_queries(expected):
        response = client.get(BOOKINGS, {"as": scope})
    assert len(response.json()["results"]) == 5
    assert one == expected


def test_the_detail_shows_the_history(electrician, day, customer, asha):
    booking_id = book(asha, electrician, day)["id"]
    booking = Booking.objects.get(pk=booking_id)
    services.booking_mark_en_route(booking=booking, acting_user=electrician.provider.user)

    body = asha.get(f"{BOOKINGS}/{booking_id}").json()

    assert [
        (e["action"], e["from_status"], e["to_status"], e["actor"]) for e in body["history"]
    ] == [
        ("created", None, "confirmed", "customer"),
        ("en_route", "confirmed", "en_route", "provider"),
    ]
    assert body["history"][0]["detail"] == {"channel": "web", "auto_accept": True}
    assert body["status"] == "en_route"
    assert "codes" not in body


def test_amounts_are_strings_with_paise(electrician, day, asha):
    Provider.objects.filter(pk=electrician.provider_id).update(gstin="09ABCDE1234F1Z5")
    body = book(asha, electrician, day)

    assert body["total"] == "413.00"
    assert Decimal(body["quote"]["tax"]) == Decimal("63.00")
