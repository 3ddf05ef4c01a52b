"""Background jobs of the ONDC seller node (registered when Django starts; `manage.py worker`).

- "ondc.process" (log_id): run the handler of an ACKed request, queue its on_<action>;
- "ondc.send" (message_id): sign and POST one callback; retried with the queue's back-off on
  network errors, HTTP 5xx/408/429 and NACKs asking for a retry;
- "ondc.prune": delete log rows older than ONDC_LOG_RETENTION_DAYS, then queue itself for the
  next night (03:00). Start the cycle once with `manage.py ondc_prune --schedule`, or run
  `manage.py ondc_prune` from cron instead.
The logic is in outbox.py; these are the queue's entry points.
"""

from sevamitra.ondc import outbox
from sevamitra.tasks.registry import job


@job(outbox.PROCESS_JOB, max_attempts=5, on_failure=outbox.process_give_up)
def process(*, log_id: int) -> None:
    outbox.inbound_process(log_id=log_id)


@job(outbox.SEND_JOB, on_failure=outbox.send_give_up)
def send(*, message_id: int) -> None:
    outbox.callback_send(message_id=message_id)


@job(outbox.PRUNE_JOB)
def prune() -> None:
    outbox.log_prune()
    outbox.prune_schedule()
