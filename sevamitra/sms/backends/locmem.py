"""Test backend: messages are appended to `outbox`, like django.core.mail.outbox."""

from collections.abc import Sequence

from sevamitra.sms.backends.base import BaseSmsBackend, SmsMessage

outbox: list[SmsMessage] = []


class SmsBackend(BaseSmsBackend):
    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)
