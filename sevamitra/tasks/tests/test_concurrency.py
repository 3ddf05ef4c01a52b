"""Workers in parallel threads never run the same job twice (SQLite file in WAL, PostgreSQL)."""

import threading
import time

import pytest
from django.db import connections, transaction

from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.services import job_enqueue
from sevamitra.tasks.worker import Worker

JOBS = 40
WORKERS = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_run_every_job_exactly_once(handler):
    runs: list[int] = []
    lock = threading.Lock()

    def record(*, n: int) -> None:
        with lock:
            runs.append(n)
        time.sleep(0.002)  # let the others reach for a job meanwhile

    handler("tests.parallel", record)
    with transaction.atomic():
        for n in range(JOBS):
            job_enqueue(name="tests.parallel", payload={"n": n})
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work() -> None:
        try:
            start.wait()
            Worker(once=True, sleep=0).run()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(runs) == list(range(JOBS))
    assert Job.objects.filter(status=JobStatus.DONE, attempts=1).count() == JOBS
