"""Joining the network: `ondc_keys`, `ondc_subscribe`, /ondc-site-verification.html and
/ondc/on_subscribe (the registry's X25519 + AES-256-ECB challenge)."""

import base64
import json
import re

import pytest
from django.core.management import CommandError, call_command

from sevamitra.ondc import crypto
from sevamitra.ondc.config import ondc_config
from sevamitra.ondc.models import Direction, OndcMessage
from sevamitra.ondc.tests.simulator import NODE_ID, NODE_KEY_ID, running

pytestmark = pytest.mark.django_db

ENTITY = [
    "--legal-entity-name=Shram Vibhag Sevamitra",
    "--business-address=Lucknow 226001",
    "--gst-no=09AAAAA0000A1Z5",
    "--pan-no=AAAAA0000A",
    "--date-of-incorporation=01/04/2024",
    "--signatory-name=Asha Verma",
    "--signatory-address=Lucknow 226001",
    "--email=ondc@example.in",
    "--mobile=9876543210",
]


@pytest.fixture
def sim(settings):
    with running(settings) as simulator:
        yield simulator


def subscribe(capsys, *args):
    call_command("ondc_subscribe", *ENTITY, *args)
    out = capsys.readouterr().out
    lines = out.splitlines()
    body = next(line for line in lines if line.startswith("{"))
    return out, json.loads(body), body


# --- ondc_keys -------------------------------------------------------------------------------


def test_ondc_keys_prints_a_key_set_in_environment_form(capsys):
    call_command("ondc_keys")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "ONDC_SIGNING_PRIVATE_KEY",
        "ONDC_ENCRYPTION_PRIVATE_KEY",
        "ONDC_UNIQUE_KEY_ID",
        "# Public keys to register with the ONDC registry (ondc_subscribe does):",
        "# signing_public_key",
        "# encryption_public_key",
    ]
    values = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in lines if "=" in line}
    signing = crypto.load_signing_key(values["ONDC_SIGNING_PRIVATE_KEY"])
    assert base64.b64encode(bytes(signing.verify_key)).decode() == (values["# signing_public_key"])
    encryption = crypto.load_encryption_private_key(values["ONDC_ENCRYPTION_PRIVATE_KEY"])
    assert crypto.encryption_public_key_b64(encryption) == values["# encryption_public_key"]
    assert re.fullmatch(r"[0-9a-f-]{36}", values["ONDC_UNIQUE_KEY_ID"])


def test_ondc_keys_output_configures_the_node(capsys, settings):
    call_command("ondc_keys")
    for line in capsys.readouterr().out.splitlines():
        if not line.startswith("#"):
            name, value = line.split("=", 1)
            setattr(settings, name, value)
    settings.ONDC_SUBSCRIBER_ID = "node.example"
    settings.ONDC_SUBSCRIBER_URL = "https://node.example/ondc"
    settings.ONDC_REGISTRY_URL = "https://registry.example"
    assert ondc_config().subscriber_id == "node.example"


# --- ondc_subscribe --------------------------------------------------------------------------


def test_subscribe_request_for_a_seller_app(sim, capsys):
    out, payload, body = subscribe(capsys)
    config = ondc_config()
    message = payload["message"]
    assert payload["context"] == {"operation": {"ops_no": 2}}
    entity = message["entity"]
    assert entity["subscriber_id"] == NODE_ID
    assert entity["unique_key_id"] == NODE_KEY_ID
    assert entity["callback_url"] == "/ondc"
    assert entity["country"] == "IND"
    assert entity["gst"] == {
        "legal_entity_name": "Shram Vibhag Sevamitra",
        "business_address": "Lucknow 226001",
        "gst_no": "09AAAAA0000A1Z5",
        "city_code": ["std:0522", "std:0512"],
    }
    assert entity["pan"] == {
        "pan_no": "AAAAA0000A",
        "name_as_per_pan": "Shram Vibhag Sevamitra",
        "date_of_incorporation": "01/04/2024",
    }
    assert entity["key_pair"]["signing_public_key"] == config.signing_public_key
    private, _registry = config.require_encryption()
    assert entity["key_pair"]["encryption_public_key"] == crypto.encryption_public_key_b64(private)
    assert entity["key_pair"]["valid_until"] > entity["key_pair"]["valid_from"]
    assert message["network_participant"] == [
        {
            "subscriber_url": "/ondc",
            "domain": "ONDC:SRV11",
            "type": "sellerApp",
            "msn": False,
            "city_code": ["std:0522", "std:0512"],
        }
    ]
    # Signed: the printed Authorization verifies over the printed body.
    authorization = re.search(r"^# Authorization: (.*)$", out, re.M).group(1)
    public = config.signing_key.verify_key
    assert crypto.verify_authorization(
        authorization, body.encode(), public_key_lookup=lambda *_: public
    ) == (NODE_ID, NODE_KEY_ID)
    row = OndcMessage.objects.get()
    assert (row.direction, row.action, row.message_id) == (
        Direction.OUTBOUND,
        "subscribe",
        message["request_id"],
    )
    assert row.http_status is None  # printed, not sent
    assert sim.registry.subscriptions == []


