"""Background jobs of notifications (registered when Django starts, see sevamitra.tasks)."""

from sevamitra.notifications.services import DELIVER_JOB, message_deliver, message_give_up
from sevamitra.tasks.registry import job


@job(DELIVER_JOB, on_failure=message_give_up)
def deliver(*, message_id: int) -> None:
    message_deliver(message_id=message_id)
