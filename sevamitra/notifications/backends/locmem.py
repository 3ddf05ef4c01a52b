"""Test backend: behaves like a provider that honours the idempotency key.

`outbox` holds what recipients received, one entry per message id; `calls` lists the id of
every call, repeats included, so a test can see a redelivery that was de-duplicated.
"""

from dataclasses import dataclass

from sevamitra.notifications.backends.base import BaseBackend


@dataclass(frozen=True)
class Delivery:
    message_id: int
    channel: str
    to: str
    subject: str
    body: str


outbox: dict[int, Delivery] = {}
calls: list[int] = []


def clear() -> None:
    outbox.clear()
    calls.clear()


class Backend(BaseBackend):
    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        calls.append(message_id)
        outbox.setdefault(
            message_id,
            Delivery(message_id=message_id, channel=channel, to=to, subject=subject, body=body),
        )
