"""search → on_search: the catalogue (sevamitra.ondc.catalog, handlers/search.py).

The handler is called directly with an Inbound (HTTP and signatures are the transport's and
the e2e tests' business).
"""

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.geo.pincodes import pincode_info
from sevamitra.ondc import catalog, errors
from sevamitra.ondc.handlers import HANDLERS, Inbound
from sevamitra.ondc.schemas import parse_request
from sevamitra.ondc.tests.test_schemas import body, search_message
from sevamitra.providers.models import Leave, ServicePincode, VerificationStatus
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    block,
    category,
    local,
    next_weekday,
    police_document,
)

pytestmark = pytest.mark.django_db

VERIFIED_DESC = "Verified by the Labour Department, Government of Uttar Pradesh"
HERE = f"{LUCKNOW[0]:.6f},{LUCKNOW[1]:.6f}"


def km_east(km):
    lng = LUCKNOW[1] + km / (111.32 * math.cos(math.radians(LUCKNOW[0])))
    return LUCKNOW[0], lng


def gps(point):
    return f"{point[0]:.6f},{point[1]:.6f}"


@pytest.fixture
def monday():
    return next_weekday(0, after_days=2)


def run_search(*, category="SRV11-*", gps=HERE, area_code="226001", slot=None, **intent):
    """Call the search handler as the worker does and return the on_search message."""
    data = body("search")
    data["message"] = search_message(category=category, gps=gps, area_code=area_code, slot=slot)
    data["message"]["intent"].update(intent)
    parsed = parse_request("search", data)
    inbound = Inbound(
        action="search",
        context=data["context"],
        message=data["message"],
        parsed=parsed,
        log_id=1,
    )
    return HANDLERS["search"](inbound)


def slot(day, start, end):
    return {
        "start": local(day, start).isoformat(),
        "end": local(day, end).isoformat(),
    }


def provider_ids(message):
    return [p["id"] for p in message["catalog"]["providers"]]


def item_ids(message):
    return {p["id"]: [i["id"] for i in p["items"]] for p in message["catalog"]["providers"]}


def tags(code, *pairs):
    return {
        "descriptor": {"code": code},
        "list": [{"descriptor": {"code": k}, "value": v} for k, v in pairs],
    }


def fee(value, state, cancel_by=None):
    term = {"fulfillment_state": {"descriptor": {"code": state}}}
    if cancel_by:
        term["cancel_by"] = {"duration": cancel_by}
    term["cancellation_fee"] = {"amount": {"currency": "INR", "value": value}}
    term["reason_required"] = False
    return term


def utc_midnight(day):
    # Local (India) midnight written in UTC: the day before at 18:30.
    return f"{day - dt.timedelta(days=1):%Y-%m-%d}T18:30:00.000Z"


# --- the exact catalogue ---------------------------------------------------------------------


