"""The worker's side: "ondc.process" builds the on_<action> answer, "ondc.send" signs and
POSTs it to the simulator's receiver (real HTTP), retries with back-off, never sends twice;
unsolicited callbacks; "ondc.prune"."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sevamitra.ondc import crypto, errors, outbox
from sevamitra.ondc.config import ondc_config
from sevamitra.ondc.handlers import HANDLERS
from sevamitra.ondc.models import Direction, OndcMessage, OndcTransaction, TransactionState
from sevamitra.ondc.tests.simulator import BUYER_ID, NODE_ID, running
from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.worker import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def sim(settings):
    with running(settings) as simulator:
        yield simulator


@pytest.fixture
def handler(monkeypatch):
    """Replace an action's handler: handler("search", func)."""

    def install(action, func):
        monkeypatch.setitem(HANDLERS, action, func)

    return install


def accept(client, sim, action, body):
    data = sim.encode(body)
    headers = sim.headers_for(data)
    headers.pop("Content-Type")
    response = client.post(
        f"/ondc/{action}", data=data, content_type="application/json", headers=headers
    )
    assert response.json() == {"message": {"ack": {"status": "ACK"}}}, response.json()
    return OndcMessage.objects.filter(direction=Direction.INBOUND).latest("id")


def work():
    """Run every job that is due now (retries wait for their back-off)."""
    return Worker(once=True, sleep=0).run()


def make_due(name="ondc.send"):
    Job.objects.filter(name=name, status=JobStatus.QUEUED).update(run_after=timezone.now())


CATALOG = {"catalog": {"descriptor": {"name": "Sevamitra"}, "providers": []}}


# --- ondc.process + ondc.send: the answer to a request ----------------------------------------


def test_answer_is_built_signed_sent_and_recorded(client, sim, handler):
    seen = []
    handler("search", lambda inbound: seen.append(inbound) or CATALOG)
    body = sim.search_body(category="SRV11-1025")
    inbound = accept(client, sim, "search", body)

    assert work() == 2  # process, then send

    (request,) = seen
    assert (request.action, request.log_id, request.bap_id) == ("search", inbound.pk, BUYER_ID)
    assert request.parsed.message.intent.category.id == "SRV11-1025"
    callback = sim.wait("on_search", body["context"]["message_id"])
    assert callback.signature_ok, callback.signature_detail
    assert callback.message == CATALOG
    assert callback.error is None
    context = callback.context
    assert context["action"] == "on_search"
    assert (context["bpp_id"], context["bpp_uri"]) == (NODE_ID, "http://testserver/ondc")
    for same in ("transaction_id", "message_id", "bap_id", "bap_uri", "domain", "location"):
        assert context[same] == body["context"][same]
    assert context["timestamp"] >= body["context"]["timestamp"]

    reply = OndcMessage.objects.get(direction=Direction.OUTBOUND)
    assert reply.reply_to == inbound
    assert reply.url == f"{sim.bap_uri}/on_search"
    assert reply.body.encode() == callback.body  # the stored bytes are the bytes signed and sent
    assert (reply.ack, reply.http_status, reply.attempts) == ("ACK", 200, 1)
    assert reply.done_at is not None and reply.duration_ms is not None
    assert reply.headers["Authorization"] == callback.headers["Authorization"]


def test_callback_verifies_with_our_public_key_through_our_own_code(client, sim, handler):
    handler("search", lambda inbound: CATALOG)
    body = sim.search_body()
    accept(client, sim, "search", body)
    work()
    callback = sim.wait("on_search", body["context"]["message_id"])
    public = ondc_config().signing_key.verify_key
    signer = crypto.verify_authorization(
        callback.headers["Authorization"], callback.body, public_key_lookup=lambda *_: public
    )
    assert signer == (NODE_ID, "node-key-1")


