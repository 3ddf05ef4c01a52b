"""Our typed models of the inbound ONDC:SRV11 2.0.0 requests (sevamitra.ondc.schemas).

The bodies below are our own, built from the documented structure (field names and enums
of the specification); `body(action)` is reused by the search tests.
"""

import copy
import datetime as dt

import pytest

from sevamitra.ondc import errors
from sevamitra.ondc.schemas import (
    REQUEST_MODELS,
    Context,
    format_duration,
    format_gps,
    format_loc,
    format_timestamp,
    normalize_order_status,
    parse_context,
    parse_duration,
    parse_gps,
    parse_request,
    tag_value,
)
from sevamitra.ondc.schemas.requests import (
    ConfirmRequest,
    SearchRequest,
    SelectRequest,
    UpdateRequest,
)

TXN = "7b0e2f4c-1d2a-4c55-9a51-3f1f5f3c9d10"
MSG = "c8a0d6e2-5b8e-4f77-8f4b-2f0f3b6a1e21"
SLOT = {"start": "2031-03-03T04:30:00.000Z", "end": "2031-03-03T05:30:00.000Z"}
END_PLACE = {"gps": "26.850000,80.946200", "area_code": "226001"}


def context(action, **changes):
    ctx = {
        "domain": "ONDC:SRV11",
        "location": {"city": {"code": "std:0522"}, "country": {"code": "IND"}},
        "action": action,
        "version": "2.0.0",
        "bap_id": "buyer.example.org",
        "bap_uri": "https://buyer.example.org/ondc",
        "transaction_id": TXN,
        "message_id": MSG,
        "timestamp": "2031-03-01T10:00:00.000Z",
        "ttl": "PT30S",
    }
    if action != "search":
        ctx.update(bpp_id="sevamitra.example.org", bpp_uri="https://sevamitra.example.org/ondc")
    ctx.update(changes)
    return ctx


def _tags(code, **values):
    return {
        "descriptor": {"code": code},
        "list": [{"descriptor": {"code": k}, "value": v} for k, v in values.items()],
    }


def search_message(*, category="SRV11-*", gps=END_PLACE["gps"], area_code="226001", slot=None):
    stop = {"type": "end", "location": {"gps": gps, "area_code": area_code}}
    if slot is not None:
        stop["time"] = {"range": dict(slot)}
    intent = {
        "fulfillment": {"type": "Home-Service", "stops": [stop]},
        "payment": {"type": "ON-FULFILLMENT", "collected_by": "BPP"},
        "tags": [_tags("BAP_Terms", finder_fee_type="percent", finder_fee_amount="3")],
    }
    if category is not None:
        intent["category"] = {"id": category}
    return {"intent": intent}


def _order_items():
    return [
        {
            "id": "I7",
            "location_ids": ["L3"],
            "fulfillment_ids": ["F1"],
            "quantity": {"selected": {"count": 1}},
        }
    ]


def _full_end_stop(label="selected"):
    return {
        "type": "end",
        "location": {
            **END_PLACE,
            "address": "12, Ashok Marg, Hazratganj",
            "city": {"name": "Lucknow"},
            "state": {"name": "Uttar Pradesh"},
            "country": {"code": "IND"},
        },
        "contact": {"phone": "9876543210"},
        "time": {"label": label, "range": dict(SLOT)},
    }


def _billing():
    return {
        "name": "Asha Verma",
        "address": "12, Ashok Marg, Hazratganj, Lucknow 226001",
        "state": {"name": "Uttar Pradesh"},
        "city": {"name": "Lucknow"},
        "phone": "9876543210",
        "email": "asha@example.org",
    }


def _payment(**extra):
    return {"type": "ON-FULFILLMENT", "collected_by": "BPP", **extra}