def test_exact_on_search_for_one_provider(monday, settings):
    settings.ONDC_SUBSCRIBER_URL = "https://sevamitra.example.org/ondc"
    provider = ProviderFactory(
        name_latin="Ramesh Kumar",
        name_hi="रमेश कुमार",
        experience_years=7,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=3,
        terms_included="Checking and minor repairs; parts extra.",
        gstin="09ABCDE1234F1Z5",
        rating_avg=Decimal("4.25"),
        rating_count=8,
        hours=[(d, "09:00", "18:00") for d in range(5)] + [(5, "10:00", "14:00")],
        offers=[("electrician", "300", "50"), ("plumber", "250", "0")],
    )
    ServicePincode.objects.create(provider=provider, pincode="226010")
    leave_day = monday + dt.timedelta(days=2)
    Leave.objects.create(provider=provider, starts_on=leave_day, ends_on=leave_day)
    electrician = provider.offers.get(category__slug="electrician")
    plumber = provider.offers.get(category__slug="plumber")

    message = run_search(category="SRV11-1025", slot=slot(monday, "10:00", "11:30"))

    today = timezone.localdate()
    horizon = today + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD)
    p, loc = f"P{provider.pk}", f"L{provider.pk}"
    assert message == {
        "catalog": {
            "descriptor": {
                "name": "Sevamitra",
                "short_desc": catalog.CATALOG_SHORT_DESC,
                "long_desc": catalog.CATALOG_LONG_DESC,
            },
            "fulfillments": [{"id": "F1", "type": "Home-Service"}],
            "payments": [{"id": "PAY1", "type": "ON-FULFILLMENT", "collected_by": "BPP"}],
            "providers": [
                {
                    "id": p,
                    "descriptor": {
                        "name": "Ramesh Kumar (रमेश कुमार)",
                        "short_desc": "Sevamitra in Lucknow, 7 years of experience",
                    },
                    "rating": "4.2",
                    "locations": [
                        {
                            "id": loc,
                            "gps": "26.85,80.95",
                            "area_code": "226001",
                            "city": {"name": "Lucknow", "code": "std:0522"},
                            "state": {"name": "Uttar Pradesh"},
                            "country": {"code": "IND"},
                        }
                    ],
                    "time": {
                        "label": "validity",
                        "range": {"start": utc_midnight(today), "end": utc_midnight(horizon)},
                        "days": "1,2,3,4,5,6",
                        "schedule": {"frequency": "PT30M", "holidays": [f"{leave_day:%Y-%m-%d}"]},
                    },
                    "creds": [
                        {
                            "id": f"SEVAMITRA-VERIFIED-{p}",
                            "type": "Verification",
                            "desc": VERIFIED_DESC,
                        }
                    ],
                    "tags": [
                        tags(
                            "serviceability",
                            ("location", loc),
                            ("category", "SRV11-1025"),
                            ("type", "10"),
                            ("val", "10"),
                            ("unit", "km"),
                        ),
                        tags(
                            "serviceability",
                            ("location", loc),
                            ("category", "SRV11-1025"),
                            ("type", "11"),
                            ("val", "226010"),
                            ("unit", "pincode"),
                        ),
                        tags(
                            "timing",
                            ("type", "All"),
                            ("location", loc),
                            ("day_from", "1"),
                            ("day_to", "5"),
                            ("time_from", "0900"),
                            ("time_to", "1800"),
                        ),
                        tags(
                            "timing",
                            ("type", "All"),
                            ("location", loc),
                            ("day_from", "6"),
                            ("day_to", "6"),
                            ("time_from", "1000"),
                            ("time_to", "1400"),
                        ),
                    ],
                    "items": [
                        {
                            "id": f"I{electrician.pk}",
                            "descriptor": {
                                "name": "Electrician (इलेक्ट्रीशियन)",
                                "code": "SRV11-1025",
                                "short_desc": (
                                    "₹300.00 per visit + ₹50.00 visiting charge + 18% GST"
                                ),
                                "long_desc": "Checking and minor repairs; parts extra.",
                            },
                            # 300 + 50, GST 9% + 9% on 350 = 31.50 + 31.50.
                            "price": {
                                "currency": "INR",
                                "value": "300.00",
                                "computed_value": "413.00",
                            },
                            "quantity": {"unitized": {"measure": {"unit": "visit", "value": "1"}}},
                            "category_ids": ["SRV11-1025"],
                            "fulfillment_ids": ["F1"],
                            "location_ids": [loc],
                            "payment_ids": ["PAY1"],
                            "cancellation_terms": [
                                fee("0.00", "Pending", cancel_by="PT3H"),
                                fee("100.00", "Pending"),
                                fee("100.00", "In-Transit"),
                                fee("100.00", "At-Location"),
                            ],
                            "tags": [
                                tags(
                                    "reschedule_terms",
                                    ("fulfillment_state", "Pending"),
                                    ("reschedule_eligible", "true"),
                                    ("reschedule_fee", "0.00"),
                                    ("reschedule_within", "PT0S"),
                                ),
                                tags(
                                    "pricing",
                                    ("unit", "visit"),
                                    ("unit_price", "300.00"),
                                    ("visiting_charge", "50.00"),
                                    ("gst_percent", "18"),
                                    ("platform_fee", "0.00"),
                                ),
                            ],
                            "rateable": True,
                        }
                    ],
                }
            ],
        }
    }
    # The plumber offer of the same provider is another item, found under its own code.
    assert item_ids(run_search(category="SRV11-1042")) == {p: [f"I{plumber.pk}"]}
    assert item_ids(run_search()) == {p: [f"I{electrician.pk}", f"I{plumber.pk}"]}


