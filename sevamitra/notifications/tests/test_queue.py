"""message_queue: the message and its delivery job belong to the caller's transaction."""

import pytest
from django.db import transaction

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.core.errors import DomainError
from sevamitra.notifications.backends import locmem
from sevamitra.notifications.models import Message, MessageStatus
from sevamitra.notifications.tests.helpers import PHONE, TEXT, queue_sms, work
from sevamitra.tasks.models import Job, JobStatus


@pytest.mark.django_db
def test_a_message_and_its_delivery_job_are_queued_together(django_capture_on_commit_callbacks):
    user = UserFactory(phone="9876543210")

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        message = queue_sms(user=user)

    assert callbacks == []  # the rows are the outbox: nothing waits for on_commit
    message.refresh_from_db()
    assert message.channel == "sms"
    assert message.to == PHONE
    assert message.user == user
    assert (message.subject, message.body) == ("", TEXT)
    assert (message.event, message.reference) == ("booking.confirmed", "booking:12")
    assert (message.status, message.attempts, message.sent_at) == (MessageStatus.QUEUED, 0, None)
    job = Job.objects.get()
    assert job.name == "notifications.deliver"
    assert job.payload == {"message_id": message.pk}
    assert job.status == JobStatus.QUEUED
    assert job.dedupe_key == f"notifications.deliver:{message.pk}"
    assert locmem.calls == []  # nothing leaves before the worker runs


@pytest.mark.django_db
def test_an_email_keeps_its_subject():
    message = queue_sms(channel="email", to=" asha@example.in ", subject="Booking 12")

    message.refresh_from_db()
    assert (message.channel, message.to, message.subject) == (
        "email",
        "asha@example.in",
        "Booking 12",
    )


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_state_change_leaves_no_message_and_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_sms()
        raise RuntimeError("the booking could not be confirmed")

    assert Message.objects.count() == 0
    assert Job.objects.count() == 0
    assert work() == 0
    assert locmem.calls == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_state_change_is_delivered_by_the_worker():
    with transaction.atomic():
        message = queue_sms()

    assert work() == 1
    assert locmem.calls == [message.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"channel": "fax"}, "invalid_channel", "channel"),
        ({"to": "9876543210"}, "invalid_recipient", "to"),
        ({"to": "+91 98765 43210"}, "invalid_recipient", "to"),
        ({"to": "asha@example.in"}, "invalid_recipient", "to"),
        ({"channel": "email", "to": "+919876543210"}, "invalid_recipient", "to"),
        ({"channel": "email", "to": "asha@"}, "invalid_recipient", "to"),
        ({"body": "  \n"}, "empty_message", "body"),
        ({"body": "x" * 1531}, "message_too_long", "body"),
    ],
)
def test_a_bad_message_is_refused_and_nothing_is_queued(fields, code, field):
    with pytest.raises(DomainError) as refused:
        queue_sms(**fields)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert Message.objects.count() == 0
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_the_longest_sms_is_accepted():
    assert queue_sms(body="x" * 1530).pk is not None
