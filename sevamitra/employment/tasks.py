"""Background jobs of linked profiles (registered when Django starts; `manage.py worker`).

- "employment.work_history_send" (share_id): deliver the share's signed record to the
  exchange, unless consent has been withdrawn by then; retried with the queue's back-off;
- "employment.work_history_withdrawal_send" (share_id, portal, registration_number): tell the
  exchange to drop the record;
- "employment.work_history_refresh" (daily): sign again and resend records older than
  EMPLOYMENT_RECORD_REFRESH_DAYS.
The logic is in services.py.
"""

from datetime import timedelta

from sevamitra.employment import services
from sevamitra.tasks.registry import job, periodic


@job(services.SEND_JOB, on_failure=services.work_history_delivery_give_up)
def work_history_send(*, share_id: int) -> None:
    services.work_history_deliver(share_id=share_id)


@job(services.WITHDRAWAL_JOB, on_failure=services.work_history_delivery_give_up)
def work_history_withdrawal_send(*, share_id: int, portal: str, registration_number: str) -> None:
    services.work_history_withdrawal_deliver(
        share_id=share_id, portal=portal, registration_number=registration_number
    )


@periodic("employment.work_history_refresh", every=timedelta(days=1))
def work_history_refresh() -> None:
    services.work_history_refresh_due()
