"""SMS through sevamitra.sms (settings.SMS_BACKEND): the channel "sms" only.

`send_sms` takes no idempotency key yet. The gateway backend added to sevamitra.sms for
production MUST take the message id and pass it to the provider's API as its idempotency key
(or de-duplicate on it): that is what makes a redelivery after a worker crash harmless. Until
then a crash in the short window between the gateway call and the commit of "sent" can send
the SMS twice.
"""

from sevamitra.notifications.backends.base import BaseBackend, UnsupportedChannel
from sevamitra.notifications.models import Channel
from sevamitra.sms import send_sms


class Backend(BaseBackend):
    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        if channel != Channel.SMS:
            raise UnsupportedChannel(f"The SMS backend cannot deliver {channel!r} messages.")
        send_sms(to=to, body=body)
