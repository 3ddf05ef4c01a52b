"""Production backend: each channel through its own service (SMS → sevamitra.sms, e-mail →
Django's mail). Both honour the message id as described in sms.py and email.py."""

from sevamitra.notifications.backends import email, sms
from sevamitra.notifications.backends.base import BaseBackend, UnsupportedChannel
from sevamitra.notifications.models import Channel


class Backend(BaseBackend):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.by_channel: dict[str, BaseBackend] = {
            Channel.SMS: sms.Backend(),
            Channel.EMAIL: email.Backend(),
        }

    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        backend = self.by_channel.get(channel)
        if backend is None:
            raise UnsupportedChannel(f"No backend delivers {channel!r} messages.")
        backend.deliver(message_id=message_id, channel=channel, to=to, subject=subject, body=body)
