"""Development backend: prints every message, unmasked, to standard output.

It cannot remember across restarts what it printed: a message redelivered after a crash is
printed again, under the same Message-Id.
"""

import sys
import threading
from typing import TextIO

from sevamitra.notifications.backends.base import BaseBackend, format_message

_lock = threading.Lock()


class Backend(BaseBackend):
    def __init__(self, *, stream: TextIO | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream

    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        stream = self.stream or sys.stdout  # looked up at send time, so capture works
        text = format_message(
            message_id=message_id, channel=channel, to=to, subject=subject, body=body
        )
        with _lock:
            stream.write(text)
            stream.flush()