def test_handler_refusal_is_sent_as_the_callback_error(client, sim, handler):
    def refuse(inbound):
        raise errors.OndcError(errors.SCHEDULE_NOT_AVAILABLE, "slot taken", path="x")

    handler("select", refuse)
    body = sim.select_body(provider_id="P1", item_id="I1")
    accept(client, sim, "select", body)
    work()
    callback = sim.wait("on_select", body["context"]["message_id"])
    assert callback.message is None
    assert callback.error == {
        "type": "DOMAIN-ERROR",
        "code": "90001",
        "message": "slot taken",
        "path": "x",
    }


def test_refusal_may_carry_a_message_too(client, sim, handler):
    slots = {"order": {"fulfillments": []}}

    def refuse(inbound):
        error = errors.OndcError(errors.SCHEDULE_NOT_PROVIDED, "pick a slot")
        error.callback_message = slots
        raise error

    handler("select", refuse)
    body = sim.select_body(provider_id="P1", item_id="I1")
    accept(client, sim, "select", body)
    work()
    callback = sim.wait("on_select", body["context"]["message_id"])
    assert (callback.message, callback.error["code"]) == (slots, "90003")


def test_handler_crash_becomes_an_internal_error_callback(client, sim, handler, caplog):
    def crash(inbound):
        raise RuntimeError("bug")

    handler("status", crash)
    body = sim.status_body(order_id="O1")
    accept(client, sim, "status", body)
    work()
    callback = sim.wait("on_status", body["context"]["message_id"])
    assert callback.error == {
        "type": "CORE-ERROR",
        "code": "31001",
        "message": "internal error; please retry",
    }
    assert "bug" in caplog.text


def test_action_without_a_handler_is_answered_with_an_error(client, sim, monkeypatch):
    monkeypatch.delitem(HANDLERS, "support", raising=False)
    body = sim.support_body(ref_id="O1")
    accept(client, sim, "support", body)
    work()
    callback = sim.wait("on_support", body["context"]["message_id"])
    assert callback.error["message"] == "/support is not handled yet"


def test_processing_twice_answers_once(client, sim, handler):
    calls = []
    handler("search", lambda inbound: calls.append(1) or CATALOG)
    inbound = accept(client, sim, "search", sim.search_body())

    first = outbox.inbound_process(log_id=inbound.pk)
    second = outbox.inbound_process(log_id=inbound.pk)

    assert first == second
    assert calls == [1]
    assert Job.objects.filter(name="ondc.send").count() == 1


def test_process_of_a_pruned_request_does_nothing(sim):
    assert outbox.inbound_process(log_id=123456) is None


def test_process_giving_up_still_answers_31001(client, sim, handler):
    handler("search", lambda inbound: CATALOG)
    body = sim.search_body()
    inbound = accept(client, sim, "search", body)
    outbox.process_give_up(error="OperationalError", log_id=inbound.pk)
    reply = OndcMessage.objects.get(direction=Direction.OUTBOUND)
    assert reply.reply_to == inbound
    assert '"code":"31001"' in reply.body
    outbox.process_give_up(error="again", log_id=inbound.pk)  # never a second answer
    assert OndcMessage.objects.filter(direction=Direction.OUTBOUND).count() == 1


# --- Delivery: retries and "never twice" ------------------------------------------------------


def test_failing_receiver_is_retried_with_back_off_then_delivered_once(client, sim, handler):
    handler("search", lambda inbound: CATALOG)
    body = sim.search_body()
    accept(client, sim, "search", body)
    sim.receiver.fail_next(1, status=500)

    work()
    reply = OndcMessage.objects.get(direction=Direction.OUTBOUND)
    job = Job.objects.get(name="ondc.send")
    assert (reply.attempts, reply.http_status, reply.done_at) == (1, 500, None)
    assert job.status == JobStatus.QUEUED
    assert job.run_after > timezone.now()  # the queue's back-off
    assert "HTTP 500" in job.last_error

    make_due()
    work()
    reply.refresh_from_db()
    assert (reply.attempts, reply.http_status, reply.ack) == (2, 200, "ACK")
    assert reply.done_at is not None
    assert Job.objects.get(name="ondc.send").status == JobStatus.DONE
    assert [c.answered for c in sim.receiver.find("on_search")] == [500, 200]

    outbox.callback_send(message_id=reply.pk)  # a stray re-run after delivery
    assert len(sim.receiver.find("on_search")) == 2


