"""Writes for background jobs: enqueue, claim, complete, fail, retry.

The worker (worker.py) is the only caller of claim/complete/fail; other apps call
`job_enqueue` inside their own transaction, and the back office calls `job_retry`.
Every worker move is a conditional UPDATE that repeats what the worker believes (status,
worker, attempt number), so a worker that lost its lease can never overwrite the work of the
one that took the job over.
"""

import json
import logging
import random
import traceback
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.core.errors import DomainError
from sevamitra.tasks import registry
from sevamitra.tasks.models import Job, JobStatus

logger = logging.getLogger(__name__)

# The end of a traceback says what went wrong; keep that part if it is long.
MAX_ERROR_CHARS = 8000
# Claims lost to another worker before giving up for this poll (only without SKIP LOCKED).
_CLAIM_TRIES = 5


# --- Enqueue ---------------------------------------------------------------------------------


def job_enqueue(
    *,
    name: str,
    payload: dict[str, Any],
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Queue the job `name`; its handler will be called with `payload` as keyword arguments.

    Call it inside the transaction of the state change the job follows. The row is written in
    that transaction, so the worker sees the job exactly when the change commits and never if it
    rolls back: this table is the outbox. (A `transaction.on_commit` callback would be lost if
    the process died between the commit and the callback.)

    With a `dedupe_key`, an existing job with that key (in any status) is returned instead of
    queuing a second one. Raises registry.UnknownJob for a name no handler is registered under,
    TypeError for a payload that is not JSON.
    """
    entry = registry.get(name)
    if not isinstance(payload, dict):
        raise TypeError("A job payload is a dict of keyword arguments.")
    json.dumps(payload)  # fail here, in the caller's code, rather than in the worker
    fields: dict[str, Any] = {
        "name": name,
        "payload": payload,
        "run_after": run_after or timezone.now(),
        "max_attempts": max_attempts or entry.max_attempts or settings.TASKS_MAX_ATTEMPTS,
    }
    if not dedupe_key:
        return Job.objects.create(**fields)
    job, _created = Job.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if job.name != name:
        raise ValueError(f"De-duplication key {dedupe_key!r} belongs to a {job.name!r} job.")
    return job


def periodic_enqueue_due(*, now: datetime | None = None) -> list[Job]:
    """Queue each periodic job whose current interval has no job yet; the jobs queued.

    Intervals are counted from the Unix epoch, so every worker agrees on them and the
    de-duplication key `periodic:<name>:<interval number>` lets one job per interval through.
    """
    now = now or timezone.now()
    queued = []
    for name, every in sorted(registry.periodic_jobs().items()):
        number = int(now.timestamp() // every.total_seconds())
        key = f"periodic:{name}:{number}"
        if not Job.objects.filter(dedupe_key=key).exists():
            queued.append(job_enqueue(name=name, payload={}, dedupe_key=key))
    return queued


# --- The worker's moves ----------------------------------------------------------------------


def retry_delay(*, attempt: int, base: float, cap: float, rand: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, …).

    Exponential with "equal jitter": the ceiling doubles each attempt (up to `cap`) and the
    delay is between half the ceiling and the ceiling (`rand` in [0, 1)). So workers that failed
    together do not retry together, and until the cap each delay is at least the previous one.
    """
    ceiling = min(cap, base * 2 ** min(max(attempt, 1) - 1, 32))
    return ceiling / 2 + rand * ceiling / 2


def _due(now: datetime) -> Q:
    queued = Q(status=JobStatus.QUEUED, run_after__lte=now)
    abandoned = Q(status=JobStatus.RUNNING, lease_until__lt=now, attempts__lt=F("max_attempts"))
    return queued | abandoned


def job_claim(*, worker_id: str, lease_seconds: float | None = None) -> Job | None:
    """Take the next due job for `worker_id`, or None when nothing is due.

    Due: queued with `run_after` passed, or running with an expired lease (its worker died) and
    attempts left. The claim counts an attempt and leases the job until now + lease_seconds.
    PostgreSQL: FOR UPDATE SKIP LOCKED, so parallel workers take different rows without waiting.
    SQLite: the transaction begins IMMEDIATE (config/settings.py), so claims run one at a time.
    On both the UPDATE repeats the status and attempt number it read.
    """
    seconds = settings.TASKS_LEASE_SECONDS if lease_seconds is None else lease_seconds
    for _try in range(_CLAIM_TRIES):
        now = timezone.now()
        with transaction.atomic():
            candidate = (
                Job.objects.filter(_due(now))
                .order_by("run_after", "id")
                .select_for_update(skip_locked=True)
                .only("id", "status", "attempts")
                .first()
            )
            if candidate is None:
                return None
            taken = Job.objects.filter(
                pk=candidate.pk, status=candidate.status, attempts=candidate.attempts
            ).update(
                status=JobStatus.RUNNING,
                attempts=F("attempts") + 1,
                lease_until=now + timedelta(seconds=seconds),
                locked_by=worker_id,
                started_at=now,
            )
        if taken:
            return Job.objects.get(pk=candidate.pk)
    return None


def _held(job: Job, worker_id: str):
    """The job's row, if `worker_id` still holds the lease it claimed."""
    return Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, locked_by=worker_id, attempts=job.attempts
    )


