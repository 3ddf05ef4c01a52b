"""The worker: runs due jobs once, retries with growing back-off, takes over dead workers' jobs."""

import datetime as dt
import signal

import pytest
from django.utils import timezone

from sevamitra.tasks import registry
from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.registry import PermanentError
from sevamitra.tasks.services import job_claim, job_complete, job_enqueue, job_fail
from sevamitra.tasks.tests.helpers import Recorder, WorkerDied
from sevamitra.tasks.worker import Worker

pytestmark = pytest.mark.django_db


def _run(**options) -> int:
    return Worker(once=True, sleep=0, **options).run()


def _expire_lease(job: Job) -> None:
    """Time passes: the lease of the job's worker runs out."""
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_due_jobs_run_once_in_order_and_are_marked_done(recorder):
    first = job_enqueue(name="tests.record", payload={"n": 1})
    second = job_enqueue(name="tests.record", payload={"n": 2})
    later = job_enqueue(
        name="tests.record", payload={"n": 3}, run_after=timezone.now() + dt.timedelta(minutes=5)
    )

    ran = _run()
    ran_again = _run()

    assert (ran, ran_again) == (2, 0)
    assert recorder.calls == [{"n": 1}, {"n": 2}]
    for job in (first, second):
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        assert job.attempts == 1
        assert job.finished_at is not None
        assert job.lease_until is None
    later.refresh_from_db()
    assert (later.status, later.attempts) == (JobStatus.QUEUED, 0)


def test_a_failing_job_is_retried_with_growing_back_off_then_fails(handler):
    failures: list[str] = []
    handler(
        "tests.flaky",
        Recorder(fail_with=ConnectionError("gateway down")),
        max_attempts=3,
        on_failure=lambda *, error, n: failures.append(f"{n}: {error.splitlines()[-1]}"),
    )
    job = job_enqueue(name="tests.flaky", payload={"n": 7})
    waits = []

    for attempt in (1, 2):
        before = timezone.now()
        assert _run() == 1
        after = timezone.now()
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
        assert job.attempts == attempt
        assert job.lease_until is None
        assert job.last_error.splitlines()[-1] == "ConnectionError: gateway down"
        # base 10 s: the first wait is 5–10 s, the second 10–20 s
        ceiling = 10 * 2 ** (attempt - 1)
        assert before + dt.timedelta(seconds=ceiling / 2) <= job.run_after
        assert job.run_after <= after + dt.timedelta(seconds=ceiling)
        waits.append(job.run_after - before)
        assert _run() == 0  # not before its time
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())  # time passes

    assert _run() == 1
    job.refresh_from_db()
    assert waits[1] > waits[0]
    assert job.status == JobStatus.FAILED
    assert job.attempts == 3
    assert job.finished_at is not None
    assert job.last_error.splitlines()[-1] == "ConnectionError: gateway down"
    assert failures == ["7: ConnectionError: gateway down"]
    assert _run() == 0


def test_a_permanent_error_fails_the_job_at_once(handler):
    handler("tests.hopeless", Recorder(fail_with=PermanentError("no such booking")))
    job = job_enqueue(name="tests.hopeless", payload={})

    _run()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.last_error.splitlines()[-1].endswith("PermanentError: no such booking")


def test_a_job_whose_handler_is_gone_fails_at_once(handler):
    handler("tests.removed", lambda **kw: None)
    job = job_enqueue(name="tests.removed", payload={})
    registry.unregister("tests.removed")

    _run()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert "No job handler is registered as 'tests.removed'" in job.last_error


def test_a_failing_on_failure_hook_does_not_keep_the_job_alive(handler):
    def broken_hook(**kwargs):
        Job.objects.update(name="changed by the hook")  # rolled back with its savepoint
        raise RuntimeError("hook broke")

    handler(
        "tests.once", Recorder(fail_with=ValueError("x")), max_attempts=1, on_failure=broken_hook
    )
    job = job_enqueue(name="tests.once", payload={})

    _run()

    job.refresh_from_db()
    assert (job.name, job.status) == ("tests.once", JobStatus.FAILED)


def test_a_job_of_a_dead_worker_runs_again_after_its_lease_expires(handler):
    calls = []

    def dies_the_first_time(*, n):
        calls.append(n)
        if len(calls) == 1:
            raise WorkerDied

    handler("tests.dies", dies_the_first_time)
    job = job_enqueue(name="tests.dies", payload={"n": 1})

    with pytest.raises(WorkerDied):
        _run()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
    assert _run() == 0  # the lease still holds: nobody else takes the job

    _expire_lease(job)
    assert _run() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert calls == [1, 1]


def test_a_worker_that_died_on_the_last_attempt_fails_the_job(handler):
    failures = []
    handler(
        "tests.dies",
        Recorder(fail_with=WorkerDied()),
        max_attempts=1,
        on_failure=lambda *, error: failures.append(error),
    )
    job = job_enqueue(name="tests.dies", payload={})
    with pytest.raises(WorkerDied):
        _run()

    _expire_lease(job)
    assert _run() == 0

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.last_error == "The worker stopped during the last attempt (its lease expired)."
    assert failures == [job.last_error]


def test_a_worker_that_lost_its_lease_records_nothing(recorder):
    job = job_enqueue(name="tests.record", payload={})
    slow = job_claim(worker_id="slow")
    _expire_lease(slow)
    fast = job_claim(worker_id="fast")

    assert (slow.pk, fast.pk, fast.attempts) == (job.pk, job.pk, 2)
    assert job_complete(job=slow, worker_id="slow") is False
    assert job_fail(job=slow, worker_id="slow", error="late") is None
    job.refresh_from_db()
    assert (job.status, job.locked_by, job.last_error) == (JobStatus.RUNNING, "fast", "")
    assert job_complete(job=fast, worker_id="fast") is True
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_max_jobs_stops_the_worker(recorder):
    for n in range(3):
        job_enqueue(name="tests.record", payload={"n": n})

    assert _run(max_jobs=2) == 2
    assert list(Job.objects.order_by("id").values_list("status", flat=True)) == [
        JobStatus.DONE,
        JobStatus.DONE,
        JobStatus.QUEUED,
    ]


def test_a_stop_signal_finishes_the_current_job_then_stops(handler):
    worker = Worker(sleep=0)  # not --once: only the signal ends it

    def gets_signalled(*, n):
        worker.handle_signal(signal.SIGTERM, None)

    handler("tests.signalled", gets_signalled)
    first = job_enqueue(name="tests.signalled", payload={"n": 1})
    second = job_enqueue(name="tests.signalled", payload={"n": 2})

    assert worker.run() == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (JobStatus.DONE, JobStatus.QUEUED)


def test_a_second_signal_stops_at_once():
    worker = Worker(sleep=0)
    worker.handle_signal(signal.SIGINT, None)

    with pytest.raises(SystemExit) as stopped:
        worker.handle_signal(signal.SIGINT, None)

    assert stopped.value.code == 128 + signal.SIGINT


def test_an_idle_worker_sleeps_until_stopped(monkeypatch):
    worker = Worker(sleep=60)
    naps = []

    def nap(seconds):
        naps.append(seconds)
        worker.stop()

    monkeypatch.setattr("sevamitra.tasks.worker.time.sleep", nap)

    assert worker.run() == 0
    assert naps == [0.2]