MESSAGES = {
    "search": lambda: search_message(slot=SLOT),
    "select": lambda: {
        "order": {
            "provider": {"id": "P3", "locations": [{"id": "L3"}]},
            "items": _order_items(),
            "fulfillments": [
                {
                    "type": "Home-Service",
                    "stops": [
                        {
                            "type": "end",
                            "location": dict(END_PLACE),
                            "time": {"label": "selected", "range": dict(SLOT)},
                        }
                    ],
                }
            ],
            "payments": [{"type": "ON-FULFILLMENT"}],
        }
    },
    "init": lambda: {
        "order": {
            "provider": {"id": "P3"},
            "items": _order_items(),
            "billing": _billing(),
            "fulfillments": [{"id": "F1", "type": "Home-Service", "stops": [_full_end_stop()]}],
            "payments": [_payment()],
        }
    },
    "confirm": lambda: {
        "order": {
            "id": "O-31",
            "status": "Created",
            "provider": {"id": "P3"},
            "items": _order_items(),
            "billing": _billing(),
            "fulfillments": [
                {"id": "F1", "type": "Home-Service", "stops": [_full_end_stop("confirmed")]}
            ],
            "quote": {
                "price": {"currency": "INR", "value": "350.00"},
                "breakup": [
                    {
                        "title": "Electrician",
                        "price": {"currency": "INR", "value": "350.00"},
                        "item": {"id": "I7", "quantity": {"selected": {"count": 1}}},
                        "tags": [_tags("title", type="item")],
                    }
                ],
                "ttl": "P1D",
            },
            "payments": [
                _payment(
                    id="PAY1",
                    status="NOT-PAID",
                    params={"amount": "350.00", "currency": "INR"},
                    tags=[
                        _tags(
                            "Buyer_Finder_Fee",
                            Buyer_Finder_Fee_Type="percent",
                            Buyer_Finder_Fee_Amount="3",
                        )
                    ],
                )
            ],
            "created_at": "2031-03-01T10:00:00.000Z",
            "updated_at": "2031-03-01T10:00:00.000Z",
        }
    },
    "status": lambda: {"order_id": "O-31"},
    "update": lambda: {
        "update_target": "fulfillments",
        "order": {
            "id": "O-31",
            "status": "Accepted",
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
                                    "start": "2031-03-04T04:30:00.000Z",
                                    "end": "2031-03-04T05:30:00.000Z",
                                },
                            },
                        }
                    ],
                }
            ],
        },
    },
    "cancel": lambda: {"order_id": "O-31", "cancellation_reason_id": "001"},
    "track": lambda: {"order_id": "O-31"},
    "rating": lambda: {"ratings": [{"rating_category": "Provider", "id": "P3", "value": "4"}]},
    "support": lambda: {"support": {"ref_id": "O-31"}},
}


def body(action, **context_changes):
    """A valid request of ours for `action`."""
    return {"context": context(action, **context_changes), "message": MESSAGES[action]()}


def _remove(data, path):
    """Delete the field at a dotted path with [i] indexes, e.g. message.order.items[0].id."""
    parts = []
    for piece in path.split("."):
        name, *indexes = piece.replace("]", "").split("[")
        parts.append(name)
        parts.extend(int(i) for i in indexes)
    target = data
    for part in parts[:-1]:
        target = target[part]
    del target[parts[-1]]


def _refusal(action, data):
    with pytest.raises(errors.OndcError) as caught:
        parse_request(action, data)
    error = caught.value
    assert error.code == errors.INVALID_REQUEST
    assert error.type == errors.JSON_SCHEMA_ERROR
    return error


# --- valid bodies ----------------------------------------------------------------------------


def test_every_action_has_a_model():
    assert set(REQUEST_MODELS) == {
        "search",
        "select",
        "init",
        "confirm",
        "status",
        "update",
        "cancel",
        "track",
        "rating",
        "support",
    }


