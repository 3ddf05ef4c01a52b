import datetime as dt
from typing import Any

from django.utils import timezone

from sevamitra.notifications.models import Message
from sevamitra.notifications.services import message_queue
from sevamitra.tasks.models import Job
from sevamitra.tasks.worker import Worker

PHONE = "+919876543210"
TEXT = "Booking 12 confirmed: Asha will come on 05/03/2026 10:00 AM."


def queue_sms(**overrides) -> Message:
    fields: dict[str, Any] = {
        "channel": "sms",
        "to": PHONE,
        "body": TEXT,
        "event": "booking.confirmed",
        "reference": "booking:12",
    }
    fields.update(overrides)
    return message_queue(**fields)


def work() -> int:
    """One run of `manage.py worker --once`: how many jobs it ran."""
    return Worker(once=True, sleep=0).run()


def delivery_job(message: Message) -> Job:
    return Job.objects.get(dedupe_key=f"notifications.deliver:{message.pk}")


def time_passes(job: Job) -> None:
    """The job's retry or its dead worker's lease is due now."""
    past = timezone.now() - dt.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(run_after=past, lease_until=past)
