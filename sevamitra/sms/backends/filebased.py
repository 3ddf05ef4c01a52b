"""Staging backend: one file per message under settings.SMS_FILE_PATH (created if missing)."""

import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sevamitra.sms.backends.base import BaseSmsBackend, SmsMessage
from sevamitra.sms.backends.console import format_message


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, file_path: str | Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("SMS_FILE_PATH must be set to use the file SMS backend.")
        self.path = Path(path)

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        for message in messages:
            stamp = message.sent_at.strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{uuid.uuid4().hex[:12]}.txt"
            (self.path / name).write_text(format_message(message), encoding="utf-8")
        return len(messages)
