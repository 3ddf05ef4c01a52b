"""The OpenAPI document covers every route under /api/v1/, and no route answers a 500 to
garbage: every URL, every method, malformed bodies and every field set to nonsense."""

import json
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.bookings.openapi import openapi_document
from sevamitra.bookings.tests.test_api import (
    LOCMEM_BACKEND,
    book,
    client_for,
    offer_slot,
    post,
    slot,
)
from sevamitra.catalog.matching import invalidate_catalog_index

pytestmark = pytest.mark.django_db
DOC_URL = "/api/v1/openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(autouse=True)
def _notifications(settings):
    settings.NOTIFICATIONS_BACKEND = LOCMEM_BACKEND


@pytest.fixture
def asha(customer):
    return client_for(customer)


@pytest.fixture
def agent():
    return user_with_roles(Role.AGENT)


def api_routes() -> Iterator[tuple[str, object]]:
    """(OpenAPI path, view) for every URL pattern under /api/v1/."""

    def walk(patterns, prefix: str):  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for route, view in walk(get_resolver().url_patterns, ""):
        if route.startswith("api/v1/"):
            yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), view


def test_the_document_is_served_as_openapi_3_1(client):
    response = client.get(DOC_URL)

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert document == json.loads(json.dumps(openapi_document()))
    assert document["info"]["title"] == "Sevamitra API"


def test_every_api_route_and_method_is_documented():
    paths = openapi_document()["paths"]
    routes = dict(api_routes())

    assert sorted(routes) == sorted(paths)
    for path, view in routes.items():
        allowed = getattr(view, "allowed_methods", None)
        if allowed is not None:  # the booking API's views say which methods they take
            documented = {m.upper() for m in paths[path] if m in METHODS}
            assert documented == set(allowed) - {"HEAD"}, path
    assert {
        "/api/v1/search",
        "/api/v1/auth/otp/request",
        "/api/v1/bookings/{booking_id}",
        "/api/v1/series/{series_id}/cancel",
    } <= set(paths)


def test_every_reference_resolves_and_every_operation_has_an_error_schema():
    document = openapi_document()
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/(\w+)/(\w+)"', text)):
        assert ref[1] in document["components"][ref[0]], ref
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (path, method)
            if path != DOC_URL:
                assert any(code.startswith("4") for code in responses), (path, method)
    error = document["components"]["schemas"]["ErrorDetail"]
    assert error["required"] == ["code", "message"]


def test_the_series_cap_in_the_document_follows_the_setting(settings):
    settings.BOOKING_SERIES_MAX_OCCURRENCES = 7

    description = openapi_document()["paths"]["/api/v1/series"]["post"]["description"]

    assert description.startswith("At most 7 visits")


# --- garbage never gives a 500 --------------------------------------------------------------

NONSENSE = [
    None,
    "",
    " ",
    "\x00",
    "x" * 5000,
    "\ud800",
    "é\ud7ff",
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    1e308,
    float("nan"),
    float("inf"),
    True,
    False,
    [],
    {},
    ["a"],
    {"a": 1},
    [[[[]]]],
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+14:00",
    "2026-13-45T25:61",
    "NaN",
    "Infinity",
    "1e999",
    "-0",
    "२०२६-१२-०१",
    "12:99",
    "99:00",
    "9999-12-31",
    "0001-01-01",
    "+91 00000 00000",
    "1,2",
]
QUERY_PARAMETERS = (
    "as",
    "limit",
    "offset",
    "status",
    "customer_phone",
    "q",
    "lat",
    "lng",
    "start",
    "end",
    "pincode",
)
BODIES = [
    b"",
    b"garbage",
    b"[]",
    b"null",
    b'"text"',
    b"{}",
    b"\xff\xfe\x00",
    b"{" * 5000,
    b'{"a": NaN}',
    b'{"provider_id": 1e999}',
]


def _request_fields(document: dict, path: str, method: str) -> list[str]:
    operation = document["paths"][path].get(method, {})
    ref = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
    )
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return list(schema.get("properties", {}))


