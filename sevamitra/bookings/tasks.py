"""Handlers of the booking engine's background jobs."""

from sevamitra.bookings.jobs import EXPIRE_REQUEST
from sevamitra.bookings.models import Booking
from sevamitra.bookings.services import booking_decline
from sevamitra.tasks.registry import job


@job(EXPIRE_REQUEST)
def expire_request(*, booking_id: int) -> None:
    """Idempotent: a request answered meanwhile, or already passed on, is left alone."""

    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is not None:
        booking_decline(booking=booking, reason="no answer before the deadline", acting_user=None)
