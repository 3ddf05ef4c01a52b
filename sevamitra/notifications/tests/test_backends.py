"""The built-in backends, on their own."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from sevamitra.notifications.backends import (
    UnsupportedChannel,
    console,
    file,
    gateway,
    get_backend,
    locmem,
)
from sevamitra.notifications.backends import email as email_backend
from sevamitra.notifications.backends import sms as sms_backend

MESSAGE = {"channel": "email", "to": "asha@example.in", "subject": "Hello", "body": "Namaste"}


def test_get_backend_follows_the_setting(settings):
    settings.NOTIFICATIONS_BACKEND = "sevamitra.notifications.backends.console.Backend"

    assert isinstance(get_backend(), console.Backend)


def test_console_prints_the_message_with_its_id():
    stream = io.StringIO()

    console.Backend(stream=stream).deliver(message_id=7, **MESSAGE)

    assert stream.getvalue() == (
        "Message-Id: 7\nChannel: email\nTo: asha@example.in\nSubject: Hello\n\nNamaste\n"
        + "-" * 72
        + "\n"
    )


def test_the_file_backend_keeps_one_file_per_message_id(tmp_path):
    backend = file.Backend(file_path=tmp_path)

    backend.deliver(message_id=7, **MESSAGE)
    backend.deliver(message_id=7, **MESSAGE)
    backend.deliver(message_id=8, **{**MESSAGE, "body": "Dhanyavaad"})

    assert sorted(path.name for path in tmp_path.iterdir()) == ["message-7.txt", "message-8.txt"]
    assert (tmp_path / "message-7.txt").read_text(encoding="utf-8").count("Namaste") == 1


def test_the_file_backend_needs_a_folder(settings):
    settings.NOTIFICATIONS_FILE_PATH = ""

    with pytest.raises(ImproperlyConfigured):
        file.Backend()


def test_locmem_delivers_an_id_once_and_counts_every_call():
    backend = locmem.Backend()

    backend.deliver(message_id=7, **MESSAGE)
    backend.deliver(message_id=7, **{**MESSAGE, "body": "changed"})

    assert locmem.calls == [7, 7]
    assert [d.body for d in locmem.outbox.values()] == ["Namaste"]


@pytest.mark.parametrize(
    ("backend", "channel"),
    [(sms_backend.Backend, "email"), (email_backend.Backend, "sms"), (gateway.Backend, "fax")],
)
def test_a_backend_refuses_a_channel_it_does_not_serve(backend, channel):
    with pytest.raises(UnsupportedChannel):
        backend().deliver(message_id=7, **{**MESSAGE, "channel": channel})
