"""Staging backend: one file per message id under settings.NOTIFICATIONS_FILE_PATH.

The file is named by the message id and written whole or not at all (a temporary file renamed
into place), so delivering the same message again replaces the file instead of adding one.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sevamitra.notifications.backends.base import BaseBackend, format_message


def file_name(message_id: int) -> str:
    return f"message-{int(message_id)}.txt"


class Backend(BaseBackend):
    def __init__(self, *, file_path: str | Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "NOTIFICATIONS_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("NOTIFICATIONS_FILE_PATH must be set for the file backend.")
        self.path = Path(path)

    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        text = format_message(
            message_id=message_id, channel=channel, to=to, subject=subject, body=body
        )
        fd, temporary = tempfile.mkstemp(dir=self.path, prefix=".message-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, self.path / file_name(message_id))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
