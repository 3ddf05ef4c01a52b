"""The OpenAPI 3.1 document of /api/v1/ (served at /api/v1/openapi.json), written by hand.

It covers every route under /api/v1/: search, sign-in (/auth/…) and the booking engine.
tests/test_api_openapi.py fails when a route is added without being described here.
Built on each call (never at import time), so that configured limits are current.
"""

from typing import Any

from django.conf import settings

from sevamitra.bookings.models import BookingStatus

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: str, **properties: Schema) -> Schema:
    """An object with `properties`; `required` names the required ones, space-separated."""
    return {"type": "object", "required": required.split(), "properties": properties}


def _nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
ID: Schema = {"type": "integer", "minimum": 1}
MONEY: Schema = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "Rupees"}
MONEY_IN: Schema = {
    "oneOf": [MONEY | {"pattern": r"^\d+(\.\d{1,2})?$"}, {"type": "number", "minimum": 0}],
    "description": 'Rupees, whole paise: 350, 350.5 or "350.50"',
}
DATETIME: Schema = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601; answers are in India time (+05:30), input without offset too",
}
DATE: Schema = {"type": "string", "format": "date"}
TIME: Schema = {"type": "string", "pattern": r"^\d\d:\d\d(:\d\d)?$", "examples": ["08:00"]}
PHONE: Schema = {"type": "string", "examples": ["+91 98765 43210"]}
PINCODE: Schema = {"type": "string", "pattern": r"^[1-9]\d{5}$"}
MASKED_PHONE: Schema = {"type": "string", "pattern": r"^X{6}\d{4}$", "examples": ["XXXXXX3210"]}


