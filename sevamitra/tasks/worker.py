"""The loop behind `manage.py worker`: claim a due job, run its handler, record the outcome.

The handler runs outside any transaction of ours (the claim has committed, the lease is
taken), so a slow handler holds no lock; a worker that dies mid-job leaves the job `running`
until its lease expires, then another worker runs it again. One worker runs one job at a
time: run more processes for more throughput.
"""

import logging
import os
import signal
import socket
import time
import uuid
from types import FrameType

from django.conf import settings
from django.db import connections

from sevamitra.tasks import registry
from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.services import (
    job_claim,
    job_complete,
    job_fail,
    job_fail_abandoned,
    periodic_enqueue_due,
)

logger = logging.getLogger(__name__)

# While idle, the worker looks at its stop flag this often (seconds).
_STOP_CHECK_SECONDS = 0.2
# How often a worker looks whether a periodic job is due (seconds).
PERIODIC_CHECK_SECONDS = 30.0


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(
        self,
        *,
        worker_id: str | None = None,
        sleep: float | None = None,
        max_jobs: int | None = None,
        once: bool = False,
        lease_seconds: float | None = None,
    ) -> None:
        self.worker_id = worker_id or new_worker_id()
        self.sleep = settings.TASKS_POLL_SECONDS if sleep is None else sleep
        self.max_jobs = max_jobs
        self.once = once
        self.lease_seconds = lease_seconds
        self.stopping = False
        self.processed = 0
        self._periodic_checked_at = -PERIODIC_CHECK_SECONDS

    # --- Stopping ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Finish the current job (if any), then leave `run`."""
        self.stopping = True

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM/SIGINT: stop after the current job. A second signal stops at once; the job
        in hand then stays leased and another worker runs it again after the lease expires."""
        name = signal.Signals(signum).name
        if self.stopping:
            logger.warning("worker %s: %s again, stopping now", self.worker_id, name)
            raise SystemExit(128 + signum)
        logger.info("worker %s: %s, stopping after the current job", self.worker_id, name)
        self.stop()

    # --- The loop ----------------------------------------------------------------------------

    def run(self) -> int:
        """Run jobs until stopped (or, with `once`, until none is due); how many were run."""
        logger.info("worker %s: started", self.worker_id)
        while not self.stopping:
            if self.max_jobs is not None and self.processed >= self.max_jobs:
                break
            self._refresh_connections()
            self._queue_periodic()
            job_fail_abandoned()
            job = job_claim(worker_id=self.worker_id, lease_seconds=self.lease_seconds)
            if job is None:
                if self.once:
                    break
                self._idle()
                continue
            self.execute(job)
            self.processed += 1
        logger.info("worker %s: stopped after %d job(s)", self.worker_id, self.processed)
        return self.processed

    def execute(self, job: Job) -> None:
        """Run one claimed job and record done, retry or failed."""
        label = f"job {job.pk} {job.name}: attempt {job.attempts} of {job.max_attempts}"
        started = time.monotonic()
        logger.info("%s started", label)
        try:
            entry = registry.get(job.name)
            entry.func(**job.payload)
        except (registry.UnknownJob, registry.PermanentError) as exc:
            job_fail(job=job, worker_id=self.worker_id, error=exc, permanent=True)
            logger.error("%s failed for good: %s", label, exc)
        except Exception as exc:
            outcome = job_fail(job=job, worker_id=self.worker_id, error=exc)
            if outcome is not None and outcome.status == JobStatus.FAILED:
                logger.error("%s failed, no attempts left: %r", label, exc)
            elif outcome is not None:
                logger.warning(
                    "%s failed (%r); next try after %s", label, exc, outcome.run_after.isoformat()
                )
        else:
            job_complete(job=job, worker_id=self.worker_id)
            logger.info("%s done in %.3f s", label, time.monotonic() - started)

    def _queue_periodic(self) -> None:
        # Looked at most every PERIODIC_CHECK_SECONDS: one cheap query per periodic job.
        # settings.TASKS_PERIODIC off (the test suite) leaves sweeps to be queued by hand.
        now = time.monotonic()
        if settings.TASKS_PERIODIC and now - self._periodic_checked_at >= PERIODIC_CHECK_SECONDS:
            self._periodic_checked_at = now
            periodic_enqueue_due()

    def _idle(self) -> None:
        deadline = time.monotonic() + self.sleep
        while not self.stopping:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, _STOP_CHECK_SECONDS))

    @staticmethod
    def _refresh_connections() -> None:
        # As after a web request: drop broken or too old connections. Never inside a
        # transaction (a test's, or a caller's), whose connection must stay.
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
