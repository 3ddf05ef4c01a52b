"""job_enqueue: the row is written in the caller's transaction, checked before it is written."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.registry import UnknownJob
from sevamitra.tasks.services import job_enqueue

pytestmark = pytest.mark.django_db


def test_a_job_is_queued_to_run_now(recorder):
    before = timezone.now()

    job = job_enqueue(name="tests.record", payload={"n": 1})

    job.refresh_from_db()
    assert job.name == "tests.record"
    assert job.payload == {"n": 1}
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 0
    assert job.max_attempts == 8
    assert before <= job.run_after <= timezone.now()
    assert job.lease_until is None
    assert job.dedupe_key == ""
    assert recorder.calls == []


def test_run_after_and_max_attempts_are_kept(handler):
    handler("tests.limited", lambda **kw: None, max_attempts=3)
    later = timezone.now() + dt.timedelta(hours=2)

    default = job_enqueue(name="tests.limited", payload={}, run_after=later)
    explicit = job_enqueue(name="tests.limited", payload={}, max_attempts=5)

    assert (default.run_after, default.max_attempts) == (later, 3)
    assert explicit.max_attempts == 5


def test_a_rolled_back_transaction_leaves_no_job(recorder):
    with pytest.raises(RuntimeError), transaction.atomic():
        job_enqueue(name="tests.record", payload={"n": 1})
        raise RuntimeError("the state change failed")

    assert Job.objects.count() == 0


def test_an_unknown_name_is_refused_and_nothing_is_written():
    with pytest.raises(UnknownJob, match=r"tests\.nobody"):
        job_enqueue(name="tests.nobody", payload={})

    assert Job.objects.count() == 0


@pytest.mark.parametrize("payload", [{"when": dt.date(2025, 1, 1)}, ["not", "a", "dict"]])
def test_a_payload_that_is_not_a_json_object_is_refused(recorder, payload):
    with pytest.raises(TypeError):
        job_enqueue(name="tests.record", payload=payload)

    assert Job.objects.count() == 0


def test_a_dedupe_key_queues_one_job(recorder):
    first = job_enqueue(name="tests.record", payload={"n": 1}, dedupe_key="k:1")
    second = job_enqueue(name="tests.record", payload={"n": 2}, dedupe_key="k:1")
    other = job_enqueue(name="tests.record", payload={"n": 3}, dedupe_key="k:2")

    assert second.pk == first.pk
    assert second.payload == {"n": 1}
    assert other.pk != first.pk
    assert Job.objects.count() == 2


def test_a_dedupe_key_of_another_job_is_an_error(recorder, handler):
    handler("tests.other", lambda **kw: None)
    job_enqueue(name="tests.record", payload={}, dedupe_key="k:1")

    with pytest.raises(ValueError, match=r"belongs to a 'tests\.record' job"):
        job_enqueue(name="tests.other", payload={}, dedupe_key="k:1")

    assert list(Job.objects.values_list("name", flat=True)) == ["tests.record"]


def test_jobs_without_a_key_are_not_deduplicated(recorder):
    job_enqueue(name="tests.record", payload={"n": 1})
    job_enqueue(name="tests.record", payload={"n": 1})

    assert Job.objects.count() == 2
