"""End to end, hostile: what a careless or malicious peer sends gets the network's refusal over
real HTTP — the right status, NACK and code, a log row — and never a callback or a booking.
(See test_e2e_flows.py for the set-up.)"""

from __future__ import annotations

import json
import time

import pytest
from nacl.signing import SigningKey

from sevamitra.bookings.models import Booking
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.tests.conftest import Buyer, run_jobs
from sevamitra.ondc.tests.simulator import default_slot
from sevamitra.ondc.tests.test_e2e_flows import ids
from sevamitra.providers.tests.factories import ProviderFactory
from sevamitra.tasks.models import Job

pytestmark = [pytest.mark.django_db(transaction=True)]

NACK = {"ack": {"status": "NACK"}}
CHALLENGE = 'Signature realm="sevamitra.test",headers="(created) (expires) digest"'


@pytest.fixture
def offer():
    provider = ProviderFactory(auto_accept=True, offers=[("electrician", "300", "50")])
    return provider.offers.get()


def refused(buyer: Buyer, action: str, body, **send) -> tuple[int, dict, OndcMessage]:  # type: ignore[no-untyped-def]
    """Send, run the worker; the request must have been logged, queued nothing and called
    nobody back. (HTTP status, the error, the log row)."""
    status, answer = buyer.sim.send(action, body, **send)
    run_jobs()
    assert answer["message"] == NACK, answer
    assert buyer.callbacks() == []
    assert not Job.objects.filter(name__startswith="ondc.").exists()
    [row] = OndcMessage.objects.filter(direction=Direction.INBOUND, action=action)
    assert (row.ack, row.http_status, row.error_code) == ("NACK", status, answer["error"]["code"])
    return status, answer["error"], row


# --- signatures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    [
        {"tamper": "signature"},  # one bit of the signature flipped
        {"tamper": "body"},  # the body changed after signing
        {"expired": True},  # signed an hour ago, valid for a minute
        {"sign": False},  # no Authorization at all
        {"key": SigningKey.generate(), "unique_key_id": "no-such-key"},  # unknown to the registry
        {"key": SigningKey.generate()},  # the buyer's key id, someone else's key
    ],
    ids=["bad-signature", "tampered-body", "expired", "unsigned", "unknown-key", "wrong-key"],
)
def test_bad_signatures_get_401_and_30016(buyer, how):
    body = buyer.sim.search_body(category="SRV11-1025")

    status, error, row = refused(buyer, "search", body, **how)

    assert status == 401
    assert (error["type"], error["code"]) == ("POLICY-ERROR", "30016")
    assert buyer.sim.last_response.headers["WWW-Authenticate"] == CHALLENGE
    assert row.signature_ok is False


def test_a_bad_gateway_signature_is_refused_too(buyer):
    body = buyer.sim.search_body(category="SRV11-1025")

    status, error, _row = refused(
        buyer, "search", body, via_gateway=True, gateway_key=SigningKey.generate()
    )

    assert (status, error["code"]) == (401, "30016")
    assert "X-Gateway-Authorization" in error["message"]
    # Not Proxy-Authenticate (BECKN-006): a hop-by-hop header no WSGI application may send.
    assert buyer.sim.last_response.headers["WWW-Authenticate"] == CHALLENGE


def test_a_search_through_the_gateway_is_answered(buyer, offer):
    body = buyer.sim.search_body(category="SRV11-1025")

    status, answer = buyer.sim.send("search", body, via_gateway=True)
    run_jobs()

    assert (status, answer) == (200, {"message": {"ack": {"status": "ACK"}}})
    callback = buyer.sim.wait("on_search", body["context"]["message_id"])
    assert callback.signature_ok


# --- bodies and contexts ----------------------------------------------------------------------


def test_malformed_json_is_a_schema_error(buyer):
    status, error, row = refused(buyer, "search", b'{"context": {"domain": "ONDC:SRV11",')

    assert status == 200
    assert (error["type"], error["code"]) == ("JSON-SCHEMA-ERROR", "30000")
    assert row.signature_ok is True  # signed correctly: only the content is wrong


