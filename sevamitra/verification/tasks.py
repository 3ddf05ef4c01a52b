"""The verification sweeps the worker runs (idempotent: each reminder is recorded once)."""

from datetime import timedelta

from sevamitra.tasks.registry import periodic
from sevamitra.verification import services


@periodic("verification.police_reminders", every=timedelta(hours=6))
def police_reminders() -> None:
    """Police certificates ending soon (the policy's days before) or just ended."""
    services.verification_police_reminders_send()


@periodic("verification.reverification", every=timedelta(hours=6))
def reverification() -> None:
    """Re-verification falling due (the Sevamitra is told) and overdue (back to pending)."""
    services.verification_reverification_sweep()