def test_photo_and_police_verification_are_published(settings, tmp_path):
    settings.ONDC_SUBSCRIBER_URL = "https://sevamitra.example.org/ondc"
    provider = ProviderFactory(offers=[("babysitter", "150", "0")], photo="providers/photos/a.jpg")
    expires = timezone.localdate() + dt.timedelta(days=200)
    police_document(provider, expires)
    found = run_search(category="babysitter")["catalog"]["providers"]
    assert [p["id"] for p in found] == [f"P{provider.pk}"]
    assert found[0]["descriptor"]["images"] == [
        {"url": f"https://sevamitra.example.org/sevamitra/{provider.pk}/photo"}
    ]
    assert found[0]["creds"][1] == {
        "id": f"SEVAMITRA-POLICE-P{provider.pk}",
        "type": "PoliceVerification",
        "desc": f"Police verification valid until {expires:%d/%m/%Y}",
    }
    item = found[0]["items"][0]
    # Babysitter has no ONDC code yet: published under our own id, with our descriptor.
    assert item["category_ids"] == ["babysitter"]
    assert item["descriptor"]["code"] == "babysitter"
    assert item["descriptor"]["name"] == "Babysitter (बच्चों की देखभाल)"
    assert "computed_value" not in item["price"]  # no slot asked
    assert item["quantity"] == {"unitized": {"measure": {"unit": "hour", "value": "1"}}}


def test_zero_fee_terms_are_free_in_every_state():
    provider = ProviderFactory(cancellation_fee=Decimal("0"), offers=[("plumber", "250", "0")])
    item = run_search()["catalog"]["providers"][0]["items"][0]
    assert item["cancellation_terms"] == [
        fee("0.00", "Pending"),
        fee("0.00", "In-Transit"),
        fee("0.00", "At-Location"),
    ]
    assert item["descriptor"]["short_desc"] == "₹250.00 per visit"
    assert provider.pk


def test_hourly_price_for_the_asked_slot(monday):
    ProviderFactory(offers=[("babysitter", "150", "20")])
    police_document(
        ProviderFactory._meta.model.objects.get(), timezone.localdate() + dt.timedelta(days=200)
    )
    message = run_search(category="babysitter", slot=slot(monday, "16:00", "19:30"))
    # 3.5 hours × 150 + 20 visiting charge.
    assert message["catalog"]["providers"][0]["items"][0]["price"]["computed_value"] == "545.00"


# --- who is found ----------------------------------------------------------------------------


def test_only_providers_free_in_the_asked_slot(monday):
    free = ProviderFactory(offers=[("electrician", "300", "50")])
    busy = ProviderFactory(offers=[("electrician", "300", "50")])
    block(busy, local(monday, "10:30"), local(monday, "11:00"))
    off_duty = ProviderFactory(hours=[(0, "14:00", "20:00")], offers=[("electrician", "300", "50")])
    on_leave = ProviderFactory(offers=[("electrician", "300", "50")])
    Leave.objects.create(provider=on_leave, starts_on=monday, ends_on=monday)
    expired_hold = ProviderFactory(offers=[("electrician", "300", "50")])
    block(
        expired_hold,
        local(monday, "10:00"),
        local(monday, "11:00"),
        kind="hold",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )

    at_ten = provider_ids(run_search(category="SRV11-1025", slot=slot(monday, "10:00", "11:00")))
    assert sorted(at_ten) == sorted([f"P{free.pk}", f"P{expired_hold.pk}"])
    at_three = provider_ids(run_search(category="SRV11-1025", slot=slot(monday, "15:00", "16:00")))
    assert sorted(at_three) == sorted([f"P{p.pk}" for p in (free, busy, off_duty, expired_hold)])
    # Without a slot: everyone who covers the place (the calendar is checked at select).
    assert len(provider_ids(run_search(category="SRV11-1025"))) == 5


def test_not_published_pending_suspended_paused_or_inactive_offer(monday):
    ProviderFactory(
        verification_status=VerificationStatus.PENDING, offers=[("plumber", "300", "0")]
    )
    ProviderFactory(
        verification_status=VerificationStatus.SUSPENDED, offers=[("plumber", "300", "0")]
    )
    ProviderFactory(is_active=False, offers=[("plumber", "300", "0")])
    inactive = ProviderFactory(offers=[("plumber", "300", "0")])
    inactive.offers.update(is_active=False)
    assert provider_ids(run_search()) == []
    assert provider_ids(run_search(slot=slot(monday, "10:00", "11:00"))) == []


def test_police_verification_required_for_babysitters(monday):
    unverified = ProviderFactory(offers=[("babysitter", "150", "0")])
    expired = ProviderFactory(offers=[("babysitter", "150", "0")])
    police_document(expired, timezone.localdate() - dt.timedelta(days=1))
    valid = ProviderFactory(offers=[("babysitter", "150", "0")])
    police_document(valid, timezone.localdate() + dt.timedelta(days=30))
    assert provider_ids(run_search(category="babysitter")) == [f"P{valid.pk}"]
    assert provider_ids(run_search(category="babysitter", slot=slot(monday, "18:00", "20:00"))) == [
        f"P{valid.pk}"
    ]
    assert unverified.pk and expired.pk


