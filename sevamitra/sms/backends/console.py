"""Development backend: prints every message, unmasked, to standard output."""

import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from sevamitra.sms.backends.base import BaseSmsBackend, SmsMessage

_lock = threading.Lock()


def format_message(message: SmsMessage) -> str:
    return f"To: {message.to}\nDate: {message.sent_at.isoformat()}\n\n{message.body}\n{'-' * 72}\n"


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream: TextIO | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        stream = self.stream or sys.stdout  # looked up at send time, so capture works
        with _lock:
            for message in messages:
                stream.write(format_message(message))
            stream.flush()
        return len(messages)
