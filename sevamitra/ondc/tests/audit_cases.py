"""Audit completeness of the ONDC seller node (audit/tests/test_completeness.py): each public
function of the flow and of the unsolicited callbacks either writes its audit entry (a Case
calls it on real data, through the handler as the transport's job does) or says why it
writes none. The bookings a flow makes are recorded by the booking engine; these entries are
the flow's own row (OndcTransaction), in the buyer app's capacity ("ondc:<bap_id>")."""

import datetime as dt

from django.utils import timezone

from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, BookingEvent, CancelledBy
from sevamitra.bookings.tests.audit_cases import offer, slot
from sevamitra.ondc import flow, unsolicited
from sevamitra.ondc.models import OndcTransaction
from sevamitra.ondc.tests.orders_fixtures import (
    confirm_message,
    ids,
    init_message,
    run,
    select_message,
)
from sevamitra.providers.models import Offer

Flow = tuple[Offer, dt.datetime, dt.datetime]


def _selected() -> tuple[Flow, str]:
    """A select answered; the flow and the quoted total."""
    the_offer = offer()
    start, end = slot()
    quote = run("select", select_message(the_offer, start, end))["order"]["quote"]
    return (the_offer, start, end), quote["price"]["value"]


def _initialized() -> tuple[Flow, str]:
    (the_offer, start, end), total = _selected()
    run("init", init_message(the_offer, start, end))
    return (the_offer, start, end), total


def _confirm(ctx: tuple[Flow, str]) -> Booking:
    (the_offer, start, end), total = ctx
    answer = run("confirm", confirm_message(the_offer, start, end, total=total))
    return Booking.objects.get(pk=int(answer["order"]["id"]))


def _booked() -> OndcTransaction:
    booking = _confirm(_initialized())
    return OndcTransaction.objects.get(booking=booking)


def _finished() -> OndcTransaction:
    """A booked visit done: started and finished with the customer's codes (re-issued here,
    as the customer could)."""
    txn = _booked()
    booking = txn.booking
    assert booking is not None
    codes = bookings.booking_codes_reissue(booking=booking, acting_user=booking.customer)
    worker = booking.provider.user
    bookings.booking_start(booking=booking, code=codes.start, acting_user=worker)
    bookings.booking_finish(booking=booking, code=codes.end, acting_user=worker)
    return txn


def _cancelled_by_the_provider() -> Booking:
    """A booked visit the Sevamitra cancelled on our side: the buyer app is not told yet."""
    booking = _booked().booking
    assert booking is not None
    return bookings.booking_cancel(
        booking=booking,
        by=CancelledBy.PROVIDER,
        reason="Unwell",
        acting_user=booking.provider.user,
    )


def _run_changed_job(booking: Booking) -> None:
    event = BookingEvent.objects.filter(booking=booking).latest("pk")
    unsolicited.booking_changed(booking_id=booking.pk, event_id=event.pk)


def _rating(txn: OndcTransaction) -> dict:
    provider_id, _item = ids(txn.offer)
    return {"ratings": [{"rating_category": "Provider", "id": provider_id, "value": "4"}]}


TABLE = CaseTable(
    modules=[
        "sevamitra.ondc.flow.changes",
        "sevamitra.ondc.flow.placing",
        "sevamitra.ondc.unsolicited",
    ],
    cases={
        "transaction_select": Case(
            "ondc_transaction.selected",
            lambda _: run("select", select_message(offer(), *slot())),
        ),
        "transaction_init": Case(
            "ondc_transaction.initialized",
            lambda ctx: run("init", init_message(*ctx[0])),
            _selected,
        ),
        "transaction_confirm": Case("ondc_transaction.confirmed", _confirm, _initialized),
        "order_reschedule": Case(
            "ondc_transaction.rescheduled",
            lambda txn: flow.order_reschedule(
                txn=txn, start=slot("15:00")[0], end=slot("15:00")[1], now=timezone.now()
            ),
            _booked,
        ),
        "order_cancel": Case(
            "ondc_transaction.cancelled",
            lambda txn: flow.order_cancel(
                txn=txn, reason_code="001", reason_text="", now=timezone.now()
            ),
            _booked,
        ),
        # The flow's row does not change; the rating is the booking engine's entry.
        "order_rate": Case(
            "booking.rated", lambda txn: flow.order_rate(txn=txn, stars=4), _finished
        ),
        "booking_changed": Case(
            "ondc_transaction.cancelled", _run_changed_job, _cancelled_by_the_provider
        ),
    },
    exempt={
        "confirm_precheck": "reads only (the synchronous NACK of a confirm before init)",
        "hold_minutes": "reads a setting",
        "callback_for": "builds an unsolicited callback's message; writes nothing (the job "
        "booking_changed queues it and records the flow's cancellation)",
    },
)
