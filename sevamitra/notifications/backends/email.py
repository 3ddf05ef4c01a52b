"""E-mail through Django's mail (settings.EMAIL_BACKEND): the channel "email" only.

Like `send_mail`, plus a Message-ID made from the message id: a redelivery carries the same
Message-ID, which mail systems use to drop duplicates; an e-mail API used in production should
get the id as its idempotency key too.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from sevamitra.notifications.backends.base import BaseBackend, UnsupportedChannel
from sevamitra.notifications.models import Channel


def message_id_header(message_id: int) -> str:
    _name, address = parseaddr(settings.NOTIFICATIONS_EMAIL_FROM)
    domain = address.rpartition("@")[2] or "sevamitra.localhost"
    return f"<notification.{int(message_id)}@{domain}>"


class Backend(BaseBackend):
    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        if channel != Channel.EMAIL:
            raise UnsupportedChannel(f"The e-mail backend cannot deliver {channel!r} messages.")
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.NOTIFICATIONS_EMAIL_FROM,
            to=[to],
            headers={
                "Message-ID": message_id_header(message_id),
                "X-Sevamitra-Message-Id": str(message_id),
            },
        ).send(fail_silently=False)