@pytest.mark.parametrize(
    ("plan", "final"),
    [
        ({"nack": "23001"}, False),  # the buyer app's internal error: retry
        ({"nack": "20006"}, True),  # invalid response: a retry would be refused again
        ({"status": 429}, False),
        ({"status": 503}, False),
        ({"status": 400}, True),
        ({"status": 401}, True),
    ],
)
def test_which_answers_are_retried(client, sim, handler, plan, final):
    handler("search", lambda inbound: CATALOG)
    accept(client, sim, "search", sim.search_body())
    if "nack" in plan:
        sim.receiver.nack_next(code=plan["nack"])
    else:
        sim.receiver.fail_next(status=plan["status"])
    work()
    reply = OndcMessage.objects.get(direction=Direction.OUTBOUND)
    job = Job.objects.get(name="ondc.send")
    assert (reply.done_at is not None) is final
    assert job.status == (JobStatus.DONE if final else JobStatus.QUEUED)
    if "nack" in plan:
        assert (reply.ack, reply.error_code) == ("NACK", plan["nack"])


def test_unreachable_receiver_is_retried(sim):
    txn = OndcTransaction.objects.create(
        bap_id=BUYER_ID,
        bap_uri="http://127.0.0.1:9/bap",  # nothing listens on the discard port
        transaction_id="T-unreachable",
        city_code="std:0522",
        state=TransactionState.CONFIRMED,
    )
    row = outbox.callback_unsolicited(action="on_status", transaction=txn, message={})
    with pytest.raises(outbox.CallbackNotDelivered, match="ConnectError"):
        outbox.callback_send(message_id=row.pk)
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.done_at is None
    assert row.response["error"].startswith("ConnectError")


def test_giving_up_on_a_callback_is_recorded(sim):
    txn = _transaction(sim)
    row = outbox.callback_unsolicited(action="on_status", transaction=txn, message={})
    outbox.send_give_up(error="CallbackNotDelivered: HTTP 500", message_id=row.pk)
    row.refresh_from_db()
    assert row.response == {"gave_up": True, "error": "CallbackNotDelivered: HTTP 500"}


def test_unconfigured_node_does_not_send(sim, settings):
    txn = _transaction(sim)
    row = outbox.callback_unsolicited(action="on_status", transaction=txn, message={})
    settings.ONDC_SUBSCRIBER_ID = ""
    settings.ONDC_SUBSCRIBER_URL = ""
    settings.ONDC_UNIQUE_KEY_ID = ""
    settings.ONDC_SIGNING_PRIVATE_KEY = ""
    settings.ONDC_REGISTRY_URL = ""
    from sevamitra.tasks.registry import PermanentError

    with pytest.raises(PermanentError):
        outbox.callback_send(message_id=row.pk)
    assert sim.receiver.find() == []


# --- Unsolicited callbacks -------------------------------------------------------------------


def _transaction(sim, **fields):
    return OndcTransaction.objects.create(
        bap_id=BUYER_ID,
        bap_uri=sim.bap_uri,
        transaction_id=fields.pop("transaction_id", "T-1"),
        city_code="std:0522",
        state=TransactionState.CONFIRMED,
        **fields,
    )