def _schemas() -> dict[str, Schema]:
    slot_in = {
        "provider_id": ID,
        "category": STRING | {"description": "Category slug, e.g. electrician"},
        "start": DATETIME,
        "end": DATETIME,
    }
    where = {
        "address": STRING,
        "pincode": PINCODE,
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lng": {"type": "number", "minimum": -180, "maximum": 180},
        "notes": STRING,
        "customer_phone": PHONE
        | {
            "description": "Call-centre agents only: the caller's number. The caller's account "
            "is found or created; the booking's channel is then `phone`."
        },
    }
    detail = {
        "code": STRING | {"description": "Stable machine code, e.g. slot_taken"},
        "message": STRING | {"description": "For people, in the request's language"},
        "field": STRING | {"description": "The input at fault, if one is"},
        "alternatives": {
            "type": "array",
            "items": _ref("Slot"),
            "description": "slot_taken: the three nearest free slots of the same length",
        },
        "failed": {
            "type": "array",
            "items": _obj("date code message", date=DATE, code=STRING, message=STRING),
            "description": "series_unavailable: the visits that could not be booked",
        },
    }
    return {
        "ErrorDetail": {"type": "object", "required": ["code", "message"], "properties": detail},
        "Error": _obj(
            "error",
            error=_ref("ErrorDetail"),
            errors={
                "type": "array",
                "items": _ref("ErrorDetail"),
                "description": "Every invalid field, when several are",
            },
        ),
        "Slot": _obj("start end", start=DATETIME, end=DATETIME),
        "Category": _obj("slug name", slug=STRING, name=STRING),
        "ProviderSummary": _obj(
            "id display_name photo_url",
            id=ID,
            display_name=STRING,
            photo_url=_nullable(STRING),
        ),
        "CustomerSummary": _obj("name phone_masked", name=STRING, phone_masked=MASKED_PHONE),
        "QuoteLine": _obj(
            "code label quantity unit_price amount",
            code={"enum": ["service", "visiting_charge", "discount", "cgst", "sgst"]},
            label=STRING,
            quantity=STRING,
            unit_price=MONEY,
            amount=MONEY,
        ),
        "Quote": _obj(
            "currency lines taxable_value tax total",
            currency={"const": "INR"},
            lines={"type": "array", "items": _ref("QuoteLine")},
            taxable_value=MONEY,
            tax=MONEY,
            total=MONEY,
        ),
        "Terms": _obj(
            "free_cancellation_hours cancellation_fee included",
            free_cancellation_hours=INTEGER,
            cancellation_fee=MONEY,
            included=STRING,
        ),
        "Codes": _obj(
            "start end",
            start=STRING | {"pattern": r"^\d{4}$"},
            end=STRING | {"pattern": r"^\d{4}$"},
        ),
        "QuoteRequest": _obj(" ".join(slot_in), **slot_in, discount=MONEY_IN),
        "QuoteResult": _obj(
            "provider category start end quote total",
            provider=_ref("ProviderSummary"),
            category=_ref("Category"),
            start=DATETIME,
            end=DATETIME,
            quote=_ref("Quote"),
            total=MONEY,
        ),
        "HoldRequest": _obj(" ".join(slot_in), **slot_in, customer_phone=where["customer_phone"]),
        "Hold": _obj(
            "id provider_id start end expires_at",
            id=ID,
            provider_id=ID,
            start=DATETIME,
            end=DATETIME,
            expires_at=DATETIME,
        ),
        "BookingRequest": _obj(
            " ".join([*slot_in, "kind", "address"]),
            **slot_in,
            kind={"enum": ["visit", "hours", "event"]},
            hold_id=ID | {"description": "A hold of the same slot placed for the same customer"},
            **where,
        ),
        "Booking": _obj(
            (
                "id status status_label kind channel category provider customer starts_at "
                "ends_at address pincode quote total terms cancellation_fee accept_deadline "
                "series_id replaces_id"
            ),
            id=ID,
            status={"enum": list(BookingStatus.values)},
            status_label=STRING,
            kind={"enum": ["visit", "hours", "series", "engagement", "event"]},
            channel={"enum": ["web", "phone", "ondc", "government"]},
            category=_ref("Category"),
            provider=_ref("ProviderSummary"),
            customer=_ref("CustomerSummary"),
            starts_at=DATETIME,
            ends_at=DATETIME,
            address=STRING,
            pincode=STRING,
            notes=STRING,
            quote=_ref("Quote"),
            total=MONEY,
            terms=_ref("Terms"),
            cancellation_fee=_nullable(MONEY),
            cancelled_by=_nullable({"enum": ["customer", "provider", "system"]}),
            cancel_reason=_nullable(STRING),
            accept_deadline=_nullable(DATETIME),
            series_id=_nullable(ID),
            replaces_id=_nullable(ID),
            created_at=DATETIME,
            codes=_ref("Codes")
            | {"description": "Only when just booked and confirmed, to whoever booked"},
        ),
        "BookingEvent": _obj(
            "action from_status to_status actor at detail",
            action=STRING,
            from_status=_nullable(STRING),
            to_status=_nullable(STRING),
            actor={"enum": ["customer", "provider", "staff", "system"]},
            at=DATETIME,
            detail={"type": "object"},
        ),
        "BookingDetail": {
            "allOf": [
                _ref("Booking"),
                _obj("history", history={"type": "array", "items": _ref("BookingEvent")}),
            ]
        },
        "BookingPage": _obj(
            "as limit offset has_more results",
            **{"as": {"enum": ["customer", "provider", "all"]}},
            limit=INTEGER,
            offset=INTEGER,
            has_more={"type": "boolean"},
            results={"type": "array", "items": _ref("Booking")},
        ),
        "Reason": _obj("", reason=STRING),
        "CodeRequest": _obj("code", code=STRING | {"description": "The customer's code"}),
        "CodesIssued": _obj("booking_id codes", booking_id=ID, codes=_ref("Codes")),
        "RescheduleRequest": _obj("start end", start=DATETIME, end=DATETIME),
        "CancellationFee": _obj(
            "booking_id cancellable fee currency terms",
            booking_id=ID,
            cancellable={"type": "boolean"},
            fee=MONEY,
            currency={"const": "INR"},
            terms=_ref("Terms"),
        ),
        "PaymentRequest": _obj(
            "method amount",
            method={"enum": ["cash", "upi"]},
            amount=MONEY_IN | {"description": "Exactly the amount due"},
            reference=STRING | {"maxLength": 64, "description": "UPI transaction id"},
        ),
        "Payment": _obj(
            "id booking_id method status amount reference recorded_at",
            id=ID,
            booking_id=ID,
            method={"enum": ["cash", "upi"]},
            status={"enum": ["paid", "refunded"]},
            amount=MONEY,
            reference=STRING,
            recorded_at=DATETIME,
        ),
        "RatingRequest": _obj(
            "stars", stars={"type": "integer", "minimum": 1, "maximum": 5}, text=STRING
        ),
        "Rating": _obj(
            "id booking_id direction stars text created_at",
            id=ID,
            booking_id=ID,
            direction={"enum": ["customer", "provider"]},
            stars=INTEGER,
            text=STRING,
            created_at=DATETIME,
        ),
        "Substitute": _obj(
            "offer_id provider rating price visiting_charge pricing_unit",
            offer_id=ID,
            provider=_ref("ProviderSummary"),
            rating=_obj("average count", average={"type": "number"}, count=INTEGER),
            price=MONEY,
            visiting_charge=MONEY,
            pricing_unit=STRING,
        ),
        "Substitutes": _obj(
            "booking_id results",
            booking_id=ID,
            results={"type": "array", "items": _ref("Substitute")},
        ),
        "SubstituteRequest": _obj("offer_id", offer_id=ID),
        "SeriesRequest": _obj(
            "provider_id category kind frequency starts_on start_time end_time address",
            provider_id=ID,
            category=STRING,
            kind={"enum": ["series", "engagement"]},
            frequency={"enum": ["daily", "weekdays", "interval"]},
            weekdays={
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 6},
                "description": "frequency=weekdays: 0 = Monday",
            },
            interval_days={"type": "integer", "minimum": 1, "maximum": 365},
            starts_on=DATE,
            ends_on=DATE | {"description": "Give ends_on, count or both"},
            count={"type": "integer", "minimum": 1},
            start_time=TIME,
            end_time=TIME,
            **where,
        ),
        "Series": _obj(
            (
                "id kind status frequency weekdays interval_days starts_on ends_on count "
                "start_time end_time channel category provider customer"
            ),
            id=ID,
            kind={"enum": ["series", "engagement"]},
            status={"enum": ["active", "cancelled"]},
            frequency={"enum": ["daily", "weekdays", "interval"]},
            weekdays={"type": "array", "items": INTEGER},
            interval_days=INTEGER,
            starts_on=DATE,
            ends_on=_nullable(DATE),
            count=_nullable(INTEGER),
            start_time=TIME,
            end_time=TIME,
            channel=STRING,
            category=_ref("Category"),
            provider=_ref("ProviderSummary"),
            customer=_ref("CustomerSummary"),
        ),
        "SeriesWithBookings": _obj(
            "series bookings",
            series=_ref("Series"),
            bookings={"type": "array", "items": _ref("Booking")},
        ),
        "SeriesCancelled": _obj(
            "series cancelled",
            series=_ref("Series"),
            cancelled={"type": "array", "items": ID},
        ),
        # --- search and sign-in (sevamitra.search.api, sevamitra.accounts.api) -------------
        "SearchHit": _obj(
            (
                "id display_name name_hi name_latin photo_url district distance_km rating "
                "experience_years languages quote terms"
            ),
            id=ID,
            display_name=STRING,
            name_hi=STRING,
            name_latin=STRING,
            photo_url=_nullable(STRING),
            district=STRING,
            distance_km={"type": "number"},
            rating=_obj("average count", average={"type": "number"}, count=INTEGER),
            experience_years=INTEGER,
            languages={"type": "array", "items": STRING},
            quote=_ref("Quote"),
            terms=_ref("Terms"),
        ),
        "SearchResults": _obj(
            "category location slot limit offset has_more results",
            category=_obj(
                "slug name name_en name_hi pricing_unit",
                slug=STRING,
                name=STRING,
                name_en=STRING,
                name_hi=STRING,
                pricing_unit=STRING,
            ),
            location=_obj(
                "lat lng pincode",
                lat={"type": "number"},
                lng={"type": "number"},
                pincode=_nullable(STRING),
            ),
            slot=_ref("Slot"),
            limit=INTEGER,
            offset=INTEGER,
            has_more={"type": "boolean"},
            results={"type": "array", "items": _ref("SearchHit")},
        ),
        "CsrfToken": _obj("csrf_token", csrf_token=STRING),
        "OtpRequest": _obj("phone", phone=PHONE),
        "OtpSent": _obj("status expires_in", status={"const": "sent"}, expires_in=INTEGER),
        "OtpVerify": _obj("phone code", phone=PHONE, code=STRING | {"pattern": r"^\d{6}$"}),
        "SignedIn": _obj(
            "user",
            user=_obj(
                "id phone_masked roles",
                id=ID,
                phone_masked=MASKED_PHONE,
                roles={"type": "array", "items": STRING},
            ),
        ),
        "SignedOut": _obj("status", status={"const": "signed_out"}),
    }


