"""Where messages go: a pluggable backend like Django's e-mail backends.

`settings.NOTIFICATIONS_BACKEND` is the dotted path of a class with
`deliver(*, message_id, channel, to, subject, body)`. The message id is an idempotency key: a
backend must not deliver the same id twice (a worker that crashed after delivering, before
recording it, delivers again). Built in: console (development), file (staging: one file per
message id), locmem (tests), and gateway (production: SMS through sevamitra.sms, e-mail through
Django's mail); sms and email serve one channel each.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from sevamitra.notifications.backends.base import BaseBackend, UnsupportedChannel

__all__ = ["BaseBackend", "UnsupportedChannel", "get_backend"]


def get_backend(backend: str | None = None, **kwargs) -> BaseBackend:
    """An instance of the configured backend (or of `backend`, a dotted path)."""
    klass = import_string(backend or settings.NOTIFICATIONS_BACKEND)
    return klass(**kwargs)