def test_unsolicited_callback_is_logged_queued_and_delivered(sim):
    txn = _transaction(sim)
    message = {"order": {"id": "O1", "status": "In-progress"}}

    row = outbox.callback_unsolicited(action="on_status", transaction=txn, message=message)
    work()

    callback = sim.wait("on_status", transaction_id="T-1")
    assert callback.signature_ok, callback.signature_detail
    assert callback.message == message
    context = callback.context
    assert context["message_id"] == row.message_id
    assert len(context["message_id"]) == 36  # a new uuid
    assert context["location"] == {"city": {"code": "std:0522"}, "country": {"code": "IND"}}
    assert (context["domain"], context["version"]) == ("ONDC:SRV11", "2.0.0")
    assert (context["bap_id"], context["bap_uri"]) == (BUYER_ID, sim.bap_uri)
    assert (context["bpp_id"], context["bpp_uri"]) == (NODE_ID, "http://testserver/ondc")
    row.refresh_from_db()
    assert (row.reply_to, row.ack, row.counterparty) == (None, "ACK", BUYER_ID)


def test_unsolicited_callback_rolls_back_with_its_caller(sim):
    txn = _transaction(sim)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.callback_unsolicited(action="on_cancel", transaction=txn, message={})
        raise RuntimeError("the booking change failed")
    assert OndcMessage.objects.count() == 0
    assert Job.objects.filter(name="ondc.send").count() == 0


def test_only_unsolicited_actions_are_allowed(sim):
    with pytest.raises(ValueError, match="not an unsolicited callback"):
        outbox.callback_unsolicited(action="on_search", transaction=_transaction(sim), message={})


# --- Retention -------------------------------------------------------------------------------


def _row(days_old, **fields):
    row = OndcMessage.objects.create(
        direction=fields.pop("direction", Direction.INBOUND), action="search", **fields
    )
    OndcMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return row


def test_prune_deletes_rows_older_than_the_retention(settings):
    settings.ONDC_LOG_RETENTION_DAYS = 30
    old = _row(31, message_id="old")
    repeat = _row(31, message_id="old", repeat_of=old)
    recent_reply = _row(1, direction=Direction.OUTBOUND, reply_to=old)
    old_too = _row(32, message_id="old-too")
    old_reply = _row(31, direction=Direction.OUTBOUND, reply_to=old_too)
    recent = _row(29, message_id="recent")
    subscribe = _row(400, direction=Direction.OUTBOUND, message_id="req-1")
    OndcMessage.objects.filter(pk=subscribe.pk).update(action="subscribe")
    older_subscribe = _row(500, direction=Direction.OUTBOUND, message_id="req-0")
    OndcMessage.objects.filter(pk=older_subscribe.pk).update(action="subscribe")

    deleted = outbox.log_prune()

    assert deleted == 5  # old, its repeat, old_too and its reply, the older subscribe
    left = set(OndcMessage.objects.values_list("pk", flat=True))
    assert left == {recent.pk, recent_reply.pk, subscribe.pk}
    recent_reply.refresh_from_db()
    assert recent_reply.reply_to is None
    assert not OndcMessage.objects.filter(pk__in=[repeat.pk, old_reply.pk]).exists()


def test_prune_job_runs_and_schedules_the_next_night(settings):
    settings.ONDC_LOG_RETENTION_DAYS = 30
    _row(31)
    outbox.prune_schedule(days_ahead=0)
    make_due("ondc.prune")
    work()
    assert OndcMessage.objects.count() == 0
    queued = Job.objects.filter(name="ondc.prune", status=JobStatus.QUEUED).get()
    assert queued.run_after > timezone.now()
    outbox.prune_schedule()  # the same night again: not queued twice
    assert Job.objects.filter(name="ondc.prune", status=JobStatus.QUEUED).count() == 1


def test_prune_command(settings, capsys):
    settings.ONDC_LOG_RETENTION_DAYS = 30
    _row(31)
    _row(1)
    call_command("ondc_prune")
    assert capsys.readouterr().out == "Deleted 1 ONDC log row(s).\n"
    call_command("ondc_prune", "--schedule")
    assert "ondc.prune queued for" in capsys.readouterr().out
    assert Job.objects.filter(name="ondc.prune").count() == 1
