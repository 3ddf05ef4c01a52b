"""Text messages (SMS), sent through a pluggable backend like Django's e-mail backends.

`settings.SMS_BACKEND` is the dotted path of a class with `send_messages(messages)`:
console (development), filebased (staging, one file per message), locmem (tests), or a
gateway backend added later. Callers only use `send_sms`.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from sevamitra.sms.backends.base import BaseSmsBackend, SmsMessage

__all__ = ["BaseSmsBackend", "SmsMessage", "get_backend", "send_sms"]


def get_backend(backend: str | None = None, **kwargs) -> BaseSmsBackend:
    """An instance of the configured backend (or of `backend`, a dotted path)."""
    klass = import_string(backend or settings.SMS_BACKEND)
    return klass(**kwargs)


def send_sms(*, to: str, body: str) -> None:
    """Send one text message to `to` (E.164, e.g. "+919876543210")."""
    get_backend().send_messages([SmsMessage(to=to, body=body)])