def test_subscribe_send_posts_it_and_records_the_answer(sim, capsys):
    out, _payload, body = subscribe(capsys, "--send", "--request-id=req-42")
    (headers, received) = sim.registry.subscriptions[0]
    assert received == body.encode()
    assert headers["Authorization"].startswith(f'Signature keyId="{NODE_ID}|{NODE_KEY_ID}|')
    assert "# Registry answered HTTP 200:" in out
    row = OndcMessage.objects.get()
    assert (row.message_id, row.ack, row.http_status, row.attempts) == ("req-42", "ACK", 200, 1)


def test_subscribe_as_a_marketplace_seller_node(sim, capsys):
    _out, payload, _body = subscribe(capsys, "--ops-no=3")
    assert payload["context"]["operation"]["ops_no"] == 3
    assert payload["message"]["network_participant"][0]["msn"] is True


def test_subscribe_needs_the_entity_details(sim):
    with pytest.raises(CommandError) as error:
        call_command("ondc_subscribe", "--gst-no=09AAAAA0000A1Z5")
    assert str(error.value).startswith("Missing entity details: --legal-entity-name, ")
    assert OndcMessage.objects.count() == 0


def test_subscribe_reads_an_entity_file(sim, capsys, tmp_path):
    entity = {
        "gst": {"legal_entity_name": "X", "business_address": "Y", "gst_no": "G"},
        "pan": {"pan_no": "P", "name_as_per_pan": "X", "date_of_incorporation": "01/01/2020"},
        "name_of_authorised_signatory": "N",
        "address_of_authorised_signatory": "A",
        "email_id": "e@example.in",
        "mobile_no": "9876543210",
    }
    path = tmp_path / "entity.json"
    path.write_text(json.dumps(entity))
    call_command("ondc_subscribe", f"--entity-file={path}")
    body = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("{"))
    assert json.loads(body)["message"]["entity"]["pan"]["pan_no"] == "P"


def test_subscribe_without_configuration(settings):
    settings.ONDC_SUBSCRIBER_ID = ""
    settings.ONDC_SUBSCRIBER_URL = ""
    settings.ONDC_UNIQUE_KEY_ID = ""
    settings.ONDC_SIGNING_PRIVATE_KEY = ""
    settings.ONDC_REGISTRY_URL = ""
    with pytest.raises(CommandError, match="ONDC is not configured"):
        call_command("ondc_subscribe", *ENTITY)


# --- /ondc-site-verification.html ------------------------------------------------------------


def test_site_verification_signs_the_latest_request_id(client, sim, capsys):
    subscribe(capsys, "--request-id=first")
    subscribe(capsys, "--request-id=latest")

    response = client.get("/ondc-site-verification.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    content = re.search(r'<meta name="ondc-site-verification" content="([^"]+)" />', html)
    signature = base64.b64decode(content.group(1))
    assert sim.node_key.verify_key.verify(b"latest", signature) == b"latest"


def test_site_verification_without_a_subscribe_is_404(client, sim):
    assert client.get("/ondc-site-verification.html").status_code == 404


def test_site_verification_when_not_configured_is_404(client, settings):
    settings.ONDC_SUBSCRIBER_ID = ""
    assert client.get("/ondc-site-verification.html").status_code == 404


# --- POST /ondc/on_subscribe -----------------------------------------------------------------


def on_subscribe(client, payload):
    return client.post(
        "/ondc/on_subscribe", data=json.dumps(payload), content_type="application/json"
    )


def test_on_subscribe_answers_the_decrypted_challenge(client, sim):
    challenge = sim.registry.encrypt_challenge(
        "d1f0c2a7-challenge", node_public_key=sim.node_encryption_key.public_key()
    )
    response = on_subscribe(client, {"subscriber_id": NODE_ID, "challenge": challenge})
    assert response.status_code == 200
    assert response.json() == {"answer": "d1f0c2a7-challenge"}
    row = OndcMessage.objects.get()
    assert (row.action, row.direction, row.ack) == ("on_subscribe", Direction.INBOUND, "ACK")


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"subscriber_id": NODE_ID}, 400, "expected a JSON object with a challenge"),
        ({"subscriber_id": "other.example", "challenge": "AAAA"}, 400, "subscriber_id is not"),
        ({"challenge": "not base64!"}, 400, "challenge is not valid base64"),
        ({"challenge": base64.b64encode(b"\0" * 16).decode()}, 400, "does not decrypt"),
    ],
)
def test_on_subscribe_refuses_what_it_cannot_answer(client, sim, payload, status, message):
    response = on_subscribe(client, payload)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert OndcMessage.objects.get().ack == "NACK"


def test_on_subscribe_without_encryption_keys(client, sim, settings):
    settings.ONDC_ENCRYPTION_PRIVATE_KEY = ""
    response = on_subscribe(client, {"challenge": "AAAA"})
    assert response.status_code == 503
    assert response.json() == {"error": "encryption keys are not configured"}


def test_on_subscribe_when_not_configured(client, settings):
    settings.ONDC_SUBSCRIBER_ID = ""
    assert on_subscribe(client, {"challenge": "AAAA"}).status_code == 503