_ERRORS = {
    "400": "Invalid input: `field` names it (`bad_json`, `required`, `invalid_*`, "
    "`slot_in_past`, `slot_too_far`, `reason_required`, `wrong_code`, `series_too_long`, "
    "`payment_amount_mismatch`, …)",
    "401": "Not signed in (`not_authenticated`)",
    "403": "Not allowed (`permission_denied`); also any write by an auditor, and a write "
    "without the CSRF token",
    "404": "No such thing, or one the caller may not see (`not_found`)",
    "405": "Method not allowed here (`method_not_allowed`)",
    "409": "Refused in the current state: `slot_taken` (with `alternatives`), "
    "`outside_hours`, `provider_on_leave`, `provider_not_verified`, "
    "`police_verification_lapsed`, `hold_invalid`, `illegal_transition`, "
    "`series_unavailable` (with `failed`)",
    "423": "Too many wrong codes (`too_many_tries`): the customer asks for new codes",
    "429": "Too many requests (`rate_limited`, with Retry-After)",
}


def _responses() -> dict[str, Any]:
    return {
        code: {"description": text, "content": {JSON: {"schema": _ref("Error")}}}
        for code, text in _ERRORS.items()
    }


def _op(
    summary: str,
    tag: str,
    ok: tuple[str, str | None],
    *,
    errors: tuple[str, ...] = ("400", "401", "403", "404", "405", "409"),
    body: str | None = None,
    params: tuple[Schema, ...] = (),
    public: bool = False,
    description: str = "",
) -> Schema:
    status, schema = ok
    response: Schema = {"description": "OK" if status != "204" else "Done, no content"}
    if schema is not None:
        response["content"] = {JSON: {"schema": _ref(schema)}}
    operation: Schema = {
        "summary": summary,
        "tags": [tag],
        "responses": {
            status: response,
            **{code: {"$ref": f"#/components/responses/E{code}"} for code in errors},
        },
    }
    if description:
        operation["description"] = description
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": _ref(body)}},
        }
    if params:
        operation["parameters"] = list(params)
    if public:
        operation["security"] = []
    return operation


