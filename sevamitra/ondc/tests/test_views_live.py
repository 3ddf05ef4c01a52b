"""Over real HTTP: the simulator signs and POSTs to the live server, the worker answers, the
simulator's receiver verifies the callback with our public key."""

import time

import pytest

from sevamitra.ondc.handlers import HANDLERS
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.tests.simulator import running
from sevamitra.tasks.worker import Worker

pytestmark = pytest.mark.django_db(transaction=True)

ACK = {"message": {"ack": {"status": "ACK"}}}


@pytest.fixture
def sim(settings, live_server):
    with running(settings, base_url=live_server.url) as simulator:
        yield simulator


def test_search_is_answered_by_a_signed_callback_within_5_seconds(sim, monkeypatch):
    monkeypatch.setitem(HANDLERS, "search", lambda inbound: {"catalog": {"providers": []}})
    body = sim.search_body(category="SRV11-1025")
    started = time.monotonic()

    assert sim.send("search", body) == (200, ACK)
    Worker(once=True, sleep=0).run()
    callback = sim.wait("on_search", body["context"]["message_id"], timeout=5)

    assert callback.received_at - (time.time() - (time.monotonic() - started)) < 5
    assert callback.signature_ok, callback.signature_detail
    assert callback.context["bpp_uri"] == f"{sim.server_url}/ondc"
    assert callback.message == {"catalog": {"providers": []}}


@pytest.mark.parametrize(
    "hostile",
    [
        {"tamper": "body"},
        {"tamper": "signature"},
        {"expired": True},
        {"sign": False},
        {"unique_key_id": "unknown"},
    ],
)
def test_hostile_requests_get_401_over_http(sim, hostile):
    status, answer = sim.send("search", sim.search_body(), **hostile)
    assert status == 401
    assert answer["error"]["code"] == "30016"
    assert sim.last_response.headers["WWW-Authenticate"].startswith('Signature realm="')


def test_a_1_mb_body_over_http_gets_413_not_a_broken_connection(sim):
    body = sim.search_body()
    body["message"]["padding"] = "x" * (1024 * 1024)
    status, answer = sim.send("search", body)
    assert status == 413
    assert answer["error"]["message"] == "the body is larger than 262144 bytes"


def test_malformed_json_over_http(sim):
    status, answer = sim.send("search", b"{oops")
    assert (status, answer["error"]["type"]) == (200, "JSON-SCHEMA-ERROR")


def test_repeated_message_over_http_sends_one_callback(sim, monkeypatch):
    monkeypatch.setitem(HANDLERS, "search", lambda inbound: {"catalog": {}})
    body = sim.search_body()
    assert sim.send("search", body) == (200, ACK)
    assert sim.send("search", body) == (200, ACK)
    Worker(once=True, sleep=0).run()
    sim.wait("on_search", body["context"]["message_id"])
    time.sleep(0.2)
    assert len(sim.receiver.find("on_search")) == 1
    assert OndcMessage.objects.filter(direction=Direction.OUTBOUND).count() == 1