def test_a_missing_required_field_is_a_schema_error_naming_it(buyer, offer):
    body = buyer.sim.select_body(**ids(offer))
    del body["message"]["order"]["items"]

    status, error, _row = refused(buyer, "select", body)

    assert (status, error["type"], error["code"]) == (200, "JSON-SCHEMA-ERROR", "30000")
    assert "items" in error["message"]


def test_wrong_domain_is_a_context_error(buyer):
    body = buyer.sim.search_body(category="SRV11-1025", domain="ONDC:RET10")

    status, error, _row = refused(buyer, "search", body)

    assert (status, error["type"], error["code"]) == (200, "CONTEXT-ERROR", "30000")
    assert error["path"] == "context.domain"


def test_a_stale_request_is_30022(buyer):
    body = buyer.sim.search_body(
        category="SRV11-1025", timestamp="2020-01-01T10:00:00.000Z", ttl="PT30S"
    )

    status, error, _row = refused(buyer, "search", body)

    assert (status, error["type"], error["code"]) == (200, "CONTEXT-ERROR", "30022")


def test_a_one_megabyte_body_is_refused_unread(buyer):
    body = buyer.sim.search_body(category="SRV11-1025")
    body["message"]["padding"] = "x" * (1024 * 1024)

    status, error, row = refused(buyer, "search", body)

    assert status == 413
    assert error["code"] == "30000"
    assert row.body == ""  # not read, not stored
    assert row.signature_ok is None


# --- idempotency and order --------------------------------------------------------------------


def test_a_repeated_message_id_gets_the_same_answer_and_one_callback(buyer, offer):
    sim = buyer.sim
    body = sim.search_body(category="SRV11-1025")
    message_id = body["context"]["message_id"]

    first = sim.send("search", body)
    run_jobs()
    sim.wait("on_search", message_id)
    again = sim.send("search", body)  # the buyer app retries: same message id, new signature
    run_jobs()
    time.sleep(0.3)  # anything sent would have arrived by now

    assert first == again == (200, {"message": {"ack": {"status": "ACK"}}})
    assert len(buyer.callbacks("on_search", message_id=message_id)) == 1
    rows = OndcMessage.objects.filter(message_id=message_id).order_by("pk")
    assert [(r.direction, r.action) for r in rows] == [
        (Direction.INBOUND, "search"),
        (Direction.OUTBOUND, "on_search"),
        (Direction.INBOUND, "search"),
    ]


def test_a_repeated_refusal_is_refused_the_same_way(buyer):
    body = buyer.sim.search_body(category="SRV11-1025", domain="ONDC:RET10")

    first = buyer.sim.send("search", body)
    again = buyer.sim.send("search", body)

    assert first == again
    assert first[1]["error"]["code"] == "30000"


def test_confirm_without_init_is_refused(buyer, offer):
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    body = sim.confirm_body(
        **ids(offer), start=start, end=end, quote={"price": {"currency": "INR", "value": "350.00"}}
    )

    status, error, _row = refused(buyer, "confirm", body)

    assert (status, error["type"], error["code"]) == (200, "DOMAIN-ERROR", "31002")
    assert not Booking.objects.exists()


def test_no_request_here_made_a_booking_or_leaked_a_callback(buyer, offer):
    """A tampered confirm after a real init: refused, the hold stays a hold."""
    sim = buyer.sim
    start, end = default_slot(days=2, hour=10)
    txn = sim.context("select")["transaction_id"]
    buyer.call("select", sim.select_body(**ids(offer), start=start, end=end, transaction_id=txn))
    on_init = buyer.call(
        "init", sim.init_body(**ids(offer), start=start, end=end, transaction_id=txn)
    )
    body = sim.confirm_body(
        **ids(offer),
        start=start,
        end=end,
        quote=on_init.message["order"]["quote"],
        transaction_id=txn,
    )

    def tamper(data: bytes) -> bytes:
        changed = json.loads(data)
        changed["message"]["order"]["quote"]["price"]["value"] = "1.00"
        return json.dumps(changed).encode()

    status, answer = sim.send("confirm", body, tamper=tamper)
    run_jobs()

    assert status == 401 and answer["error"]["code"] == "30016"
    assert not Booking.objects.exists()
    assert [c.action for c in buyer.callbacks()] == ["on_select", "on_init"]
