"""GET /api/v1/search: every rule of who is found, and every error."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.catalog.matching import invalidate_catalog_index
from sevamitra.providers.models import Leave, ServicePincode, VerificationStatus
from sevamitra.providers.services import provider_set_service_area
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    block,
    local,
    next_weekday,
    police_document,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"
MONDAY = 0


@pytest.fixture(autouse=True)
def _fresh_catalog_index():
    invalidate_catalog_index()
    yield
    invalidate_catalog_index()


def slot(day: dt.date, start: str, end: str) -> dict[str, str]:
    return {"start": local(day, start).isoformat(), "end": local(day, end).isoformat()}


def search(client, **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def found_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def km_east(km: float) -> tuple[float, float]:
    """A point `km` east of the Lucknow test point."""
    import math

    return LUCKNOW[0], LUCKNOW[1] + km / (111.32 * math.cos(math.radians(LUCKNOW[0])))


@pytest.fixture
def monday():
    return next_weekday(MONDAY)


@pytest.fixture
def plumber():
    return ProviderFactory(offers=[("plumber", "300", "50")])


def params_at(point, day, start="10:00", end="12:00", q="plumber"):
    return {"q": q, "lat": point[0], "lng": point[1], **slot(day, start, end)}


# --- who is found ---------------------------------------------------------------------------


def test_finds_a_verified_provider_with_quote_and_terms(client, plumber, monday):
    plumber.terms_included = "पाइप फिटिंग शामिल"
    plumber.save()

    response = search(client, **params_at(km_east(2), monday))

    body = response.json()
    assert response.status_code == 200
    assert body["category"]["slug"] == "plumber"
    assert body["has_more"] is False
    [hit] = body["results"]
    assert hit["id"] == plumber.pk
    assert hit["name_hi"] == "सुनीता देवी"
    assert hit["display_name"] == "Sunita Devi"
    assert hit["distance_km"] == pytest.approx(2.0, abs=0.01)
    assert hit["rating"] == {"average": 4.5, "count": 20}
    assert hit["quote"] == {
        "currency": "INR",
        "unit": "visit",
        "unit_price": "300.00",
        "quantity": "1",
        "amount": "300.00",
        "visiting_charge": "50.00",
        "total": "350.00",
    }
    assert "platform_fee" not in hit["quote"]
    assert hit["terms"] == {
        "free_cancellation_hours": 2,
        "cancellation_fee": "0.00",
        "included": "पाइप फिटिंग शामिल",
    }


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.SUSPENDED])
def test_unverified_providers_are_not_found(client, plumber, monday, status):
    plumber.verification_status = status
    plumber.save()
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == []


def test_provider_taking_no_work_is_not_found(client, plumber, monday):
    plumber.is_active = False
    plumber.save()
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == []


def test_withdrawn_offer_is_not_found(client, plumber, monday):
    plumber.offers.update(is_active=False)
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == []


def test_other_categories_are_not_found(client, plumber, monday):
    assert found_ids(search(client, **params_at(LUCKNOW, monday, q="electrician"))) == []


@pytest.mark.parametrize(
    ("km", "radius", "found"), [(9.9, 10, True), (10.2, 10, False), (14, 15, True), (0, 0, False)]
)
def test_service_radius_covers_the_point(client, plumber, monday, km, radius, found):
    provider_set_service_area(
        provider=plumber,
        home_lat=plumber.home_lat,
        home_lng=plumber.home_lng,
        service_radius_km=radius,
        pincodes_served=[] if radius else ["226010"],
        acting_user=plumber.user,
    )
    expected = [plumber.pk] if found else []
    assert found_ids(search(client, **params_at(km_east(km), monday))) == expected


def test_pincode_only_provider_is_found_by_pincode_and_by_a_point_inside_it(client, monday):
    far = ProviderFactory(service_radius_km=0, offers=[("plumber", "250", "0")])
    ServicePincode.objects.create(provider=far, pincode="226010")

    by_pincode = search(client, q="plumber", pincode="226010", **slot(monday, "10:00", "11:00"))
    # 226010 (Gomti Nagar Extension) centroid; its nearest pincode is 226010 itself.
    from sevamitra.geo.pincodes import pincode_info

    centre = pincode_info("226010")
    by_point = search(
        client, q="plumber", lat=centre.lat, lng=centre.lng, **slot(monday, "10:00", "11:00")
    )
    elsewhere = search(client, q="plumber", pincode="226001", **slot(monday, "10:00", "11:00"))

    assert found_ids(by_pincode) == [far.pk]
    assert found_ids(by_point) == [far.pk]
    assert found_ids(elsewhere) == []


def test_pincode_search_uses_the_pincode_centroid(client, plumber, monday):
    # 226001 is central Lucknow: within 10 km of the provider.
    response = search(client, q="plumber", pincode="226001", **slot(monday, "10:00", "11:00"))
    assert found_ids(response) == [plumber.pk]
    assert response.json()["location"]["pincode"] == "226001"


# --- on duty and free -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        ("08:00", "20:00", True),
        ("07:30", "09:00", False),
        ("19:00", "20:30", False),
        ("12:00", "13:00", True),
    ],
)
def test_slot_must_lie_within_hours_on_duty(client, plumber, monday, start, end, found):
    expected = [plumber.pk] if found else []
    assert found_ids(search(client, **params_at(LUCKNOW, monday, start, end))) == expected


def test_no_hours_that_weekday_means_not_found(client, monday):
    ProviderFactory(hours=[(1, "08:00", "20:00")], offers=[("plumber", "300", "50")])
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == []


def test_slot_across_midnight_needs_both_evenings_and_mornings(client, monday):
    night = ProviderFactory(
        hours=[(MONDAY, "20:00", "24:00"), (MONDAY + 1, "00:00", "08:00")],
        offers=[("plumber", "300", "0")],
    )
    evening_only = ProviderFactory(
        hours=[(MONDAY, "20:00", "24:00")], offers=[("plumber", "300", "0")]
    )
    params = {
        "q": "plumber",
        "lat": LUCKNOW[0],
        "lng": LUCKNOW[1],
        "start": local(monday, "22:00").isoformat(),
        "end": local(monday + dt.timedelta(days=1), "06:00").isoformat(),
    }
    ids = found_ids(search(client, **params))
    assert night.pk in ids
    assert evening_only.pk not in ids


def test_provider_on_leave_that_day_is_not_found(client, plumber, monday):
    Leave.objects.create(provider=plumber, starts_on=monday - dt.timedelta(days=1), ends_on=monday)
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == []


def test_leave_on_another_day_does_not_matter(client, plumber, monday):
    Leave.objects.create(
        provider=plumber,
        starts_on=monday + dt.timedelta(days=1),
        ends_on=monday + dt.timedelta(days=3),
    )
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == [plumber.pk]


@pytest.mark.parametrize(
    ("booked", "found"),
    [
        (("11:00", "13:00"), False),  # overlaps
        (("12:00", "13:00"), False),  # starts when ours ends: no time to travel (30 min buffer)
        (("12:30", "13:30"), True),  # exactly the travel buffer apart
        (("08:00", "09:30"), True),
    ],  # ends 30 minutes before ours starts
)
def test_booked_time_and_travel_buffer(client, plumber, monday, booked, found):
    block(plumber, local(monday, booked[0]), local(monday, booked[1]))
    expected = [plumber.pk] if found else []
    assert found_ids(search(client, **params_at(LUCKNOW, monday, "10:00", "12:00"))) == expected


def test_a_live_hold_blocks_and_an_expired_hold_does_not(client, monday):
    held = ProviderFactory(offers=[("plumber", "300", "0")])
    lapsed = ProviderFactory(offers=[("plumber", "300", "0")])
    now = timezone.now()
    block(
        held,
        local(monday, "10:00"),
        local(monday, "12:00"),
        kind="hold",
        expires_at=now + dt.timedelta(minutes=10),
    )
    block(
        lapsed,
        local(monday, "10:00"),
        local(monday, "12:00"),
        kind="hold",
        expires_at=now - dt.timedelta(seconds=1),
    )
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == [lapsed.pk]


def test_police_verification_needed_where_the_category_requires_it(client, monday):
    valid = ProviderFactory(offers=[("babysitter", "150", "0")])
    police_document(valid, monday + dt.timedelta(days=30))
    lapsing = ProviderFactory(offers=[("babysitter", "150", "0")])
    police_document(lapsing, monday - dt.timedelta(days=1))
    ProviderFactory(offers=[("babysitter", "150", "0")])  # no certificate at all

    ids = found_ids(search(client, **params_at(LUCKNOW, monday, "18:00", "20:00", q="babysitter")))
    assert ids == [valid.pk]


# --- order, paging, price -------------------------------------------------------------------


def test_nearest_first_then_best_rated(client, monday):
    near_low = ProviderFactory(
        home_lng=km_east(1)[1], rating_avg=Decimal("3.0"), offers=[("plumber", "300", "0")]
    )
    near_high = ProviderFactory(
        home_lng=km_east(1)[1], rating_avg=Decimal("4.9"), offers=[("plumber", "300", "0")]
    )
    farther = ProviderFactory(
        home_lng=km_east(3)[1], rating_avg=Decimal("5.0"), offers=[("plumber", "300", "0")]
    )
    assert found_ids(search(client, **params_at(LUCKNOW, monday))) == [
        near_high.pk,
        near_low.pk,
        farther.pk,
    ]


def test_pages(client, monday):
    providers = [
        ProviderFactory(home_lng=km_east(i)[1], offers=[("plumber", "300", "0")]) for i in range(3)
    ]
    first = search(client, limit=2, **params_at(LUCKNOW, monday)).json()
    second = search(client, limit=2, offset=2, **params_at(LUCKNOW, monday)).json()
    assert [r["id"] for r in first["results"]] == [providers[0].pk, providers[1].pk]
    assert first["has_more"] is True
    assert [r["id"] for r in second["results"]] == [providers[2].pk]
    assert second["has_more"] is False


def test_hourly_price_is_counted_for_the_whole_slot(client, monday):
    sitter = ProviderFactory(offers=[("babysitter", "150", "40")])
    police_document(sitter, monday + dt.timedelta(days=90))
    [hit] = search(client, **params_at(LUCKNOW, monday, "16:00", "19:30", q="babysitter")).json()[
        "results"
    ]
    assert hit["quote"]["quantity"] == "3.5"
    assert hit["quote"]["amount"] == "525.00"
    assert hit["quote"]["total"] == "565.00"


@pytest.mark.parametrize("q", ["plumber", "Plumber ", "प्लंबर", "nal wala", "naal waala", "plumbr"])
def test_category_words_in_hindi_latin_and_hinglish(client, plumber, monday, q):
    assert found_ids(search(client, **params_at(LUCKNOW, monday, q=q))) == [plumber.pk]


@pytest.mark.parametrize("q", ["maali", "माली", "gardener"])
def test_gardener_words(client, monday, q):
    gardener = ProviderFactory(offers=[("gardener", "400", "0")])
    assert found_ids(search(client, **params_at(LUCKNOW, monday, q=q))) == [gardener.pk]


def test_one_query_per_search(client, plumber, monday, django_assert_max_num_queries):
    for _ in range(3):
        ProviderFactory(offers=[("plumber", "300", "0")])
    params = params_at(LUCKNOW, monday)
    search(client, **params)  # warms the catalogue index
    with django_assert_max_num_queries(3) as captured:
        response = search(client, **params)
    assert len(response.json()["results"]) == 4
    assert len(captured.captured_queries) == 1


def test_provider_covering_by_radius_and_pincode_is_listed_once(client, plumber, monday):
    ServicePincode.objects.create(provider=plumber, pincode="226001")
    response = search(client, q="plumber", pincode="226001", **slot(monday, "10:00", "11:00"))
    assert found_ids(response) == [plumber.pk]


def test_pages_merge_radius_and_pincode_providers_in_order(client, monday):
    by_radius = [
        ProviderFactory(home_lng=km_east(km)[1], offers=[("plumber", "300", "0")]) for km in (1, 3)
    ]
    # Lives 30 km away (outside any radius) but lists the pincode: it sorts last.
    by_pincode = ProviderFactory(
        home_lng=km_east(30)[1], service_radius_km=0, offers=[("plumber", "300", "0")]
    )
    ServicePincode.objects.create(provider=by_pincode, pincode="226001")
    from sevamitra.geo.pincodes import pincode_info

    centre = pincode_info("226001")
    params = {
        "q": "plumber",
        "pincode": "226001",
        "lat": centre.lat,
        "lng": centre.lng,
        **slot(monday, "10:00", "11:00"),
    }
    first = search(client, limit=2, **params).json()
    second = search(client, limit=2, offset=2, **params).json()
    assert [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]] == [
        *(p.pk for p in sorted(by_radius, key=lambda p: abs(p.home_lng - centre.lng))),
        by_pincode.pk,
    ]
    assert (first["has_more"], second["has_more"]) == (True, False)


# --- errors ---------------------------------------------------------------------------------


def error_of(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]


def test_unknown_category_names_field_and_suggests(client, monday):
    error = error_of(search(client, **params_at(LUCKNOW, monday, q="rocket science")))
    assert error["field"] == "q"
    assert error["code"] == "unknown_category"


def test_unknown_word_close_to_a_category_gets_suggestions(client, monday):
    error = error_of(search(client, **params_at(LUCKNOW, monday, q="electro")))
    assert error["code"] == "unknown_category"
    assert "electrician" in [s["slug"] for s in error["suggestions"]]


def test_missing_q(client, monday):
    error = error_of(search(client, **params_at(LUCKNOW, monday, q="")))
    assert (error["field"], error["code"]) == ("q", "required")


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [
        ("abc", "80.9", "lat"),
        ("26.8", "nan", "lng"),
        ("95", "80.9", "lat"),
        ("26.8", "181", "lng"),
        ("51.5", "-0.12", "lat"),
        ("26.8", "", "lng"),
    ],
)
def test_bad_coordinates(client, monday, lat, lng, field):
    response = search(client, q="plumber", lat=lat, lng=lng, **slot(monday, "10:00", "11:00"))
    error = error_of(response)
    assert (error["field"], error["code"]) == (field, "invalid_coordinates")


def test_lat_without_lng(client, monday):
    error = error_of(search(client, q="plumber", lat="26.8", **slot(monday, "10:00", "11:00")))
    assert (error["field"], error["code"]) == ("lng", "invalid_coordinates")


@pytest.mark.parametrize(
    ("pincode", "code"),
    [
        ("12345", "invalid_pincode"),
        ("022600", "invalid_pincode"),
        ("22600a", "invalid_pincode"),
        ("999999", "unknown_pincode"),
    ],
)
def test_bad_pincode(client, monday, pincode, code):
    error = error_of(search(client, q="plumber", pincode=pincode, **slot(monday, "10:00", "11:00")))
    assert (error["field"], error["code"]) == ("pincode", code)


def test_no_location(client, monday):
    error = error_of(search(client, q="plumber", **slot(monday, "10:00", "11:00")))
    assert error["code"] == "location_required"


def test_end_not_after_start(client, monday):
    error = error_of(search(client, **params_at(LUCKNOW, monday, "12:00", "12:00")))
    assert (error["field"], error["code"]) == ("end", "end_before_start")


def test_slot_in_the_past(client):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    error = error_of(search(client, **params_at(LUCKNOW, yesterday)))
    assert (error["field"], error["code"]) == ("start", "slot_in_past")


def test_slot_more_than_90_days_ahead(client):
    later = timezone.localdate() + dt.timedelta(days=91)
    error = error_of(search(client, **params_at(LUCKNOW, later)))
    assert error["code"] == "slot_too_far"


def test_slot_longer_than_a_day(client, monday):
    params = params_at(LUCKNOW, monday)
    params["end"] = local(monday + dt.timedelta(days=2), "10:00").isoformat()
    assert error_of(search(client, **params))["code"] == "slot_too_long"


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01T10:00", "10:00"])
def test_malformed_times(client, value):
    error = error_of(
        search(client, q="plumber", lat=LUCKNOW[0], lng=LUCKNOW[1], start=value, end=value)
    )
    assert (error["field"], error["code"]) == ("start", "invalid_datetime")


def test_every_bad_field_is_reported_at_once(client):
    response = search(client, q="", lat="x", lng="80", start="x", end="y")
    fields = {e["field"] for e in response.json()["errors"]}
    assert response.status_code == 400
    assert fields == {"q", "lat", "start", "end"}


def test_naive_times_are_india_time(client, plumber, monday):
    response = search(
        client,
        q="plumber",
        lat=LUCKNOW[0],
        lng=LUCKNOW[1],
        start=f"{monday.isoformat()}T10:00",
        end=f"{monday.isoformat()}T12:00",
    )
    assert found_ids(response) == [plumber.pk]
    assert response.json()["slot"]["start"].endswith("+05:30")


def test_errors_are_in_hindi_by_default(client, monday):
    response = client.get(URL, params_at(LUCKNOW, monday, "12:00", "11:00"))
    assert response.status_code == 400
    assert response["Content-Language"] == "hi"
    message = response.json()["error"]["message"]
    assert any("\u0900" <= ch <= "\u097f" for ch in message), message


def test_post_is_not_allowed(client):
    assert client.post(URL).status_code == 405


def test_an_unencoded_plus_in_the_offset_is_understood(client, plumber, monday):
    # "?start=2026-12-01T10:00:00+05:30" typed into a browser arrives with a space for "+".
    response = client.get(
        f"{URL}?q=plumber&lat={LUCKNOW[0]}&lng={LUCKNOW[1]}"
        f"&start={monday.isoformat()}T10:00:00+05:30&end={monday.isoformat()}T12:00:00+05:30"
    )
    assert found_ids(response) == [plumber.pk]


@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", "0"), ("limit", "51"), ("limit", "x"), ("offset", "-1"), ("offset", "1001")],
)
def test_bad_paging(client, monday, name, value):
    error = error_of(search(client, **{name: value}, **params_at(LUCKNOW, monday)))
    assert (error["field"], error["code"]) == (name, "invalid_number")


def test_slot_starting_beyond_the_horizon_names_start(client):
    later = timezone.localdate() + dt.timedelta(days=100)
    error = error_of(search(client, **params_at(LUCKNOW, later)))
    assert (error["field"], error["code"]) == ("start", "slot_too_far")