@pytest.mark.parametrize("action", sorted(MESSAGES))
def test_valid_body_parses(action):
    parsed = parse_request(action, body(action))
    assert isinstance(parsed, REQUEST_MODELS[action])
    assert isinstance(parsed.context, Context)
    assert parsed.context.transaction_id == TXN
    assert parsed.context.message_id == MSG
    assert parsed.context.city_code == "std:0522"
    assert parsed.context.country_code == "IND"
    assert parsed.context.timestamp == dt.datetime(2031, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert parsed.context.ttl_delta == dt.timedelta(seconds=30)


def test_search_fields_are_typed():
    parsed = parse_request("search", body("search"))
    assert isinstance(parsed, SearchRequest)
    intent = parsed.message.intent
    assert intent.category.id == "SRV11-*"
    stop = intent.fulfillment.stop("end")
    assert stop.location.point == (26.85, 80.9462)
    assert stop.location.area_code == "226001"
    assert stop.time.range.start == dt.datetime(2031, 3, 3, 4, 30, tzinfo=dt.UTC)
    assert stop.time.range.end == dt.datetime(2031, 3, 3, 5, 30, tzinfo=dt.UTC)
    assert intent.finder_fee == ("percent", "3")


def test_select_fields_are_typed():
    parsed = parse_request("select", body("select"))
    assert isinstance(parsed, SelectRequest)
    order = parsed.message.order
    assert order.provider.id == "P3"
    assert [(i.id, i.quantity.selected.count) for i in order.items] == [("I7", 1)]
    assert order.fulfillments[0].stop("end").time.label == "selected"


def test_select_without_a_slot_is_valid():
    data = body("select")
    del data["message"]["order"]["fulfillments"][0]["stops"][0]["time"]
    parsed = parse_request("select", data)
    assert parsed.message.order.fulfillments[0].stop("end").time is None


def test_unknown_fields_are_kept():
    data = body("select")
    data["message"]["order"]["items"][0]["x_note"] = "ring twice"
    data["context"]["x_trace"] = "abc"
    parsed = parse_request("select", data)
    assert parsed.message.order.items[0].model_extra == {"x_note": "ring twice"}
    assert parsed.context.model_extra == {"x_trace": "abc"}


def test_update_reads_targets_and_new_slot():
    parsed = parse_request("update", body("update"))
    assert isinstance(parsed, UpdateRequest)
    assert parsed.message.targets == {"fulfillments"}
    assert parsed.message.new_slot.start == dt.datetime(2031, 3, 4, 4, 30, tzinfo=dt.UTC)


def test_rating_and_support_helpers():
    parsed = parse_request("rating", body("rating"))
    assert parsed.message.ratings[0].score == 4
    data = body("rating")
    data["message"]["ratings"][0]["value"] = "lt 3"
    assert parse_request("rating", data).message.ratings[0].score is None
    assert parse_request("support", body("support")).message.reference == "O-31"
    data = body("support")
    data["message"] = {"ref_id": "O-9"}
    assert parse_request("support", data).message.reference == "O-9"


# --- required fields -------------------------------------------------------------------------

CONTEXT_REQUIRED = [
    "context.domain",
    "context.action",
    "context.version",
    "context.bap_id",
    "context.bap_uri",
    "context.transaction_id",
    "context.message_id",
    "context.timestamp",
    "context.location",
    "context.location.city",
    "context.location.city.code",
    "context.location.country",
    "context.location.country.code",
]

REQUIRED = [
    ("search", "message"),
    ("search", "message.intent"),
    ("search", "message.intent.fulfillment"),
    ("search", "message.intent.fulfillment.stops"),
    ("search", "message.intent.fulfillment.stops[0].location"),
    ("search", "message.intent.fulfillment.stops[0].location.gps"),
    ("search", "message.intent.fulfillment.stops[0].time.range"),
    ("search", "message.intent.fulfillment.stops[0].time.range.start"),
    ("search", "message.intent.fulfillment.stops[0].time.range.end"),
    ("select", "message.order"),
    ("select", "message.order.provider"),
    ("select", "message.order.provider.id"),
    ("select", "message.order.items"),
    ("select", "message.order.items[0].id"),
    ("select", "message.order.items[0].quantity"),
    ("select", "message.order.items[0].quantity.selected"),
    ("select", "message.order.items[0].quantity.selected.count"),
    ("select", "message.order.fulfillments"),
    ("select", "message.order.fulfillments[0].stops"),
    ("select", "message.order.payments"),
    ("init", "message.order.provider.id"),
    ("init", "message.order.items[0].id"),
    ("init", "message.order.items[0].quantity.selected.count"),
    ("init", "message.order.billing"),
    ("init", "message.order.billing.name"),
    ("init", "message.order.billing.phone"),
    ("init", "message.order.fulfillments"),
    ("init", "message.order.fulfillments[0].id"),
    ("init", "message.order.fulfillments[0].stops"),
    ("init", "message.order.fulfillments[0].stops[0].location"),
    ("init", "message.order.fulfillments[0].stops[0].location.gps"),
    ("init", "message.order.fulfillments[0].stops[0].location.address"),
    ("init", "message.order.fulfillments[0].stops[0].location.area_code"),
    ("init", "message.order.fulfillments[0].stops[0].contact"),
    ("init", "message.order.fulfillments[0].stops[0].contact.phone"),
    ("init", "message.order.payments"),
    ("init", "message.order.payments[0].type"),
    ("init", "message.order.payments[0].collected_by"),
    ("confirm", "message.order.id"),
    ("confirm", "message.order.status"),
    ("confirm", "message.order.created_at"),
    ("confirm", "message.order.updated_at"),
    ("confirm", "message.order.quote"),
    ("confirm", "message.order.quote.price"),
    ("confirm", "message.order.quote.price.currency"),
    ("confirm", "message.order.quote.price.value"),
    ("confirm", "message.order.billing.name"),
    ("confirm", "message.order.fulfillments[0].stops[0].location.address"),
    ("confirm", "message.order.items[0].id"),
    ("update", "message.update_target"),
    ("update", "message.order"),
    ("update", "message.order.id"),
    ("update", "message.order.fulfillments"),
    ("update", "message.order.fulfillments[0].stops[0].time.range"),
    ("status", "message.order_id"),
    ("track", "message.order_id"),
    ("cancel", "message.order_id"),
    ("rating", "message.ratings"),
    ("rating", "message.ratings[0].id"),
    ("rating", "message.ratings[0].rating_category"),
    ("rating", "message.ratings[0].value"),
] + [(action, path) for action in ("search", "status") for path in CONTEXT_REQUIRED]


@pytest.mark.parametrize(("action", "path"), REQUIRED)
def test_missing_required_field_is_refused_naming_its_path(action, path):
    data = body(action)
    _remove(data, path)
    error = _refusal(action, data)
    assert error.message == f"{path}: field required"
    assert error.path == path
    assert error.as_error() == {
        "type": "JSON-SCHEMA-ERROR",
        "code": "30000",
        "message": f"{path}: field required",
        "path": path,
    }


@pytest.mark.parametrize("action", ["select", "init", "confirm", "rating"])
def test_an_empty_list_where_one_is_required_is_refused(action):
    data = body(action)
    if action == "rating":
        data["message"]["ratings"] = []
        path = "message.ratings"
    else:
        data["message"]["order"]["items"] = []
        path = "message.order.items"
    error = _refusal(action, data)
    assert error.path == path
    assert error.message.startswith(f"{path}: List should have at least 1 item")


def test_several_problems_are_reported_together():
    data = body("select")
    _remove(data, "message.order.items[0].id")
    _remove(data, "message.order.provider.id")
    error = _refusal("select", data)
    assert error.message == (
        "message.order.provider.id: field required; message.order.items[0].id: field required"
    )
    assert error.path == "message.order.provider.id"


def test_too_many_problems_are_summarised():
    data = body("search")
    data["context"] = {}
    error = _refusal("search", data)
    assert error.message.count("field required") == 5
    assert error.message.endswith("; and 4 more")  # 9 missing in all


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            {"timestamp": "2031-03-01T10:00:00"},
            "context.timestamp",
            "Input should have timezone info",
        ),
        ({"timestamp": "yesterday"}, "context.timestamp", None),
        ({"timestamp": 1930000000}, "context.timestamp", "must be an RFC 3339 date-time"),
        ({"ttl": "30 seconds"}, "context.ttl", "invalid ISO 8601 duration '30 seconds'"),
        ({"ttl": "P1M"}, "context.ttl", "invalid ISO 8601 duration 'P1M'"),
        ({"bap_uri": "buyer.example.org/ondc"}, "context.bap_uri", "must be an absolute"),
        ({"message_id": ""}, "context.message_id", "String should have at least 1 character"),
        ({"transaction_id": "x" * 101}, "context.transaction_id", None),
        ({"bap_id": 42}, "context.bap_id", "Input should be a valid string"),
    ],
)
def test_bad_context_values_are_refused(change, path, message):
    error = _refusal("status", body("status", **change))
    assert error.path == path
    if message:
        assert error.message.startswith(f"{path}: {message}")