@pytest.fixture
def world(electrician, dog_walker_offer, day, customer, asha):
    """A confirmed booking, a hold and a series of Asha's, with ids for every URL."""
    invalidate_catalog_index()
    booking = book(asha, electrician, day)
    hold = post(asha, "/api/v1/holds", offer_slot(electrician, day, "14:00", "15:00")).json()
    series = post(
        asha,
        "/api/v1/series",
        {
            "provider_id": dog_walker_offer.provider_id,
            "category": "dog-walker",
            "kind": "series",
            "frequency": "daily",
            "starts_on": day.isoformat(),
            "count": 2,
            "start_time": "08:00",
            "end_time": "08:30",
            "address": "x",
        },
    ).json()
    base = {
        "provider_id": electrician.provider_id,
        "category": "electrician",
        "kind": "visit",
        "address": "12, Hazratganj",
        "pincode": "226001",
        "reason": "x",
        "code": "1234",
        "method": "cash",
        "amount": "350",
        "stars": 5,
        "offer_id": electrician.pk,
        "frequency": "daily",
        "starts_on": day.isoformat(),
        "count": 2,
        "start_time": "09:00",
        "end_time": "09:30",
        "phone": "9876543210",
        "hold_id": hold["id"],
        **slot(day, "16:00", "17:00"),
    }
    ids = {"booking_id": booking["id"], "hold_id": hold["id"], "series_id": series["series"]["id"]}
    return base, ids


@pytest.fixture
def dog_walker_offer():
    from sevamitra.providers.tests.factories import ProviderFactory

    return ProviderFactory(auto_accept=True, offers=[("dog-walker", "100", "0")]).offers.get()


def _send(client: Client, method: str, url: str, body: bytes | str):  # type: ignore[no-untyped-def]
    return client.generic(
        method.upper(), url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def _assert_not_500(response, what, *, json_only: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Below 500; and from the booking API's own views always JSON (a CSRF refusal, which
    the test client does not enforce, and 204 aside)."""
    assert response.status_code < 500, what
    if json_only and response.status_code != 204:
        assert response["Content-Type"] == "application/json", what


@pytest.mark.parametrize("who", ["anonymous", "customer", "provider", "agent"])
def test_garbage_to_every_endpoint_is_never_a_500(world, who, customer, electrician, agent):
    base, ids = world
    user = {
        "anonymous": None,
        "customer": customer,
        "provider": electrician.provider.user,
        "agent": agent,
    }[who]
    client = client_for(user)
    document = openapi_document()
    for path, view in api_routes():
        ours = hasattr(view, "allowed_methods")
        urls = [path.format(**ids)]
        if "{" in path:
            urls += [
                path.format(**dict.fromkeys(ids, 10**20)),
                path.format(**dict.fromkeys(ids, 0)),
            ]
        for url in urls:
            for method in METHODS:
                documented = method in document["paths"][path]
                # Every malformed body where the method is served; two where it is not.
                bodies = BODIES if documented and url == urls[0] else BODIES[:2]
                for body in bodies:
                    _assert_not_500(
                        _send(client, method, url, body), (method, url, body), json_only=ours
                    )
                fields = _request_fields(document, path, method)
                for field in fields if url == urls[0] and who != "provider" else []:
                    for value in NONSENSE:
                        body = json.dumps({**base, field: value})
                        _assert_not_500(
                            _send(client, method, url, body),
                            (method, url, field, value),
                            json_only=ours,
                        )
        for value in NONSENSE:
            text = value if isinstance(value, str) else json.dumps(value)
            if "\ud800" in text:
                continue  # cannot be sent in a URL at all
            params = dict.fromkeys(QUERY_PARAMETERS, text)
            _assert_not_500(client.get(urls[0], params), (urls[0], params), json_only=ours)
            if "/auth/" in path and user is not None:
                client.force_login(user)  # sign-in and sign-out endpoints change the session
