"""Audit completeness of the call centre (audit/tests/test_completeness.py): each public
function of callcentre.services writes its audit entry (a Case calls it on real data)."""

from dataclasses import dataclass

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.bookings.models import Booking
from sevamitra.bookings.tests.audit_cases import book, offer, slot
from sevamitra.callcentre import services
from sevamitra.callcentre.models import Call

CALLER_PHONE = "9811112299"


@dataclass
class OnCall:
    agent: User
    call: Call
    booking: Booking | None = None


def _agent() -> User:
    return user_with_roles(Role.AGENT)


def _on_call(*, known: bool = True, with_booking: bool = False) -> OnCall:
    agent = _agent()
    caller = UserFactory(phone=CALLER_PHONE) if known else None
    call = services.call_start(phone=CALLER_PHONE, acting_user=agent)
    booking = None
    if with_booking:
        assert caller is not None
        booking = book(customer=caller).booking
    return OnCall(agent, call, booking)


def _booked_on_call(ctx: OnCall):  # type: ignore[no-untyped-def]
    start, end = slot()
    return services.call_book(
        call=ctx.call,
        offer=offer(),
        start=start,
        end=end,
        address_text="12, Hazratganj, Lucknow",
        pincode="226001",
        acting_user=ctx.agent,
    )


TABLE = CaseTable(
    modules=["sevamitra.callcentre.services"],
    cases={
        "call_start": Case(
            "call.started",
            lambda agent: services.call_start(phone=CALLER_PHONE, acting_user=agent),
            _agent,
        ),
        "call_register_caller": Case(
            "call.caller_registered",
            lambda ctx: services.call_register_caller(
                call=ctx.call, name="Asha", language="hi", acting_user=ctx.agent
            ),
            lambda: _on_call(known=False),
        ),
        "call_close": Case(
            "call.closed",
            lambda ctx: services.call_close(
                call=ctx.call, outcome="enquiry", notes="Asked about prices", acting_user=ctx.agent
            ),
            _on_call,
        ),
        "call_book": Case("call.closed", _booked_on_call, _on_call),
        "call_booking_cancel": Case(
            "call.updated",
            lambda ctx: services.call_booking_cancel(
                call=ctx.call, booking=ctx.booking, reason="Caller asked", acting_user=ctx.agent
            ),
            lambda: _on_call(with_booking=True),
        ),
        "call_booking_reschedule": Case(
            "call.updated",
            lambda ctx: services.call_booking_reschedule(
                call=ctx.call,
                booking=ctx.booking,
                start=slot("15:00")[0],
                end=slot("15:00")[1],
                acting_user=ctx.agent,
            ),
            lambda: _on_call(with_booking=True),
        ),
        "call_codes_resend": Case(
            "booking.codes_reissued",
            lambda ctx: services.call_codes_resend(
                call=ctx.call, booking=ctx.booking, acting_user=ctx.agent
            ),
            lambda: _on_call(with_booking=True),
        ),
    },
)
