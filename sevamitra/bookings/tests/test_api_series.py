"""HTTP-level tests of /api/v1/series: all or nothing, the configurable cap, who sees and
cancels a series."""

import datetime as dt

import pytest

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingSeries, BookingStatus
from sevamitra.bookings.tests.conftest import at
from sevamitra.bookings.tests.test_api import (
    BOOKINGS,
    LOCMEM_BACKEND,
    client_for,
    english,
    error,
    post,
)
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
S = BookingStatus
SERIES = "/api/v1/series"


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


@pytest.fixture
def dog_walker():
    return ProviderFactory(auto_accept=True, offers=[("dog-walker", "100", "0")]).offers.get()


def rule(offer, day, **extra):  # type: ignore[no-untyped-def]
    return {
        "provider_id": offer.provider_id,
        "category": offer.category.slug,
        "kind": "series",
        "frequency": "daily",
        "starts_on": day.isoformat(),
        "start_time": "08:00",
        "end_time": "08:30",
        "address": "B-4, Gomti Nagar",
        "pincode": "226010",
        **extra,
    }


def test_a_daily_series_books_every_visit(dog_walker, day, asha):
    response = post(asha, SERIES, rule(dog_walker, day, count=3))

    assert response.status_code == 201, response.content
    body = response.json()
    series = BookingSeries.objects.get()
    assert body["series"] | {"category": None, "provider": None, "customer": None} == {
        "id": series.pk,
        "kind": "series",
        "status": "active",
        "frequency": "daily",
        "weekdays": [],
        "interval_days": 1,
        "starts_on": day.isoformat(),
        "ends_on": None,
        "count": 3,
        "start_time": "08:00",
        "end_time": "08:30",
        "channel": "web",
        "category": None,
        "provider": None,
        "customer": None,
    }
    assert body["series"]["category"]["slug"] == "dog-walker"
    assert body["series"]["provider"]["id"] == dog_walker.provider_id
    assert [b["starts_at"] for b in body["bookings"]] == [
        at(day + dt.timedelta(days=i), "08:00").isoformat() for i in range(3)
    ]
    assert {(b["status"], b["series_id"]) for b in body["bookings"]} == {("confirmed", series.pk)}
    # Each confirmed visit comes with its own codes, shown once to the customer.
    assert [len(b["codes"]["start"]) for b in body["bookings"]] == [4, 4, 4]
    # New codes can be asked for any visit (the old ones stop working).
    codes = post(asha, f"{BOOKINGS}/{body['bookings'][0]['id']}/codes").json()["codes"]
    assert len(codes["start"]) == 4


def test_weekdays_and_an_end_date(dog_walker, day, asha):
    body = post(
        asha,
        SERIES,
        rule(
            dog_walker,
            day,
            frequency="weekdays",
            weekdays=[0, 2],
            ends_on=(day + dt.timedelta(days=13)).isoformat(),
        ),
    ).json()

    assert [dt.datetime.fromisoformat(b["starts_at"]).weekday() for b in body["bookings"]] == [
        0,
        2,
        0,
        2,
    ]


def test_a_series_too_long_is_refused_by_the_configured_cap(dog_walker, day, asha, settings):
    settings.BOOKING_SERIES_MAX_OCCURRENCES = 5

    body = error(
        post(client_for(english(UserFactory())), SERIES, rule(dog_walker, day, count=6)), 400
    )

    assert body == {
        "code": "series_too_long",
        "field": "ends_on",
        "message": "A series can have at most 5 visits; book the rest later.",
    }
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.exists()
    assert post(asha, SERIES, rule(dog_walker, day, count=5)).status_code == 201


