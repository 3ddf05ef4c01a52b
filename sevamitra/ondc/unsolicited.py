"""Telling the buyer app, unasked, when a booking made through ONDC changes.

The booking engine does not know the ondc app: when a BookingEvent is recorded for a booking
of channel "ondc", bookings.services._record enqueues the job "ondc.booking_changed" by name
with the booking and event ids (in the same transaction as the change). This job builds the
callback and hands it to `outbox.callback_unsolicited`, which signs and sends it with retries:

  accepted          → on_status  Accepted, Pending, with the start OTP
  en_route          → on_status  In-progress, In-Transit, with the start OTP
  arrived           → on_status  In-progress, At-Location, with the start OTP (the engine has
                      no "at the door" step yet; the job is ready for one)
  started           → on_status  In-progress, At-Location (the OTP was used)
  completed         → on_status  Completed
  payment_recorded  → on_status  payment PAID
  rescheduled       → on_update  the new slot, re-priced
  cancelled (by the provider or the system), declined, request_expired, no_show
                    → on_cancel  cancelled by the merchant (PRODUCER), refund lines
  cancelled by the customer elsewhere (web, call centre) → on_cancel (CONSUMER)
  customer_absent (the provider found nobody) → on_cancel (CONSUMER, with the fee)

Idempotent: OndcTransaction.reported_event_id is the newest event the buyer app has been told
about (the answers to its own requests move it too), so a retried job, or the event of a
change the buyer app asked for itself, sends nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from sevamitra.audit.services import SYSTEM_ROLE
from sevamitra.bookings.models import BookingEvent
from sevamitra.ondc import flow
from sevamitra.ondc.models import OndcMessage, OndcTransaction, TransactionState
from sevamitra.tasks.registry import job

BOOKING_CHANGED = "ondc.booking_changed"

ON_STATUS_EVENTS = frozenset(
    {"accepted", "en_route", "arrived", "started", "completed", "payment_recorded"}
)
ON_CANCEL_EVENTS = frozenset(
    {"cancelled", "declined", "request_expired", "no_show", "customer_absent"}
)
ON_UPDATE_EVENTS = frozenset({"rescheduled"})
# The buyer app must hold the start OTP before the work starts (SRV11 on_status attributes).
OTP_EVENTS = frozenset({"accepted", "en_route", "arrived"})


def callback_for(
    txn: OndcTransaction, event: str, *, now: dt.datetime
) -> tuple[str, dict[str, Any]] | None:
    """(action, message) of the unsolicited callback for a booking event, or None."""
    if event in ON_STATUS_EVENTS:
        action = "on_status"
    elif event in ON_CANCEL_EVENTS:
        action = "on_cancel"
    elif event in ON_UPDATE_EVENTS:
        action = "on_update"
    else:  # created (answered by on_confirm), rated, codes_reissued, …
        return None
    return action, flow.order_message(txn, issue_otp=event in OTP_EVENTS, now=now)


def _send(*, action: str, transaction: OndcTransaction, message: dict[str, Any]) -> OndcMessage:
    from sevamitra.ondc.outbox import callback_unsolicited

    return callback_unsolicited(action=action, transaction=transaction, message=message)


@job(BOOKING_CHANGED)
def booking_changed(*, booking_id: int, event_id: int) -> None:
    """Send the buyer app the callback for one BookingEvent (see the module docstring)."""
    now = timezone.now()
    event = (
        BookingEvent.objects.filter(pk=event_id, booking_id=booking_id)
        .values_list("action", flat=True)
        .first()
    )
    if event is None:
        return
    with translation.override("en"), transaction.atomic():
        txn = (
            OndcTransaction.objects.select_for_update(of=("self",))
            .select_related("offer__category", "customer")
            .filter(booking_id=booking_id)
            .first()
        )
        if txn is None:
            return  # not an order of a buyer app (e.g. a request passed on to another provider)
        if event_id <= (txn.reported_event_id or 0):
            return
        built = callback_for(txn, event, now=now)
        if built is not None:
            action, message = built
            _send(action=action, transaction=txn, message=message)
        before = flow.audited(txn)
        if event in ON_CANCEL_EVENTS:
            txn.state = TransactionState.CANCELLED
        txn.reported_event_id = max(event_id, txn.reported_event_id or 0)
        txn.save()
        # The flow follows its booking (cancelled elsewhere): our job acts, not the buyer app.
        flow.audit_txn(txn, action="ondc_transaction.cancelled", before=before, role=SYSTEM_ROLE)
