"""Names of background jobs and the functions that run them.

An app declares its handlers in its `tasks.py` (imported by TasksConfig.ready):

    @job("notifications.deliver", on_failure=message_give_up)
    def deliver(*, message_id: int) -> None: ...

A handler gets the job's payload as keyword arguments. It must be idempotent: after a crash it
runs again with the same arguments. It raises to ask for a retry (with back-off), or raises
`PermanentError` when another try cannot help. `on_failure(error=..., **payload)` runs once, in
the transaction that marks the job failed for good.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Handler = Callable[..., Any]


class UnknownJob(LookupError):
    """No handler is registered under this name."""


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help: the job fails at once."""


@dataclass(frozen=True)
class RegisteredJob:
    name: str
    func: Handler
    max_attempts: int | None = None
    on_failure: Handler | None = None


_registry: dict[str, RegisteredJob] = {}
# Periodic jobs: name → interval. The worker queues each once per interval (tasks.services.
# periodic_enqueue_due), whichever worker gets there first.
_periodic: dict[str, timedelta] = {}


def register(
    name: str,
    func: Handler,
    *,
    max_attempts: int | None = None,
    on_failure: Handler | None = None,
) -> RegisteredJob:
    """Register `func` under `name`; registering a different function twice is an error."""
    if max_attempts is not None and max_attempts < 1:
        raise ImproperlyConfigured(f"Job {name!r}: max_attempts must be at least 1.")
    existing = _registry.get(name)
    if existing is not None and _qualified(existing.func) != _qualified(func):
        raise ImproperlyConfigured(
            f"Job {name!r} is already registered to {_qualified(existing.func)}."
        )
    entry = RegisteredJob(name=name, func=func, max_attempts=max_attempts, on_failure=on_failure)
    _registry[name] = entry
    return entry


def unregister(name: str) -> None:
    _registry.pop(name, None)
    _periodic.pop(name, None)


def job(
    name: str, *, max_attempts: int | None = None, on_failure: Handler | None = None
) -> Callable[[Handler], Handler]:
    """Decorator: register the function as the handler of the job `name`."""

    def decorator(func: Handler) -> Handler:
        register(name, func, max_attempts=max_attempts, on_failure=on_failure)
        return func

    return decorator


def periodic(
    name: str, *, every: timedelta, max_attempts: int | None = None
) -> Callable[[Handler], Handler]:
    """Decorator: a job the worker runs once every `every` (a sweep: reminders, deadlines).

    The handler takes no arguments and must be idempotent like any job; it is queued once
    per interval however many workers run (the de-duplication key names the interval).
    """
    if every < timedelta(minutes=1):
        raise ImproperlyConfigured(f"Periodic job {name!r}: run it at most once a minute.")

    def decorator(func: Handler) -> Handler:
        register(name, func, max_attempts=max_attempts)
        _periodic[name] = every
        return func

    return decorator


def periodic_jobs() -> dict[str, timedelta]:
    return dict(_periodic)


def get(name: str) -> RegisteredJob:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownJob(f"No job handler is registered as {name!r}.") from None


def names() -> list[str]:
    return sorted(_registry)


def _qualified(func: Handler) -> str:
    return f"{func.__module__}.{getattr(func, '__qualname__', repr(func))}"