def test_a_series_is_all_or_nothing(dog_walker, day, asha):
    other = UserFactory()
    third = day + dt.timedelta(days=2)
    services.booking_create(
        offer=dog_walker,
        customer=other,
        start=at(third, "08:00"),
        end=at(third, "08:30"),
        kind="visit",
        channel="web",
        address="x",
        acting_user=other,
    )

    body = error(post(asha, SERIES, rule(dog_walker, day, count=4)), 409)

    assert body["code"] == "series_unavailable"
    assert [(f["date"], f["code"]) for f in body["failed"]] == [(third.isoformat(), "slot_taken")]
    assert not BookingSeries.objects.exists()
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"frequency": "weekdays"}, "weekdays", "invalid_series"),
        ({"weekdays": [0, 7], "frequency": "weekdays"}, "weekdays", "invalid"),
        ({"count": None}, "ends_on", "invalid_series"),
        ({"frequency": "hourly"}, "frequency", "invalid_series"),
        ({"kind": "visit"}, "kind", "invalid_kind"),
        ({"end_time": "07:00"}, "end_time", "end_before_start"),
        ({"start_time": "8 am"}, "start_time", "invalid_time"),
        ({"starts_on": "2026-02-30"}, "starts_on", "invalid_date"),
        ({"starts_on": "9999-12-31"}, "starts_on", "invalid"),
        ({"interval_days": 0}, "interval_days", "invalid_number"),
        ({"count": 0}, "count", "invalid_number"),
    ],
)
def test_bad_rules_are_named(dog_walker, day, asha, change, field, code):
    response = post(asha, SERIES, {**rule(dog_walker, day, count=3), **change})

    body = error(response, 400)
    assert (body["field"], body["code"]) == (field, code)
    assert not BookingSeries.objects.exists()


def test_a_series_in_the_past_books_nothing(dog_walker, day, asha):
    body = error(post(asha, SERIES, rule(dog_walker, day - dt.timedelta(days=14), count=2)), 409)

    assert {f["code"] for f in body["failed"]} == {"slot_in_past"}


def test_an_agent_books_a_series_for_a_caller(dog_walker, day, agent):
    body = post(
        client_for(agent), SERIES, rule(dog_walker, day, count=2, customer_phone="9839066666")
    ).json()

    assert body["series"]["channel"] == "phone"
    assert body["series"]["customer"]["phone_masked"] == "XXXXXX6666"
    assert BookingSeries.objects.get().customer == User.objects.get(phone="9839066666")


def test_who_sees_a_series(dog_walker, day, asha, agent, auditor):
    series_id = post(asha, SERIES, rule(dog_walker, day, count=2)).json()["series"]["id"]
    path = f"{SERIES}/{series_id}"

    for client in (
        asha,
        client_for(dog_walker.provider.user),
        client_for(agent),
        client_for(auditor),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.json()["bookings"]) == 2
    assert error(client_for(UserFactory()).get(path), 404)["code"] == "not_found"
    assert error(asha.get(f"{SERIES}/{series_id + 100}"), 404)["code"] == "not_found"


def test_cancelling_a_series_cancels_the_visits_not_started(dog_walker, day, asha):
    body = post(asha, SERIES, rule(dog_walker, day, count=3)).json()
    series_id = body["series"]["id"]

    response = post(asha, f"{SERIES}/{series_id}/cancel", {"reason": "moving house"})

    assert response.status_code == 200, response.content
    assert sorted(response.json()["cancelled"]) == sorted(b["id"] for b in body["bookings"])
    assert response.json()["series"]["status"] == "cancelled"
    assert set(Booking.objects.values_list("status", flat=True)) == {S.CANCELLED}


def test_only_the_customer_side_cancels_a_series(dog_walker, day, asha, auditor):
    series_id = post(asha, SERIES, rule(dog_walker, day, count=2)).json()["series"]["id"]
    path = f"{SERIES}/{series_id}/cancel"

    provider = client_for(dog_walker.provider.user)
    assert error(post(provider, path, {"reason": "x"}), 403)["code"] == "permission_denied"
    assert error(post(client_for(auditor), path, {"reason": "x"}), 403)
    assert error(post(client_for(UserFactory()), path, {"reason": "x"}), 404)
    assert error(post(asha, path, {}), 400)["code"] == "reason_required"
    assert set(Booking.objects.values_list("status", flat=True)) == {S.CONFIRMED}
    assert BookingSeries.objects.get().status == "active"