@pytest.mark.parametrize(
    "gps", ["12.97", "north,east", "91.0,77.6", "12.97,181", "12.97;77.61", "", "1,2,3"]
)
def test_bad_gps_is_refused(gps):
    data = body("search")
    data["message"]["intent"]["fulfillment"]["stops"][0]["location"]["gps"] = gps
    error = _refusal("search", data)
    assert error.path == "message.intent.fulfillment.stops[0].location.gps"


def test_slot_ending_before_it_starts_is_refused():
    data = body("search")
    data["message"]["intent"]["fulfillment"]["stops"][0]["time"]["range"] = {
        "start": SLOT["end"],
        "end": SLOT["start"],
    }
    error = _refusal("search", data)
    assert error.message == (
        "message.intent.fulfillment.stops[0].time.range: time range end must be after start"
    )


def test_init_end_stop_without_address_names_the_deep_path():
    data = body("init")
    _remove(data, "message.order.fulfillments[0].stops[0].location.address")
    # A start stop (the provider's) does not need an address: only the customer's end stop.
    data["message"]["order"]["fulfillments"][0]["stops"].insert(
        0, {"type": "start", "location": {"gps": "26.8,80.9"}}
    )
    error = _refusal("init", data)
    assert (
        error.message == "message.order.fulfillments[0].stops[1].location.address: field required"
    )


