"""Background jobs the booking engine schedules (run by `manage.py worker`)."""

from sevamitra.bookings.models import Booking
from sevamitra.tasks.services import job_enqueue

EXPIRE_REQUEST = "bookings.expire_request"


def schedule_request_expiry(booking: Booking) -> None:
    """At the answer deadline, pass an unanswered request on to the next provider."""
    job_enqueue(
        name=EXPIRE_REQUEST,
        payload={"booking_id": booking.pk},
        run_after=booking.accept_deadline,
        dedupe_key=f"{EXPIRE_REQUEST}:{booking.pk}",
    )
