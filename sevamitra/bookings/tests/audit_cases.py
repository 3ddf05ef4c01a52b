"""Audit completeness of the booking engine (audit/tests/test_completeness.py): each public
function of the write modules below either writes its audit entry (a Case calls it on real
data) or says why it writes none.

The table is keyed by function name: the API views booking_create (api.bookings),
series_create and series_cancel (api.series) share their names with the services they call,
and the case of the service stands for both (the view only parses the request and calls it).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.bookings import series, services, substitutes
from sevamitra.bookings.api import bookings as api_bookings
from sevamitra.bookings.models import Booking, CancelledBy
from sevamitra.bookings.services import Placed
from sevamitra.providers.models import Offer
from sevamitra.providers.tests.factories import ProviderFactory, local, next_weekday

_VIEW = "view: the change is recorded by "
_READ = "reads only"


# --- data -----------------------------------------------------------------------------------


def offer(*, auto: bool = True, slug: str = "electrician", price: str = "300") -> Offer:
    """A verified Sevamitra in Lucknow, on duty every day 08:00–20:00."""
    return ProviderFactory(
        auto_accept=auto,
        accept_within_minutes=30,
        cancellation_fee=Decimal("100"),
        free_cancellation_hours=2,
        offers=[(slug, price, "50")],
    ).offers.get()


def slot(hhmm: str = "10:00", *, after_days: int = 2) -> tuple[dt.datetime, dt.datetime]:
    start = local(next_weekday(0, after_days=after_days), hhmm)
    return start, start + dt.timedelta(hours=1)


def book(
    the_offer: Offer | None = None,
    customer: User | None = None,
    *,
    auto: bool = True,
    hhmm: str = "10:00",
    acting_user: User | None = None,
    channel: str = "web",
) -> Placed:
    the_offer = the_offer or offer(auto=auto)
    customer = customer or UserFactory()
    start, end = slot(hhmm)
    return services.booking_create(
        offer=the_offer,
        customer=customer,
        start=start,
        end=end,
        kind="visit",
        channel=channel,
        address="12, Hazratganj, Lucknow",
        pincode="226001",
        acting_user=acting_user or customer,
    )


def provider_user(booking: Booking) -> User:
    return booking.provider.user


def en_route(placed: Placed) -> Placed:
    services.booking_mark_en_route(
        booking=placed.booking, acting_user=provider_user(placed.booking)
    )
    return placed


def in_progress(placed: Placed) -> Placed:
    en_route(placed)
    assert placed.codes is not None
    services.booking_start(
        booking=placed.booking, code=placed.codes.start, acting_user=provider_user(placed.booking)
    )
    return placed


def completed(placed: Placed) -> Placed:
    in_progress(placed)
    assert placed.codes is not None
    services.booking_finish(
        booking=placed.booking, code=placed.codes.end, acting_user=provider_user(placed.booking)
    )
    placed.booking.refresh_from_db()
    return placed


@dataclass
class Held:
    offer: Offer
    customer: User
    start: dt.datetime
    end: dt.datetime


def held() -> Held:
    return Held(offer(), UserFactory(), *slot())


def requested_with_a_free_substitute() -> Booking:
    """A request to a Sevamitra who answers by hand, and another one free at the same time."""
    offer(auto=True)
    return book(auto=False).booking


def cancelled_by_provider_with_a_substitute() -> tuple[Booking, Offer]:
    placed = book()
    substitute = offer()
    booking = services.booking_cancel(
        booking=placed.booking,
        by=CancelledBy.PROVIDER,
        reason="Unwell",
        acting_user=provider_user(placed.booking),
    )
    return booking, substitute


def _series(ctx: Held):  # type: ignore[no-untyped-def]
    return series.series_create(
        offer=ctx.offer,
        customer=ctx.customer,
        kind="series",
        frequency="daily",
        starts_on=timezone.localdate(ctx.start),
        start_time=timezone.localtime(ctx.start).time(),
        end_time=timezone.localtime(ctx.end).time(),
        count=3,
        channel="web",
        address="12, Hazratganj, Lucknow",
        pincode="226001",
        acting_user=ctx.customer,
    )


def _leave(booking: Booking) -> list[Booking]:
    day = timezone.localdate(booking.starts_at)
    return substitutes.provider_leave_mark(
        provider=booking.provider,
        starts_on=day,
        ends_on=day,
        reason="Family wedding",
        acting_user=provider_user(booking),
    )


def _agent_and_new_phone() -> tuple[User, str]:
    return user_with_roles(Role.AGENT), "9123400077"


# --- the table ------------------------------------------------------------------------------

TABLE = CaseTable(
    modules=[
        "sevamitra.bookings.api.bookings",
        "sevamitra.bookings.api.series",
        "sevamitra.bookings.calendar",
        "sevamitra.bookings.series",
        "sevamitra.bookings.services",
        "sevamitra.bookings.substitutes",
        "sevamitra.bookings.web.book",
    ],
    cases={
        # services
        "booking_create": Case("booking.created", lambda _: book()),
        "booking_accept": Case(
            "booking.accepted",
            lambda b: services.booking_accept(booking=b, acting_user=provider_user(b)),
            lambda: book(auto=False).booking,
        ),
        "booking_decline": Case(
            "booking.declined",
            lambda b: services.booking_decline(
                booking=b, reason="Too far", acting_user=provider_user(b)
            ),
            requested_with_a_free_substitute,
        ),
        "booking_mark_en_route": Case(
            "booking.en_route",
            lambda b: services.booking_mark_en_route(booking=b, acting_user=provider_user(b)),
            lambda: book().booking,
        ),
        "booking_mark_arrived": Case(
            "booking.arrived",
            lambda p: services.booking_mark_arrived(
                booking=p.booking, acting_user=provider_user(p.booking)
            ),
            lambda: en_route(book()),
        ),
        "booking_start": Case(
            "booking.started",
            lambda p: services.booking_start(
                booking=p.booking, code=p.codes.start, acting_user=provider_user(p.booking)
            ),
            lambda: en_route(book()),
        ),
        "booking_finish": Case(
            "booking.completed",
            lambda p: services.booking_finish(
                booking=p.booking, code=p.codes.end, acting_user=provider_user(p.booking)
            ),
            lambda: in_progress(book()),
        ),
        "booking_codes_reissue": Case(
            "booking.codes_reissued",
            lambda b: services.booking_codes_reissue(booking=b, acting_user=b.customer),
            lambda: book().booking,
        ),
        "booking_cancel": Case(
            "booking.cancelled",
            lambda b: services.booking_cancel(
                booking=b, by=CancelledBy.CUSTOMER, reason="Plans changed", acting_user=b.customer
            ),
            lambda: book().booking,
        ),
        "booking_report_no_show": Case(
            "booking.no_show",
            lambda b: services.booking_report_no_show(
                booking=b, acting_user=b.customer, now=b.starts_at + dt.timedelta(hours=1)
            ),
            lambda: book().booking,
        ),
        "booking_report_customer_absent": Case(
            "booking.customer_absent",
            lambda b: services.booking_report_customer_absent(
                booking=b, acting_user=b.provider.user, now=b.starts_at + dt.timedelta(hours=1)
            ),
            lambda: book().booking,
        ),
        "booking_reschedule": Case(
            "booking.rescheduled",
            lambda b: services.booking_reschedule(
                booking=b, start=slot("14:00")[0], end=slot("14:00")[1], acting_user=b.customer
            ),
            lambda: book().booking,
        ),
        "payment_record": Case(
            "booking.payment_recorded",
            lambda b: services.payment_record(
                booking=b, method="cash", amount=b.total, acting_user=provider_user(b)
            ),
            lambda: completed(book()).booking,
        ),
        "rating_add": Case(
            "booking.rated",
            lambda b: services.rating_add(booking=b, stars=5, acting_user=b.customer),
            lambda: completed(book()).booking,
        ),
        # series
        "series_create": Case("series.created", _series, held),
        "series_cancel": Case(
            "series.cancelled",
            lambda s: series.series_cancel(series=s, reason="Moving house", acting_user=s.customer),
            lambda: _series(held())[0],
        ),
        # substitutes
        "pass_on": Case(
            "booking.created",
            lambda b: substitutes.pass_on(b, now=timezone.now()),
            requested_with_a_free_substitute,
        ),
        "provider_leave_mark": Case(
            "booking.cancelled", lambda b: _leave(b), lambda: book().booking
        ),
        "booking_substitute_accept": Case(
            "booking.created",
            lambda pair: substitutes.booking_substitute_accept(
                booking=pair[0], offer=pair[1], acting_user=pair[0].customer
            ),
            cancelled_by_provider_with_a_substitute,
        ),
        # the API: registering a caller on the phone
        "customer_for": Case(
            "user.created",
            lambda pair: api_bookings.customer_for(pair[0], pair[1]),
            _agent_and_new_phone,
        ),
    },
    exempt={
        "cancellation_fee_preview": _READ + " (what cancelling now would cost)",
        "occurrence_dates": "computes the dates of a rule; writes nothing",
        "substitutes_for": _READ + " (the free verified Sevamitras for a booking)",
        "check_bookable": _READ + " (why a slot cannot be had)",
        "free_alternatives": _READ + " (free slots near a taken one)",
        "hold_place": "a hold is a few minutes' reservation while a customer decides, placed "
        "by every visit to a booking page and expiring by itself; the booking it may become is "
        "audited (booking.created) — see hold_release's docstring",
        "hold_release": "gives a hold back early (see hold_place)",
        "calendar_take": "a step inside the caller's transaction: the calling service records "
        "the change (booking.created)",
        "calendar_move": "a step inside the caller's transaction: booking_reschedule records "
        "the change (booking.rescheduled)",
        "calendar_lock": "takes the calendar's row lock; changes nothing",
        # api.bookings
        "quote_create": _READ + " (a price)",
        "hold_create": "view of bookings.services.hold_place (holds are not audited: see there)",
        "hold_delete": "view of bookings.services.hold_release (holds are not audited)",
        "booking_list": _READ,
        "booking_detail": _READ,
        "booking_or_404": _READ,
        "offer_or_404": _READ,
        "channel_for": "decides the channel of a booking; writes nothing",
        # api.series
        "series_detail": _READ,
        # web.book
        "book": _VIEW + "bookings.services.hold_place / booking_create and "
        "bookings.series.series_create",
        "booked": _READ,
        "book_url": "builds a URL",
        "remember_codes": "keeps the codes shown once in the session (not domain state)",
        "take_codes": "takes the codes shown once out of the session (not domain state)",
    },
)