def test_reschedule_needs_an_end_stop():
    data = body("update")
    data["message"]["order"]["fulfillments"][0]["stops"][0]["type"] = "start"
    error = _refusal("update", data)
    assert error.message == "message.order.fulfillments[0].stops: an end stop is required"


def test_reschedule_without_time_names_the_range():
    data = body("update")
    _remove(data, "message.order.fulfillments[0].stops[0].time")
    error = _refusal("update", data)
    assert error.message == "message.order.fulfillments[0].stops[0].time.range: field required"


def test_update_of_payments_needs_no_slot():
    data = body("update")
    data["message"]["update_target"] = "payments"
    del data["message"]["order"]["fulfillments"]
    assert parse_request("update", data).message.targets == {"payments"}


@pytest.mark.parametrize(
    ("spelling", "status"),
    [
        ("Created", "Created"),
        ("CREATED", "Created"),
        ("created", "Created"),
        ("Accepted", "Accepted"),
        ("ACCEPTED", "Accepted"),
        ("In-progress", "In-progress"),
        ("IN-PROGRESS", "In-progress"),
        ("IN_PROGRESS", "In-progress"),
        ("Completed", "Completed"),
        ("CANCELLED", "Cancelled"),
    ],
)
def test_both_status_spellings_are_accepted(spelling, status):
    data = body("confirm")
    data["message"]["order"]["status"] = spelling
    parsed = parse_request("confirm", data)
    assert isinstance(parsed, ConfirmRequest)
    assert parsed.message.order.status == status
    data = body("update")
    data["message"]["order"]["status"] = spelling
    assert parse_request("update", data).message.order.status == status


def test_unknown_status_is_refused():
    data = body("confirm")
    data["message"]["order"]["status"] = "Shipped"
    error = _refusal("confirm", data)
    assert error.path == "message.order.status"
    assert "unknown order status 'Shipped'" in error.message


def test_rating_category_spellings():
    data = body("rating")
    data["message"]["ratings"][0]["rating_category"] = "PROVIDER"
    assert parse_request("rating", data).message.ratings[0].rating_category == "Provider"
    data["message"]["ratings"][0]["rating_category"] = "Shop"
    assert _refusal("rating", data).path == "message.ratings[0].rating_category"