def test_location_radius_and_pincodes(monday):
    near = ProviderFactory(service_radius_km=5, offers=[("plumber", "300", "0")])
    by_pincode = ProviderFactory(service_radius_km=0, offers=[("plumber", "250", "0")])
    ServicePincode.objects.create(provider=by_pincode, pincode="226010")
    centre = pincode_info("226010")
    gomti_nagar = gps((centre.lat, centre.lng))

    assert provider_ids(run_search(gps=gps(km_east(4.5)))) == [f"P{near.pk}"]
    assert provider_ids(run_search(gps=gps(km_east(6)))) == []
    assert f"P{by_pincode.pk}" in provider_ids(run_search(gps=gomti_nagar, area_code="226010"))
    # The area code is a hint: a point inside the pincode finds it even with another code.
    assert f"P{by_pincode.pk}" in provider_ids(run_search(gps=gomti_nagar, area_code="999999"))
    with_slot = run_search(gps=gomti_nagar, area_code="226010", slot=slot(monday, "10:00", "11:00"))
    assert f"P{by_pincode.pk}" in provider_ids(with_slot)
    pin_tags = with_slot["catalog"]["providers"][provider_ids(with_slot).index(f"P{by_pincode.pk}")]
    assert [g for g in pin_tags["tags"] if g["descriptor"]["code"] == "serviceability"] == [
        tags(
            "serviceability",
            ("location", f"L{by_pincode.pk}"),
            ("category", "SRV11-1042"),
            ("type", "11"),
            ("val", "226010"),
            ("unit", "pincode"),
        )
    ]


def test_outside_india_is_an_empty_catalog():
    ProviderFactory(offers=[("plumber", "300", "0")])
    message = run_search(gps="51.507400,-0.127800", area_code="")
    assert message["catalog"]["providers"] == []
    assert message["catalog"]["fulfillments"] == [{"id": "F1", "type": "Home-Service"}]


def test_nearest_first_and_bounded(settings, monday):
    settings.ONDC_SEARCH_MAX_PROVIDERS = 3
    by_km = {}
    for km in (4, 1, 3, 2, 0.5):
        point = km_east(km)
        by_km[km] = ProviderFactory(
            home_lat=point[0],
            home_lng=point[1],
            offers=[("plumber", "300", "0"), ("electrician", "300", "0")],
        )
    expected = [f"P{by_km[km].pk}" for km in (0.5, 1, 2)]
    assert provider_ids(run_search()) == expected
    assert provider_ids(run_search(slot=slot(monday, "10:00", "11:00"))) == expected
    assert provider_ids(run_search(category="SRV11-1042")) == expected
    # Every matching item of each provider shown comes along.
    assert all(len(items) == 2 for items in item_ids(run_search()).values())


def test_equal_distance_prefers_the_better_rated():
    low = ProviderFactory(rating_avg=Decimal("3.00"), offers=[("plumber", "300", "0")])
    high = ProviderFactory(rating_avg=Decimal("4.90"), offers=[("plumber", "300", "0")])
    assert provider_ids(run_search()) == [f"P{high.pk}", f"P{low.pk}"]


def test_unknown_category_is_an_empty_catalog():
    ProviderFactory(offers=[("plumber", "300", "0")])
    assert len(run_search()["catalog"]["providers"]) == 1
    assert run_search(category="SRV11-9999")["catalog"]["providers"] == []
    assert run_search(category="rocket-repair")["catalog"]["providers"] == []


def test_only_home_service_is_offered():
    ProviderFactory(offers=[("plumber", "300", "0")])
    data = body("search")
    data["message"] = search_message()
    data["message"]["intent"]["fulfillment"]["type"] = "Store-Service"
    parsed = parse_request("search", data)
    assert catalog.catalog_for_search(parsed)["catalog"]["providers"] == []
    data["message"]["intent"]["fulfillment"]["type"] = "home-service"
    assert (
        len(catalog.catalog_for_search(parse_request("search", data))["catalog"]["providers"]) == 1
    )


def test_category_by_code_or_by_our_id():
    provider = ProviderFactory(offers=[("plumber", "300", "0"), ("electrician", "300", "0")])
    assert provider_ids(run_search(category="plumber")) == [f"P{provider.pk}"]
    # An ONDC code of an inactive category finds nothing.
    category("plumber").__class__.objects.filter(slug="plumber").update(is_active=False)
    assert item_ids(run_search(category="SRV11-1042")) == {}
    assert len(item_ids(run_search())[f"P{provider.pk}"]) == 1


