import datetime as dt

import pytest

from sevamitra.sms import get_backend, send_sms
from sevamitra.sms.backends import locmem
from sevamitra.sms.backends.base import BaseSmsBackend, SmsMessage


def test_send_sms_goes_through_the_configured_backend():
    send_sms(to="+919876543210", body="Namaste 123456")

    assert len(locmem.outbox) == 1
    message = locmem.outbox[0]
    assert (message.to, message.body) == ("+919876543210", "Namaste 123456")
    assert message.sent_at.tzinfo is not None


def test_console_backend_prints_the_whole_message_unmasked(settings, capsys):
    settings.SMS_BACKEND = "sevamitra.sms.backends.console.SmsBackend"

    send_sms(to="+919876543210", body="सेवामित्र कोड 123456")

    out = capsys.readouterr().out
    assert "To: +919876543210\n" in out
    assert "\nसेवामित्र कोड 123456\n" in out
    assert locmem.outbox == []


def test_file_backend_writes_one_file_per_message_creating_the_folder(settings, tmp_path):
    folder = tmp_path / "not" / "yet" / "there"
    settings.SMS_BACKEND = "sevamitra.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = folder

    send_sms(to="+919876543210", body="first 111111")
    send_sms(to="+917000000001", body="second 222222")

    files = sorted(folder.iterdir())
    assert len(files) == 2
    texts = sorted(path.read_text(encoding="utf-8") for path in files)
    assert "To: +917000000001\n" in texts[0] and "\nsecond 222222\n" in texts[0]
    assert "To: +919876543210\n" in texts[1] and "\nfirst 111111\n" in texts[1]


def test_get_backend_builds_the_class_named_in_settings(settings):
    settings.SMS_BACKEND = "sevamitra.sms.backends.console.SmsBackend"

    backend = get_backend()

    assert type(backend).__module__ == "sevamitra.sms.backends.console"
    assert isinstance(get_backend("sevamitra.sms.backends.locmem.SmsBackend"), locmem.SmsBackend)


def test_get_backend_fails_loudly_on_a_wrong_path(settings):
    settings.SMS_BACKEND = "sevamitra.sms.backends.nowhere.SmsBackend"

    with pytest.raises(ImportError):
        get_backend()


def test_base_backend_must_be_subclassed():
    message = SmsMessage(
        to="+919876543210", body="x", sent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )

    with pytest.raises(NotImplementedError):
        BaseSmsBackend().send_messages([message])