def _path_id(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def _query(name: str, schema: Schema, description: str = "", required: bool = False) -> Schema:
    param: Schema = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        param["description"] = description
    return param


BOOKING = ("booking_id",)


def _booking_action(
    summary: str,
    *,
    body: str | None = None,
    ok: str = "Booking",
    status: str = "200",
    errors: tuple[str, ...] = (),
    description: str = "",
    method: str = "post",
) -> dict[str, Schema]:
    codes = ("400", "401", "403", "404", "405", "409", *errors)
    return {
        method: _op(
            summary,
            "bookings",
            (status, ok),
            body=body,
            errors=codes,
            params=(_path_id("booking_id"),),
            description=description,
        )
    }


def _paths() -> dict[str, Any]:
    cap = settings.BOOKING_SERIES_MAX_OCCURRENCES
    b = "/api/v1/bookings/{booking_id}"
    return {
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1 document"}},
            }
        },
        "/api/v1/search": {
            "get": _op(
                "Verified providers free for a slot near a point",
                "search",
                ("200", "SearchResults"),
                errors=("400", "405"),
                public=True,
                params=(
                    _query("q", STRING, "The service, in Hindi, Latin or Hinglish", True),
                    _query("lat", {"type": "number"}),
                    _query("lng", {"type": "number"}),
                    _query("pincode", PINCODE, "Instead of (or with) lat and lng"),
                    _query("start", DATETIME, required=True),
                    _query("end", DATETIME, required=True),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 50}),
                    _query("offset", {"type": "integer", "minimum": 0}),
                ),
            )
        },
        "/api/v1/auth/csrf": {
            "get": _op(
                "Set the CSRF cookie and return the token",
                "auth",
                ("200", "CsrfToken"),
                errors=("405",),
                public=True,
            )
        },
        "/api/v1/auth/otp/request": {
            "post": _op(
                "Send a sign-in code by SMS",
                "auth",
                ("202", "OtpSent"),
                body="OtpRequest",
                errors=("400", "403", "405", "429"),
                public=True,
            )
        },
        "/api/v1/auth/otp/verify": {
            "post": _op(
                "Sign in with the code (creates the account on first sign-in)",
                "auth",
                ("200", "SignedIn"),
                body="OtpVerify",
                errors=("400", "401", "403", "405", "423"),
                public=True,
            )
        },
        "/api/v1/auth/logout": {
            "post": _op(
                "Sign out", "auth", ("200", "SignedOut"), errors=("403", "405"), public=True
            )
        },
        "/api/v1/quotes": {
            "post": _op(
                "The price of a slot with a provider",
                "bookings",
                ("200", "QuoteResult"),
                body="QuoteRequest",
                errors=("400", "404", "405", "409"),
                public=True,
                description="Zero commission: the provider's own price, visiting charge, "
                "discount and GST if registered. Checks hours, leave and verification, not "
                "the calendar (a hold does that).",
            )
        },
        "/api/v1/holds": {
            "post": _op(
                "Keep a slot for a few minutes",
                "bookings",
                ("201", "Hold"),
                body="HoldRequest",
                description=f"Expires after {settings.BOOKING_HOLD_MINUTES} minutes by itself.",
            )
        },
        "/api/v1/holds/{hold_id}": {
            "delete": _op(
                "Give a held slot back",
                "bookings",
                ("204", None),
                errors=("401", "403", "404", "405"),
                params=(_path_id("hold_id"),),
            )
        },
        "/api/v1/bookings": {
            "get": _op(
                "Bookings: mine, mine as a provider, or (staff) everyone's",
                "bookings",
                ("200", "BookingPage"),
                errors=("400", "401", "403", "405"),
                params=(
                    _query(
                        "as",
                        {"enum": ["customer", "provider", "all"]},
                        "customer (default), provider, or all: call-centre agents, "
                        "administrators and auditors",
                    ),
                    _query("customer_phone", PHONE, "With as=all (implied)"),
                    _query("status", STRING, "One or more statuses, comma-separated"),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 50}),
                    _query("offset", {"type": "integer", "minimum": 0}),
                ),
            ),
            "post": _op(
                "Book a slot",
                "bookings",
                ("201", "Booking"),
                body="BookingRequest",
                description="Confirmed at once (with `codes`) when the provider accepts "
                "automatically, else `requested` with an `accept_deadline`.",
            ),
        },
        b: {
            "get": _op(
                "A booking with its history",
                "bookings",
                ("200", "BookingDetail"),
                errors=("401", "404", "405"),
                params=(_path_id("booking_id"),),
            )
        },
        f"{b}/accept": _booking_action("The provider accepts a request"),
        f"{b}/decline": _booking_action(
            "The provider declines a request",
            body="Reason",
            description="The request passes to the next best free provider.",
        ),
        f"{b}/en-route": _booking_action("The provider is on the way"),
        f"{b}/start": _booking_action(
            "The provider starts with the customer's start code",
            body="CodeRequest",
            errors=("423",),
        ),
        f"{b}/finish": _booking_action(
            "The provider finishes with the customer's end code",
            body="CodeRequest",
            errors=("423",),
        ),
        f"{b}/cancel": _booking_action(
            "Cancel (a reason is required)",
            body="Reason",
            description="The customer (or an agent for them) pays the fee by the terms at "
            "booking; the provider cancels at no cost to the customer.",
        ),
        f"{b}/cancellation-fee": _booking_action(
            "What cancelling now would cost", ok="CancellationFee", method="get"
        ),
        f"{b}/reschedule": _booking_action(
            "Move to another time, re-priced", body="RescheduleRequest"
        ),
        f"{b}/no-show": _booking_action("The customer reports that the provider did not come"),
        f"{b}/customer-absent": _booking_action(
            "The provider reports that the customer was not there (after the start time and "
            "the no-show grace); the customer's cancellation terms apply"
        ),
        f"{b}/codes": _booking_action("New start and end codes for the customer", ok="CodesIssued"),
        f"{b}/payments": _booking_action(
            "Record a cash or UPI payment of the amount due",
            body="PaymentRequest",
            ok="Payment",
            status="201",
        ),
        f"{b}/ratings": _booking_action(
            "Rate the other party (after completion, once)",
            body="RatingRequest",
            ok="Rating",
            status="201",
        ),
        f"{b}/substitutes": _booking_action(
            "Free verified providers who could take this booking instead",
            ok="Substitutes",
            method="get",
        ),
        f"{b}/substitute": _booking_action(
            "Book a proposed substitute for a visit the provider cancelled",
            body="SubstituteRequest",
            status="201",
        ),
        "/api/v1/series": {
            "post": _op(
                "Book a recurring series or a long engagement, all or nothing",
                "series",
                ("201", "SeriesWithBookings"),
                body="SeriesRequest",
                description=f"At most {cap} visits (`series_too_long`). Each visit confirmed at "
                "once carries its `codes`, shown only in this answer; new ones with "
                "POST /api/v1/bookings/{id}/codes.",
            )
        },
        "/api/v1/series/{series_id}": {
            "get": _op(
                "A series with its visits",
                "series",
                ("200", "SeriesWithBookings"),
                errors=("401", "404", "405"),
                params=(_path_id("series_id"),),
            )
        },
        "/api/v1/series/{series_id}/cancel": {
            "post": _op(
                "Cancel every visit not yet started",
                "series",
                ("200", "SeriesCancelled"),
                body="Reason",
                params=(_path_id("series_id"),),
            )
        },
    }


