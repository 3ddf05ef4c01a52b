class UnsupportedChannel(ValueError):
    """This backend does not deliver on the message's channel (a configuration error)."""


class BaseBackend:
    """Subclasses deliver one message. `message_id` is the idempotency key: delivering the same
    id again must not reach the recipient twice (overwrite, ignore, or pass it to the provider
    API as its idempotency key)."""

    def __init__(self, **kwargs) -> None:
        pass

    def deliver(self, *, message_id: int, channel: str, to: str, subject: str, body: str) -> None:
        raise NotImplementedError("subclasses of BaseBackend must define deliver()")


def format_message(*, message_id: int, channel: str, to: str, subject: str, body: str) -> str:
    lines = [f"Message-Id: {message_id}", f"Channel: {channel}", f"To: {to}"]
    if subject:
        lines.append(f"Subject: {subject}")
    return "\n".join(lines) + f"\n\n{body}\n{'-' * 72}\n"
