"""Delivery by the worker: once, retried with back-off when the backend fails, then failed."""

import pytest

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.notifications.backends import locmem
from sevamitra.notifications.backends.locmem import Delivery
from sevamitra.notifications.models import MessageStatus
from sevamitra.notifications.services import message_deliver
from sevamitra.notifications.tests.helpers import (
    PHONE,
    TEXT,
    delivery_job,
    queue_sms,
    time_passes,
    work,
)
from sevamitra.sms.backends import locmem as sms_locmem
from sevamitra.tasks.models import JobStatus
from sevamitra.tasks.services import job_retry

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway_down(monkeypatch):
    def refuse(self, **kwargs):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(locmem.Backend, "deliver", refuse)
    return monkeypatch


def test_a_queued_message_is_delivered_exactly_once():
    message = queue_sms()

    assert work() == 1
    assert work() == 0

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    assert (message.attempts, message.last_error) == (1, "")
    assert locmem.calls == [message.pk]
    assert locmem.outbox == {
        message.pk: Delivery(message_id=message.pk, channel="sms", to=PHONE, subject="", body=TEXT)
    }
    job = delivery_job(message)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


def test_delivering_a_sent_message_again_calls_no_backend():
    message = queue_sms()
    work()

    message_deliver(message_id=message.pk)

    assert locmem.calls == [message.pk]
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_failing_backend_is_retried_then_the_message_fails(settings, gateway_down):
    settings.TASKS_MAX_ATTEMPTS = 2
    message = queue_sms()
    job = delivery_job(message)

    work()
    message.refresh_from_db()
    job.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.last_error == "ConnectionError('gateway down')"
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)

    assert work() == 0  # the back-off holds it
    time_passes(job)
    work()

    message.refresh_from_db()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert (message.status, message.attempts, message.sent_at) == (MessageStatus.FAILED, 2, None)
    assert message.last_error.splitlines()[-1] == "ConnectionError: gateway down"
    assert locmem.outbox == {}


def test_an_administrator_retry_sends_a_failed_message(settings, gateway_down):
    settings.TASKS_MAX_ATTEMPTS = 1
    message = queue_sms()
    work()
    gateway_down.undo()  # the gateway is back

    job_retry(job=delivery_job(message), acting_user=user_with_roles(Role.ADMINISTRATOR))
    work()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert message.sent_at is not None
    assert locmem.calls == [message.pk]


def test_a_deleted_message_fails_its_job_at_once():
    message = queue_sms()
    job = delivery_job(message)
    message_id = message.pk
    message.delete()

    work()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.last_error.splitlines()[-1].endswith(f"Message {message_id} does not exist.")
    assert locmem.calls == []


def test_a_backend_without_the_channel_fails_the_message_at_once(settings):
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.sms.Backend"
    message = queue_sms(channel="email", to="asha@example.in", subject="Booking 12")

    work()

    message.refresh_from_db()
    job = delivery_job(message)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert message.last_error.splitlines()[-1].endswith(
        "The SMS backend cannot deliver 'email' messages."
    )


def test_the_gateway_sends_an_sms_through_sevamitra_sms(settings):
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.gateway.Backend"
    message = queue_sms()

    work()

    assert [(sms.to, sms.body) for sms in sms_locmem.outbox] == [(PHONE, TEXT)]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_gateway_sends_an_email_marked_with_the_message_id(settings, mailoutbox):
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.gateway.Backend"
    message = queue_sms(channel="email", to="asha@example.in", subject="Booking 12")

    work()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.to, mail.subject, mail.body) == (["asha@example.in"], "Booking 12", TEXT)
    assert mail.from_email == "Sevamitra <noreply@sevamitra.localhost>"
    assert mail.extra_headers == {
        "Message-ID": f"<notification.{message.pk}@sevamitra.localhost>",
        "X-Sevamitra-Message-Id": str(message.pk),
    }
    assert mail.message()["Message-ID"] == f"<notification.{message.pk}@sevamitra.localhost>"
    assert sms_locmem.outbox == []
