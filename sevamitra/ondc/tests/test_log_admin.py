"""The message log and the transactions in the back office: read-only, for administrators and
auditors; searchable by transaction id; bodies (personal data) for administrators only."""

import json

import pytest

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.ondc.models import Direction, OndcMessage, OndcTransaction, TransactionState

pytestmark = pytest.mark.django_db

MESSAGES = "/admin/ondc/ondcmessage/"
TRANSACTIONS = "/admin/ondc/ondctransaction/"
SECRET = "9876543210"  # a customer's phone number inside a body


@pytest.fixture
def rows():
    inbound = OndcMessage.objects.create(
        direction=Direction.INBOUND,
        action="init",
        transaction_id="T-1",
        message_id="M-1",
        counterparty="buyer.example",
        body=json.dumps({"billing": {"phone": SECRET}}),
        signature_ok=True,
        ack="ACK",
        http_status=200,
    )
    other = OndcMessage.objects.create(
        direction=Direction.OUTBOUND,
        action="on_search",
        transaction_id="T-2",
        message_id="M-2",
        counterparty="other.example",
        signature_ok=None,
        ack="NACK",
        http_status=200,
    )
    return inbound, other


def listed(response):
    return list(response.context["cl"].result_list.values_list("pk", flat=True))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_search_by_transaction_id_message_id_and_participant(client, rows, role):
    inbound, other = rows
    client.force_login(user_with_roles(role))
    assert listed(client.get(MESSAGES, {"q": "T-1"})) == [inbound.pk]
    assert listed(client.get(MESSAGES, {"q": "M-2"})) == [other.pk]
    assert listed(client.get(MESSAGES, {"q": "buyer.ex"})) == [inbound.pk]
    assert listed(client.get(MESSAGES, {"q": "T-"})) == []  # ids match exactly


def test_filters_by_direction_action_answer_and_signature(client, rows):
    inbound, other = rows
    client.force_login(user_with_roles(Role.AUDITOR))
    assert listed(client.get(MESSAGES, {"direction__exact": "out"})) == [other.pk]
    assert listed(client.get(MESSAGES, {"action": "init"})) == [inbound.pk]
    assert listed(client.get(MESSAGES, {"ack": "NACK"})) == [other.pk]
    assert listed(client.get(MESSAGES, {"signature_ok__exact": "1"})) == [inbound.pk]


def test_administrators_see_bodies_auditors_do_not(client, rows):
    inbound, _other = rows
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert SECRET in client.get(f"{MESSAGES}{inbound.pk}/change/").content.decode()
    client.force_login(user_with_roles(Role.AUDITOR))
    page = client.get(f"{MESSAGES}{inbound.pk}/change/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    assert "T-1" in page.content.decode()


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.AGENT])
def test_other_staff_do_not_see_the_log(client, rows, role):
    client.force_login(user_with_roles(role, is_staff=True))
    assert client.get(MESSAGES).status_code == 403
    assert client.get(TRANSACTIONS).status_code == 403


def test_nobody_adds_changes_or_deletes(client, rows):
    inbound, _other = rows
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert client.get(f"{MESSAGES}add/").status_code == 403
    assert client.post(f"{MESSAGES}{inbound.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"{MESSAGES}{inbound.pk}/change/", {"action": "search"})
    inbound.refresh_from_db()
    assert inbound.action == "init"
    assert OndcMessage.objects.count() == 2


def test_transactions_are_listed_read_only_and_orders_for_administrators_only(client):
    txn = OndcTransaction.objects.create(
        bap_id="buyer.example",
        bap_uri="https://buyer.example/ondc",
        transaction_id="T-9",
        city_code="std:0522",
        state=TransactionState.SELECTED,
        order={"billing": {"phone": SECRET}},
    )
    client.force_login(user_with_roles(Role.AUDITOR))
    assert listed(client.get(TRANSACTIONS, {"q": "T-9"})) == [txn.pk]
    page = client.get(f"{TRANSACTIONS}{txn.pk}/change/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    assert client.get(f"{TRANSACTIONS}add/").status_code == 403
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert SECRET in client.get(f"{TRANSACTIONS}{txn.pk}/change/").content.decode()
