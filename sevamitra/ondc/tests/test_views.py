"""POST /ondc/<action>: configuration, body limit, signatures, JSON, context, idempotency,
logging and queueing — over HTTP (Django's test client), with the simulator's registry stub
answering key lookups over real HTTP on loopback."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nacl.signing import SigningKey

from sevamitra.ondc import errors
from sevamitra.ondc.handlers import ACTIONS, PRECHECKS
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.tests.simulator import BUYER_ID, BUYER_KEY_ID, NODE_ID, iso, running
from sevamitra.tasks.models import Job

pytestmark = pytest.mark.django_db

ACK = {"message": {"ack": {"status": "ACK"}}}
CHALLENGE = f'Signature realm="{NODE_ID}",headers="(created) (expires) digest"'


@pytest.fixture
def sim(settings):
    with running(settings) as simulator:
        yield simulator


def post(client, sim, action, body, *, headers=None, **signing):
    data = sim.encode(body)
    sent = sim.headers_for(data, **signing)
    sent.pop("Content-Type")
    sent.update(headers or {})
    return client.post(f"/ondc/{action}", data=data, content_type="application/json", headers=sent)


def jobs():
    return list(Job.objects.filter(name="ondc.process").values_list("payload", flat=True))


def nack(response):
    body = response.json()
    assert body["message"] == {"ack": {"status": "NACK"}}
    return body["error"]


# --- Configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_unconfigured_node_answers_503_with_a_clear_message(client, settings, action):
    settings.ONDC_SUBSCRIBER_ID = ""
    settings.ONDC_SIGNING_PRIVATE_KEY = ""
    response = client.post(f"/ondc/{action}", data=b"{}", content_type="application/json")
    assert response.status_code == 503
    assert nack(response) == {
        "type": "CORE-ERROR",
        "code": "31001",
        "message": "The ONDC seller node of this portal is not configured.",
    }
    assert OndcMessage.objects.count() == 0
    assert jobs() == []


def test_misconfigured_key_answers_503_without_details(client, sim, settings, caplog):
    settings.ONDC_SIGNING_PRIVATE_KEY = "bm90IGEga2V5"  # "not a key": 9 bytes
    response = post(client, sim, "search", sim.search_body())
    assert response.status_code == 503
    assert "misconfigured" in nack(response)["message"]
    assert "ONDC_SIGNING_PRIVATE_KEY" in caplog.text
    assert OndcMessage.objects.count() == 0


def test_get_is_not_allowed(client, sim):
    assert client.get("/ondc/search").status_code == 405


def test_rest_of_portal_runs_without_ondc(client, settings):
    settings.ONDC_SUBSCRIBER_ID = ""
    assert client.get("/healthz").status_code == 200


# --- The happy path --------------------------------------------------------------------------


def test_valid_search_is_acked_logged_and_queued(client, sim):
    body = sim.search_body(category="SRV11-1025")
    data = sim.encode(body)

    response = post(client, sim, "search", body)

    assert response.status_code == 200
    assert response.json() == ACK
    row = OndcMessage.objects.get()
    assert row.direction == Direction.INBOUND
    assert row.action == "search"
    assert row.counterparty == BUYER_ID
    assert row.message_id == body["context"]["message_id"]
    assert row.transaction_id == body["context"]["transaction_id"]
    assert row.body.encode() == data  # exactly the bytes received
    assert row.headers["Authorization"].startswith(f'Signature keyId="{BUYER_ID}|{BUYER_KEY_ID}|')
    assert row.signature_ok is True
    assert row.signature_detail == f"ok: {BUYER_ID}|{BUYER_KEY_ID}"
    assert (row.ack, row.http_status, row.response, row.error_code) == ("ACK", 200, ACK, "")
    assert row.done_at is not None and row.duration_ms is not None
    assert jobs() == [{"log_id": row.pk}]


def test_search_through_a_gateway_verifies_both_signatures(client, sim):
    response = post(client, sim, "search", sim.search_body(), via_gateway=True)
    assert response.json() == ACK
    assert OndcMessage.objects.get().signature_detail.endswith("via gateway.sim.test")


def test_search_for_any_city_is_accepted(client, sim):
    response = post(client, sim, "search", sim.search_body(city="*"))
    assert response.json() == ACK


# --- Signatures: 401 -------------------------------------------------------------------------


def _replayed(sim):
    # Signed 10 minutes ago with a long lifetime: still "valid" by its own expires, but outside
    # the replay window (ONDC_MAX_SIGNATURE_AGE_SECONDS = 300).
    created = int(time.time()) - 600
    return {"created": created, "expires": created + 3600}


SIGNATURE_FAILURES = {
    "missing": ({"sign": False}, "Authorization header: missing"),
    "malformed": (
        {"headers": {"Authorization": 'Signature keyId="x",algorithm="ed25519"'}},
        "Authorization header: malformed: missing created, expires, headers, signature",
    ),
    "expired": ({"expired": True}, "Authorization header: expired"),
    "replayed outside the window": (
        "replayed",
        "Authorization header: too old: signed more than 300 s ago",
    ),
    "created in the future": (
        {"created": int(time.time()) + 3600},
        "Authorization header: created is in the future",
    ),
    "wrong key": (
        {"key": SigningKey.generate()},
        "Authorization header: signature does not match the body",
    ),
    "unknown key": (
        {"unique_key_id": "no-such-key"},
        "Authorization header: unknown key: not in the registry",
    ),
    "unknown subscriber": (
        {"subscriber_id": "stranger.example"},
        "Authorization header: unknown key: not in the registry",
    ),
    "tampered body": ("tamper-body", "Authorization header: signature does not match the body"),
}


@pytest.mark.parametrize("case", SIGNATURE_FAILURES, ids=list(SIGNATURE_FAILURES))
def test_bad_signatures_get_401_nack_30016_and_a_challenge(client, sim, case):
    signing, message = SIGNATURE_FAILURES[case]
    body = sim.search_body()
    if signing == "replayed":
        response = post(client, sim, "search", body, **_replayed(sim))
    elif signing == "tamper-body":
        data = sim.encode(body)
        headers = sim.headers_for(data)
        headers.pop("Content-Type")
        tampered = data.replace(b'amount"},"value":"3"', b'amount"},"value":"9"')
        assert tampered != data
        response = client.post(
            "/ondc/search", data=tampered, content_type="application/json", headers=headers
        )
    else:
        response = post(client, sim, "search", body, **signing)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE
    assert nack(response) == {"type": "POLICY-ERROR", "code": "30016", "message": message}
    row = OndcMessage.objects.get()
    assert (row.signature_ok, row.http_status, row.ack) == (False, 401, "NACK")
    assert row.signature_detail == message
    assert jobs() == []


def test_bad_gateway_signature_gets_401_naming_the_gateway_header(client, sim):
    response = post(
        client,
        sim,
        "search",
        sim.search_body(),
        via_gateway=True,
        gateway_key=SigningKey.generate(),
    )
    assert response.status_code == 401
    # WWW-Authenticate: Proxy-Authenticate is hop-by-hop, which WSGI applications may not send.
    assert response["WWW-Authenticate"] == CHALLENGE
    assert nack(response)["message"].startswith("X-Gateway-Authorization header: ")
    assert jobs() == []


def test_expired_key_in_the_registry_is_unknown(client, sim):
    record = sim.registry.find(BUYER_ID, BUYER_KEY_ID)
    record["valid_until"] = iso(datetime.now(UTC) - timedelta(minutes=1))
    response = post(client, sim, "search", sim.search_body())
    assert response.status_code == 401
    assert nack(response)["message"] == (
        "Authorization header: unknown key: expired in the registry"
    )


def test_registry_down_is_a_retryable_503_not_kept_as_the_answer(client, sim):
    body = sim.search_body()
    sim.registry.fail_with = 500
    response = post(client, sim, "search", body)
    assert response.status_code == 503
    assert nack(response)["code"] == "31001"
    assert jobs() == []

    sim.registry.fail_with = 0
    again = post(client, sim, "search", body)  # the same message, once the registry is back
    assert again.json() == ACK
    assert len(jobs()) == 1


def test_keys_are_cached_and_the_lookup_is_signed_by_us(client, sim):
    post(client, sim, "search", sim.search_body())
    post(client, sim, "search", sim.search_body())
    assert len(sim.registry.lookups) == 1
    lookup = sim.registry.lookups[0]
    assert lookup.request == {"subscriber_id": BUYER_ID, "ukId": BUYER_KEY_ID, "country": "IND"}
    assert lookup.signed_by == f"{NODE_ID}|node-key-1|ed25519"
    assert lookup.signature_ok is True


# --- Body: size and JSON ---------------------------------------------------------------------


def test_a_1_mb_body_gets_413_and_is_not_read(client, sim):
    body = sim.search_body()
    body["message"]["padding"] = "x" * (1024 * 1024)
    response = post(client, sim, "search", body)
    assert response.status_code == 413
    assert nack(response) == {
        "type": "POLICY-ERROR",
        "code": "30000",
        "message": "the body is larger than 262144 bytes",
    }
    row = OndcMessage.objects.get()
    assert (row.body, row.http_status, row.signature_ok) == ("", 413, None)
    assert jobs() == []


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[1, 2]", b'{"message": {}}', b"\xff\xfe", b'{"context": "x"}']
)
def test_malformed_json_gets_a_json_schema_nack(client, sim, raw):
    response = post(client, sim, "search", raw)
    assert response.status_code == 200
    assert nack(response) == {
        "type": "JSON-SCHEMA-ERROR",
        "code": "30000",
        "message": "the body is not a JSON object with a context",
        "path": "context",
    }
    assert OndcMessage.objects.get().signature_ok is True
    assert jobs() == []


def test_deeply_nested_json_is_refused_not_a_crash(client, sim):
    deep = b'{"context":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = post(client, sim, "search", deep)
    assert nack(response)["type"] == "JSON-SCHEMA-ERROR"
    body = sim.search_body()
    body["message"]["extra"] = json.loads("[" * 900 + "]" * 900)
    response = post(client, sim, "search", body)
    assert response.status_code == 200  # ACK, or a NACK: never a crash


def test_body_failing_the_schema_gets_a_nack_naming_the_path(client, sim):
    body = sim.search_body()
    del body["message"]["intent"]["fulfillment"]
    response = post(client, sim, "search", body)
    error = nack(response)
    assert (error["type"], error["code"]) == ("JSON-SCHEMA-ERROR", "30000")
    assert error["path"] == "message.intent.fulfillment"
    assert jobs() == []


def test_nul_characters_in_the_body_are_logged_safely(client, sim):
    body = sim.search_body()
    data = sim.encode(body).replace(b'"ttl":"PT30S"', b'"ttl":"PT30S\x00"')
    response = post(client, sim, "search", data)
    assert response.status_code == 200
    assert "\x00" not in OndcMessage.objects.get().body


# --- Context ---------------------------------------------------------------------------------


def _stamp(delta_seconds):
    return iso(datetime.now(UTC) + timedelta(seconds=delta_seconds))


CONTEXT_CASES = {
    "wrong domain": (
        {"domain": "ONDC:RET10"},
        "30000",
        "context.domain",
        "domain 'ONDC:RET10' is not served: this node is ONDC:SRV11",
    ),
    "wrong version": (
        {"version": "1.2.0"},
        "30000",
        "context.version",
        "version '1.2.0' is not supported: use 2.0.0",
    ),
    "action not the endpoint": (
        {"action": "select"},
        "30000",
        "context.action",
        "context.action 'select' does not match /search",
    ),
    "another bpp": (
        {"bpp_id": "other-seller.example"},
        "30000",
        "context.bpp_id",
        "context.bpp_id 'other-seller.example' is not this seller node",
    ),
    "city not served": (
        {"location": {"city": {"code": "std:080"}, "country": {"code": "IND"}}},
        "30000",
        "context.location.city.code",
        "city 'std:080' is not served by this seller node",
    ),
    "another country": (
        {"location": {"city": {"code": "std:0522"}, "country": {"code": "USA"}}},
        "30000",
        "context.location.country.code",
        "country 'USA' is not IND",
    ),
    "bap_id not the signer": (
        {"bap_id": "other-buyer.example"},
        "30016",
        "context.bap_id",
        "context.bap_id 'other-buyer.example' is not the signer 'buyer.sim.test'",
    ),
    "callbacks elsewhere": (
        {"bap_uri": "http://127.0.0.1:9/elsewhere"},
        "30000",
        "context.bap_uri",
        "context.bap_uri is not the buyer app's subscriber_url in the registry",
    ),
    "timestamp in the future": (
        {"timestamp": _stamp(3600)},
        "30000",
        "context.timestamp",
        "context.timestamp is in the future",
    ),
    "stale": (
        {"timestamp": _stamp(-120)},
        "30022",
        "context.timestamp",
        "stale request: older than its ttl",
    ),
}


@pytest.mark.parametrize("case", CONTEXT_CASES, ids=list(CONTEXT_CASES))
def test_wrong_context_gets_a_context_error(client, sim, case):
    change, code, path, message = CONTEXT_CASES[case]
    body = sim.search_body()
    body["context"].update(change)
    response = post(client, sim, "search", body)
    assert response.status_code == 200
    assert nack(response) == {
        "type": "CONTEXT-ERROR",
        "code": code,
        "message": message,
        "path": path,
    }
    row = OndcMessage.objects.get()
    assert (row.ack, row.error_code, row.signature_ok) == ("NACK", code, True)
    assert jobs() == []


def test_city_list_empty_means_every_city(client, sim, settings):
    settings.ONDC_CITY_CODES = []
    response = post(client, sim, "search", sim.search_body(city="std:080"))
    assert response.json() == ACK


def test_select_for_our_bpp_is_accepted(client, sim):
    body = sim.select_body(provider_id="P1", item_id="I1")
    assert post(client, sim, "select", body).json() == ACK


# --- Idempotency -----------------------------------------------------------------------------


def test_repeated_message_id_returns_the_same_answer_and_queues_nothing(client, sim):
    body = sim.search_body()
    first = post(client, sim, "search", body)
    body["context"]["timestamp"] = sim.context("search")["timestamp"]  # re-sent a moment later
    second = post(client, sim, "search", body)

    assert first.json() == second.json() == ACK
    assert len(jobs()) == 1
    original, repeat = OndcMessage.objects.order_by("id")
    assert repeat.repeat_of == original
    assert (repeat.ack, repeat.http_status, repeat.signature_ok) == ("ACK", 200, True)


def test_repeat_of_a_nack_gets_the_same_nack(client, sim):
    body = sim.search_body()
    body["context"]["domain"] = "ONDC:RET10"
    first = post(client, sim, "search", body)
    body["context"]["domain"] = "ONDC:SRV11"  # same message id: still the first answer
    second = post(client, sim, "search", body)
    assert first.json() == second.json()
    assert nack(second)["path"] == "context.domain"
    assert jobs() == []


def test_same_message_id_from_another_action_or_buyer_is_a_new_request(client, sim):
    message_id = str(uuid.uuid4())
    post(client, sim, "search", sim.search_body(message_id=message_id))
    select = sim.select_body(provider_id="P1", item_id="I1", message_id=message_id)
    assert post(client, sim, "select", select).json() == ACK
    assert len(jobs()) == 2


def test_failed_signature_does_not_take_the_message_id(client, sim):
    body = sim.search_body()
    assert post(client, sim, "search", body, key=SigningKey.generate()).status_code == 401
    assert post(client, sim, "search", body).json() == ACK
    assert len(jobs()) == 1


# --- Synchronous prechecks of the handlers ---------------------------------------------------


@pytest.fixture
def confirm_precheck():
    seen = []

    def check(action, parsed):
        seen.append((action, parsed.context.transaction_id))
        raise errors.OndcError(
            errors.ORDER_VALIDATION_FAILURE, "confirm before init", type=errors.POLICY_ERROR
        )

    previous = PRECHECKS.get("confirm")
    PRECHECKS["confirm"] = check
    yield seen
    if previous is None:
        PRECHECKS.pop("confirm", None)
    else:
        PRECHECKS["confirm"] = previous


def test_precheck_refusal_is_a_synchronous_nack(client, sim, confirm_precheck):
    body = sim.confirm_body(provider_id="P1", item_id="I1")
    response = post(client, sim, "confirm", body)
    assert nack(response) == {
        "type": "POLICY-ERROR",
        "code": "31002",
        "message": "confirm before init",
    }
    assert confirm_precheck == [("confirm", body["context"]["transaction_id"])]
    assert jobs() == []


def test_precheck_crash_is_a_retryable_503(client, sim, caplog):
    def crash(action, parsed):
        raise RuntimeError("boom")

    previous = PRECHECKS.get("confirm")
    PRECHECKS["confirm"] = crash
    try:
        body = sim.confirm_body(provider_id="P1", item_id="I1")
        response = post(client, sim, "confirm", body)
    finally:
        if previous is None:
            PRECHECKS.pop("confirm", None)
        else:
            PRECHECKS["confirm"] = previous
    assert response.status_code == 503
    assert nack(response)["code"] == "31001"
    assert "boom" in caplog.text
    assert jobs() == []


def test_log_keeps_the_answer_for_every_request(client, sim):
    post(client, sim, "search", sim.search_body())
    post(client, sim, "search", sim.search_body(), sign=False)
    rows = OndcMessage.objects.order_by("id")
    assert [(r.ack, r.http_status) for r in rows] == [("ACK", 200), ("NACK", 401)]
    assert all(json.dumps(r.response) for r in rows)


def test_two_copies_at_once_are_processed_once(client, sim, monkeypatch):
    """The second copy passes the repeat check before the first is stored; the database's
    unique constraint catches it, and it gets the first copy's answer."""
    from sevamitra.ondc import views

    body = sim.search_body()
    assert post(client, sim, "search", body).json() == ACK
    real = views._first_request
    calls = []

    def raced(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)  # blind the first check only

    monkeypatch.setattr(views, "_first_request", raced)
    second = post(client, sim, "search", body)

    assert second.json() == ACK
    assert len(calls) == 2
    assert len(jobs()) == 1
    original, repeat = OndcMessage.objects.order_by("id")
    assert repeat.repeat_of == original
