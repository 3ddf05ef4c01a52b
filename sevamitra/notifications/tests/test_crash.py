"""Delivered once although the worker is killed mid-delivery and another worker takes over.

The backend gets the message id as idempotency key; "sent" is committed before the job is
done. The locmem backend acts like a provider that honours the key; the file backend keeps
one file per message id.
"""

import threading

import pytest
from django.db import connections, transaction

from sevamitra.notifications import services
from sevamitra.notifications.backends import locmem
from sevamitra.notifications.backends.file import file_name
from sevamitra.notifications.models import Message, MessageStatus
from sevamitra.notifications.tests.helpers import TEXT, delivery_job, queue_sms, time_passes, work
from sevamitra.tasks.models import JobStatus
from sevamitra.tasks.tests.helpers import WorkerDied
from sevamitra.tasks.worker import Worker


def _deliveries(backend: str, settings, message_id: int) -> list[str]:
    """What the recipient of `message_id` received, one entry per delivery."""
    if backend == "locmem":
        return [d.body for d in locmem.outbox.values() if d.message_id == message_id]
    folder = settings.NOTIFICATIONS_FILE_PATH
    files = sorted(path.name for path in folder.iterdir())
    assert files == [file_name(message_id)]  # and no half-written temporary file
    return [(folder / files[0]).read_text(encoding="utf-8").split("\n\n", 1)[1].split("\n")[0]]


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["locmem", "file"])
def test_killed_after_sending_before_recording_it(monkeypatch, settings, backend):
    settings.NOTIFICATIONS_BACKEND = f"sevamitra.notifications.backends.{backend}.Backend"
    message = queue_sms()
    job = delivery_job(message)

    def killed(**kwargs):
        raise WorkerDied

    monkeypatch.setattr(services, "_mark_sent", killed)
    with pytest.raises(WorkerDied):
        work()
    message.refresh_from_db()
    job.refresh_from_db()
    assert (message.status, job.status) == (MessageStatus.QUEUED, JobStatus.RUNNING)
    assert work() == 0  # the dead worker's lease holds for now

    monkeypatch.undo()  # a new worker process, running the real code
    time_passes(job)
    assert work() == 1

    message.refresh_from_db()
    job.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert _deliveries(backend, settings, message.pk) == [TEXT]
    if backend == "locmem":
        assert locmem.calls == [message.pk, message.pk]  # asked twice, delivered once


@pytest.mark.django_db
def test_killed_after_recording_it_before_the_job_is_done(monkeypatch):
    message = queue_sms()
    job = delivery_job(message)

    def killed(**kwargs):
        raise WorkerDied

    monkeypatch.setattr("sevamitra.tasks.worker.job_complete", killed)
    with pytest.raises(WorkerDied):
        work()
    monkeypatch.undo()
    time_passes(job)
    assert work() == 1

    message.refresh_from_db()
    job.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert locmem.calls == [message.pk]  # the second run saw "sent" and called nobody


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_deliver_each_message_once():
    with transaction.atomic():
        ids = [queue_sms(reference=f"booking:{n}").pk for n in range(24)]
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def run() -> None:
        try:
            start.wait()
            Worker(once=True, sleep=0).run()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(locmem.calls) == sorted(ids)
    assert Message.objects.filter(status=MessageStatus.SENT, attempts=1).count() == 24
