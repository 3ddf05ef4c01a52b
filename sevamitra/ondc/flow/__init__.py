"""Writes of an ONDC buyer app's flow, on the same calendar and rules as every other channel.

select → `transaction_select` (quote, slot check), init → `transaction_init` (a hold on the
calendar, the customer found or registered by phone), confirm → `transaction_confirm` (an
ordinary booking, channel "ondc"), then `order_reschedule`, `order_cancel`, `order_rate`.
Every business rule stays in the booking engine (bookings.services / selectors / calendar);
this module maps the engine's refusals to the network's error codes and remembers, on the
OndcTransaction, what the network needs. Each function runs in one transaction and is safe to
run twice for the same request (the job calling it may be retried).

Package layout: `base` (the OndcTransaction row, shared refusals), `checks` (slot, calendar,
place, finder fee), `placing` (select, init, confirm), `changes` (reschedule, cancel, rate),
`reading` (the order object and the start OTP for the buyer app).
"""

from sevamitra.ondc.flow.base import Ident, audit_txn, audited, transaction_for_order
from sevamitra.ondc.flow.changes import order_cancel, order_rate, order_reschedule
from sevamitra.ondc.flow.checks import finder_fee_checked, no_slot_refusal
from sevamitra.ondc.flow.placing import (
    Confirmed,
    confirm_precheck,
    hold_minutes,
    transaction_confirm,
    transaction_init,
    transaction_select,
)
from sevamitra.ondc.flow.reading import cart_of, order_message, otp_authorization, progress_of

__all__ = [
    "Confirmed",
    "Ident",
    "audit_txn",
    "audited",
    "cart_of",
    "confirm_precheck",
    "finder_fee_checked",
    "hold_minutes",
    "no_slot_refusal",
    "order_cancel",
    "order_message",
    "order_rate",
    "order_reschedule",
    "otp_authorization",
    "progress_of",
    "transaction_confirm",
    "transaction_for_order",
    "transaction_init",
    "transaction_select",
]