def _with_csrf(paths: dict[str, Any]) -> dict[str, Any]:
    """Every POST and DELETE needs the CSRF token, signed in or not (public endpoints)."""
    for operations in paths.values():
        for method in ("post", "delete"):
            if method in operations:
                operation = operations[method]
                signed_in = operation.get("security") != []
                operation["security"] = [{"session": [], "csrf": []} if signed_in else {"csrf": []}]
    return paths


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sevamitra API",
            "version": "1.0.0",
            "description": "Search, sign-in and bookings of Sevamitra. Session "
            "authentication: sign in with /api/v1/auth/otp/*, then send the session cookie "
            "and, on every POST and DELETE, the X-CSRFToken header (from /api/v1/auth/csrf). "
            "Messages are in Hindi unless the request asks for English (Accept-Language: en, "
            "the language cookie or the user's preference). Phone numbers of the other party "
            "are masked.",
        },
        "servers": [{"url": "/"}],
        "security": [{"session": []}],
        "tags": [
            {"name": "search"},
            {"name": "auth"},
            {"name": "bookings"},
            {"name": "series"},
            {"name": "meta"},
        ],
        "paths": _with_csrf(_paths()),
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "schemas": _schemas(),
            "responses": {f"E{code}": value for code, value in _responses().items()},
        },
    }