def test_search_by_item_id_and_by_item_name():
    provider = ProviderFactory(offers=[("plumber", "300", "0"), ("electrician", "300", "0")])
    plumber = provider.offers.get(category__slug="plumber")
    other = ProviderFactory(offers=[("plumber", "200", "0")])

    by_id = run_search(category=None, item={"id": f"I{plumber.pk}"})
    assert item_ids(by_id) == {f"P{provider.pk}": [f"I{plumber.pk}"]}
    by_name = run_search(category=None, item={"descriptor": {"name": "nal wala"}})
    assert sorted(item_ids(by_name)) == sorted([f"P{provider.pk}", f"P{other.pk}"])
    assert all(len(items) == 1 for items in item_ids(by_name).values())  # only the plumber items
    for unknown in ({"id": "I999999"}, {"id": "X1"}, {"descriptor": {"name": "astronaut"}}):
        assert run_search(category=None, item=unknown)["catalog"]["providers"] == []
    # Item and category must agree.
    assert item_ids(run_search(category="SRV11-1025", item={"id": f"I{plumber.pk}"})) == {}


def test_search_by_provider_id():
    first = ProviderFactory(offers=[("plumber", "300", "0")])
    ProviderFactory(offers=[("plumber", "300", "0")])
    assert provider_ids(run_search(provider={"id": f"P{first.pk}"})) == [f"P{first.pk}"]
    assert provider_ids(run_search(provider={"id": "P-1"})) == []


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        ("08:00", "09:00", "This time is in the past."),
        ("08:00", "23:00", "A slot can be at most"),
    ],
)
def test_slot_breaking_the_rules_is_refused_with_90001(settings, start, end, reason):
    settings.SEARCH_MAX_SLOT_HOURS = 12
    day = timezone.localdate() - dt.timedelta(days=1) if "past" in reason else next_weekday(2)
    with pytest.raises(errors.OndcError) as caught:
        run_search(slot=slot(day, start, end))
    assert caught.value.code == errors.SCHEDULE_NOT_AVAILABLE
    assert caught.value.type == errors.DOMAIN_ERROR
    assert reason in caught.value.message
    assert caught.value.path == "message.intent.fulfillment.stops[0].time.range"


def test_slot_too_far_ahead_is_refused(settings):
    day = timezone.localdate() + dt.timedelta(days=settings.SEARCH_MAX_DAYS_AHEAD + 5)
    with pytest.raises(errors.OndcError) as caught:
        run_search(slot=slot(day, "10:00", "11:00"))
    assert caught.value.code == "90001"
    assert "days ahead" in caught.value.message


def test_handler_reparses_when_given_no_model():
    provider = ProviderFactory(offers=[("plumber", "300", "0")])
    data = body("search")
    data["message"] = search_message()
    inbound = Inbound(
        action="search", context=data["context"], message=data["message"], parsed=None, log_id=1
    )
    assert provider_ids(HANDLERS["search"](inbound)) == [f"P{provider.pk}"]


def test_search_is_read_only_and_bounded_in_queries(django_assert_max_num_queries, monday):
    for km in (1, 2, 3):
        point = km_east(km)
        ProviderFactory(home_lat=point[0], home_lng=point[1], offers=[("plumber", "300", "0")])
    # 1 (categories) + 1 (offers) + 4 prefetches, whatever the number of providers.
    with django_assert_max_num_queries(6):
        assert len(provider_ids(run_search(category="SRV11-1042"))) == 3


# --- identifiers -----------------------------------------------------------------------------


def test_identifiers_round_trip():
    assert catalog.provider_id(42) == "P42"
    assert catalog.item_id(317) == "I317"
    assert catalog.location_id(42) == "L42"
    assert catalog.parse_provider_id("P42") == 42
    assert catalog.parse_item_id("I317") == 317
    assert catalog.parse_location_id("L42") == 42
    for bad in (None, "", "P", "p42", "P042", "P-1", "P4x", "I42", 42, "P٤٢", "P" + "9" * 19):
        assert catalog.parse_provider_id(bad) is None
    assert catalog.parse_item_id("P42") is None


def test_category_codes():
    assert catalog.category_code(category("electrician")) == "SRV11-1025"
    assert catalog.category_code(category("dog-walker")) == "dog-walker"
    assert [c.slug for c in catalog.categories_for_code("SRV11-1042")] == ["plumber"]
    assert [c.slug for c in catalog.categories_for_code("dog-walker")] == ["dog-walker"]
    assert catalog.categories_for_code("SRV11-0000") == []
    assert len(catalog.categories_for_code("SRV11-*")) == 17