def test_prices_as_numbers_are_read_as_decimal_strings():
    data = body("confirm")
    data["message"]["order"]["quote"]["price"]["value"] = 350
    assert parse_request("confirm", data).message.order.quote.price.value == "350"
    data["message"]["order"]["quote"]["price"]["value"] = "three fifty"
    assert _refusal("confirm", data).path == "message.order.quote.price.value"


@pytest.mark.parametrize("data", [[], "search", 42, None])
def test_a_body_that_is_not_an_object_is_refused(data):
    error = _refusal("search", data)
    assert error.path == "body"


def test_wrong_types_are_refused_with_their_path():
    data = body("select")
    data["message"]["order"]["items"] = {"id": "I7"}
    error = _refusal("select", data)
    assert error.message == "message.order.items: Input should be a valid list"
    data = body("select")
    data["message"]["order"]["items"][0]["quantity"]["selected"]["count"] = 0
    assert _refusal("select", data).path == "message.order.items[0].quantity.selected.count"


def test_unknown_action_is_refused():
    with pytest.raises(errors.OndcError) as caught:
        parse_request("on_search", body("search"))
    assert caught.value.code == errors.INVALID_REQUEST


def test_valid_input_is_not_changed():
    data = body("confirm")
    before = copy.deepcopy(data)
    parse_request("confirm", data)
    assert data == before


def test_parse_context_alone():
    assert parse_context(context("status")).bpp_id == "sevamitra.example.org"
    with pytest.raises(errors.OndcError) as caught:
        parse_context({**context("status"), "bap_uri": None})
    assert caught.value.path == "context.bap_uri"


# --- helpers ---------------------------------------------------------------------------------


def test_parse_gps():
    assert parse_gps("12.974002,77.613458") == (12.974002, 77.613458)
    assert parse_gps(" -33.9 , 151.2 ") == (-33.9, 151.2)
    point = parse_gps("26.85,80.95")
    assert (point.lat, point.lon) == (26.85, 80.95)
    for bad in ("", "12.97", "a,b", "95,10", "10,190"):
        with pytest.raises(ValueError):
            parse_gps(bad)
    assert format_gps(26.85, 80.9462) == "26.850000,80.946200"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT30S", 30),
        ("P1D", 86400),
        ("PT1H30M", 5400),
        ("P2W", 14 * 86400),
        ("P1DT2H", 93600),
        ("PT0.5S", 0.5),
        ("pt30s", 30),
        ("P30S", 30),  # seen on the network (official init examples): accepted on input
        ("P0D", 0),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "P", "PT", "30S", "P1M", "P1Y", "PT1H30", "P-1D", "PTS"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_duration_and_timestamp():
    assert format_duration(dt.timedelta(seconds=30)) == "PT30S"
    assert format_duration(dt.timedelta(days=1)) == "P1D"
    assert format_duration(dt.timedelta(hours=2)) == "PT2H"
    assert format_duration(dt.timedelta(days=1, minutes=30)) == "P1DT30M"
    assert format_duration(dt.timedelta(0)) == "PT0S"
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    moment = dt.datetime(2031, 3, 3, 10, 0, 0, 123456, tzinfo=ist)
    assert format_timestamp(moment) == "2031-03-03T04:30:00.123Z"
    with pytest.raises(ValueError):
        format_timestamp(dt.datetime(2031, 3, 3))  # noqa: DTZ001 - naive on purpose


def test_normalize_order_status_and_format_loc():
    assert normalize_order_status("accepted") == "Accepted"
    with pytest.raises(ValueError):
        normalize_order_status("Packed")
    assert format_loc(("message", "order", "items", 0, "id")) == "message.order.items[0].id"


def test_tag_value():
    parsed = parse_request("confirm", body("confirm"))
    tags = parsed.message.order.payments[0].tags
    assert tag_value(tags, "buyer_finder_fee", "Buyer_Finder_Fee_Amount") == "3"
    assert tag_value(tags, "Settlement_Details", "Mode") is None
    assert tag_value(None, "x", "y") is None
