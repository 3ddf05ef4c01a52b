"""Messages to people (SMS, e-mail) through an outbox.

A service that changes state calls `message_queue(...)` inside its transaction: the Message
row and its `notifications.deliver` job commit together with the change, or not at all. The
worker delivers it through settings.NOTIFICATIONS_BACKEND, passing the message id as the
idempotency key (docs/adr/0003-background-work.md).
"""
