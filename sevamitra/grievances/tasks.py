"""The grievance sweeps, queued hourly by the worker (idempotent: run twice, change once)."""

from datetime import timedelta

from sevamitra.grievances.services.complaints import complaints_escalate_overdue
from sevamitra.grievances.services.decisions import sanctions_end_expired
from sevamitra.tasks.registry import periodic


@periodic("grievances.escalate", every=timedelta(hours=1))
def escalate() -> None:
    """Complaints unresolved past their deadline go to the district officers, once."""
    complaints_escalate_overdue()


@periodic("grievances.end_suspensions", every=timedelta(hours=1))
def end_suspensions() -> None:
    """Suspensions whose last day has passed end; the provider is reinstated when free."""
    sanctions_end_expired()
