"""Periodic work of government orders: complete orders whose visits are over, and record
deemed acceptance when the office has not issued the completion certificate in time."""

import datetime as dt
from datetime import timedelta

from sevamitra.procurement import selectors
from sevamitra.procurement.models import AcceptanceKind, RequisitionStatus
from sevamitra.procurement.services.completion import requisition_deem_accepted
from sevamitra.tasks.registry import periodic


@periodic("procurement.acceptance_sweep", every=timedelta(hours=1))
def acceptance_sweep(now: dt.datetime | None = None) -> int:
    """Idempotent: returns how many orders were accepted as deemed in this run."""
    accepted = 0
    for requisition in selectors.requisitions_to_sweep().iterator():
        after = requisition_deem_accepted(requisition=requisition, now=now)
        if (
            after.status == RequisitionStatus.ACCEPTED
            and after.acceptance_kind == AcceptanceKind.DEEMED
        ):
            accepted += 1
    return accepted