def job_complete(*, job: Job, worker_id: str) -> bool:
    """Mark a claimed job done. False if the worker had lost its lease to another worker."""
    done = _held(job, worker_id).update(
        status=JobStatus.DONE, finished_at=timezone.now(), lease_until=None
    )
    if not done:
        logger.warning("job %s %s: lease lost before completion; not marked done", job.pk, job)
    return bool(done)


def _error_text(error: BaseException | str) -> str:
    text = "".join(traceback.format_exception(error)) if isinstance(error, BaseException) else error
    return text[-MAX_ERROR_CHARS:]


def _mark_failed(job: Job, *, error: str, now: datetime) -> None:
    """Give up on `job` (inside the caller's transaction) and run its on_failure hook."""
    job.status = JobStatus.FAILED
    job.finished_at = now
    job.lease_until = None
    job.last_error = error
    job.save(update_fields=["status", "finished_at", "lease_until", "last_error"])
    try:
        hook = registry.get(job.name).on_failure
    except registry.UnknownJob:
        hook = None
    if hook is None:
        return
    try:
        with transaction.atomic():  # a savepoint: a failing hook must not keep the job alive
            hook(error=error, **job.payload)
    except Exception:
        logger.exception("job %s %s: on_failure hook raised", job.pk, job)


def job_fail(
    *, job: Job, worker_id: str, error: BaseException | str, permanent: bool = False
) -> Job | None:
    """Record a failed attempt: queue a retry after a back-off, or fail the job for good when
    no attempts are left or the error is `permanent`. None if the lease was lost."""
    now = timezone.now()
    text = _error_text(error)
    with transaction.atomic():
        current = _held(job, worker_id).select_for_update().first()
        if current is None:
            logger.warning("job %s %s: lease lost before the failure was recorded", job.pk, job)
            return None
        if permanent or current.attempts >= current.max_attempts:
            _mark_failed(current, error=text, now=now)
            return current
        delay = retry_delay(
            attempt=current.attempts,
            base=settings.TASKS_RETRY_BASE_SECONDS,
            cap=settings.TASKS_RETRY_MAX_SECONDS,
            rand=random.random(),  # noqa: S311 - jitter, not a secret
        )
        current.status = JobStatus.QUEUED
        current.run_after = now + timedelta(seconds=delay)
        current.lease_until = None
        current.last_error = text
        current.save(update_fields=["status", "run_after", "lease_until", "last_error"])
    return current


def job_fail_abandoned() -> int:
    """Fail the jobs whose worker died during their last attempt; how many there were."""
    now = timezone.now()
    stale = Job.objects.filter(
        status=JobStatus.RUNNING, lease_until__lt=now, attempts__gte=F("max_attempts")
    )
    failed = 0
    for pk in stale.values_list("pk", flat=True)[:100]:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update()
                .filter(pk=pk, status=JobStatus.RUNNING, lease_until__lt=now)
                .first()
            )
            if job is None:  # another worker got there first
                continue
            text = "The worker stopped during the last attempt (its lease expired)."
            if job.last_error:
                text = f"{text}\n\nEarlier error:\n{job.last_error}"
            _mark_failed(job, error=_error_text(text), now=now)
            failed += 1
    return failed


# --- The back office -------------------------------------------------------------------------


def job_retry(*, job: Job, acting_user) -> Job:
    """Run a failed job again now, with a fresh set of attempts (administrators only)."""
    permissions.require(
        permissions.is_administrator(acting_user) and not permissions.is_read_only(acting_user)
    )
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.status != JobStatus.FAILED:
            raise DomainError(
                _("Only a failed job can be retried; this one is “%(status)s”.")
                % {"status": JobStatus(current.status).label},
                code="illegal_transition",
                status=409,
            )
        current.status = JobStatus.QUEUED
        current.attempts = 0
        current.run_after = timezone.now()
        current.finished_at = None
        current.lease_until = None
        current.save(
            update_fields=["status", "attempts", "run_after", "finished_at", "lease_until"]
        )
    logger.info("job %s %s: queued again by user %s", current.pk, current, acting_user.pk)
    return current
