"""Background work: a durable job queue in the database, run by `manage.py worker`.

A service enqueues a job with `job_enqueue` inside its own transaction (the row is the outbox:
it exists exactly when the state change committed); a handler registered with `@job("name")`
in an app's `tasks.py` runs it later, with retries and back-off. docs/adr/0003-background-work.md
explains why this is our own small queue and what "delivered once" means.
"""
