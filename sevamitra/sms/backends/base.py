from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    sent_at: datetime = field(default_factory=timezone.now)


class BaseSmsBackend:
    """Subclasses deliver messages; they return how many were sent."""

    def __init__(self, **kwargs) -> None:
        pass

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        raise NotImplementedError("subclasses of BaseSmsBackend must define send_messages()")
