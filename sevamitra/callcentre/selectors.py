"""Reads of the call centre: an agent's calls, the caller panel, today's figures.

An agent sees only their own calls, and a caller's bookings only while handling that caller's
call (the console shows nothing else); which bookings an agent may see at all is decided by
bookings.selectors / bookings.permissions.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from sevamitra.accounts.models import Address, User
from sevamitra.bookings.models import LIVE_STATUSES, Booking
from sevamitra.bookings.selectors import SCOPE_ALL, booking_get_for, booking_list_for
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.callcentre.permissions import agent_district_codes
from sevamitra.geo.localities import Locality, locality_search
from sevamitra.geo.models import District

PAST_BOOKINGS_SHOWN = 5
MAX_ID = 2**63 - 1


def call_get_for(*, agent: User, call_id: int) -> Call | None:
    """One of the agent's own calls, else None (another agent's call does not exist here)."""
    if not 0 < call_id <= MAX_ID:
        return None
    return (
        Call.objects.select_related("caller", "booking", "category")
        .filter(pk=call_id, agent=agent)
        .first()
    )


def call_open_of(*, agent: User) -> Call | None:
    """The agent's call still open, if any."""
    return Call.objects.select_related("caller").filter(agent=agent, outcome="").first()


@dataclass(frozen=True)
class CallerBookings:
    upcoming: list[Booking]  # live and not yet over, soonest first
    past: list[Booking]  # the latest few others, latest first


def caller_bookings(*, agent: User, caller: User, now: dt.datetime | None = None) -> CallerBookings:
    """The caller's bookings as the agent may see them (bookings.selectors, "all" scope: the
    agent role), split into upcoming and past. Two queries."""
    now = now or timezone.now()
    mine = booking_list_for(user=agent, scope=SCOPE_ALL).filter(customer=caller)
    upcoming = mine.filter(status__in=LIVE_STATUSES, ends_at__gt=now).order_by("starts_at", "pk")
    past = mine.exclude(pk__in=upcoming.values("pk")).order_by("-starts_at", "-pk")
    return CallerBookings(upcoming=list(upcoming), past=list(past[:PAST_BOOKINGS_SHOWN]))


def caller_booking_get(*, agent: User, call: Call, booking_id: int) -> Booking | None:
    """A booking of the call's caller that the agent may see, else None."""
    if call.caller_id is None:
        return None
    booking = booking_get_for(user=agent, booking_id=booking_id)
    if booking is None or booking.customer_id != call.caller_id:
        return None
    return booking


def caller_addresses(*, caller: User) -> list[Address]:
    return list(Address.objects.filter(user=caller).order_by("label", "pk"))


@dataclass(frozen=True)
class CallerSummary:
    """What the agent sees of a number before opening a call with it."""

    phone: str
    caller: User | None
    addresses: int
    upcoming: int


def caller_summary(*, agent: User, phone: str, now: dt.datetime | None = None) -> CallerSummary:
    now = now or timezone.now()
    caller = User.objects.filter(phone=phone).first()
    if caller is None:
        return CallerSummary(phone=phone, caller=None, addresses=0, upcoming=0)
    upcoming = (
        booking_list_for(user=agent, scope=SCOPE_ALL)
        .filter(customer=caller, status__in=LIVE_STATUSES, ends_at__gt=now)
        .count()
    )
    return CallerSummary(
        phone=phone,
        caller=caller,
        addresses=Address.objects.filter(user=caller).count(),
        upcoming=upcoming,
    )


@dataclass(frozen=True)
class DayFigures:
    """An agent's calls of one day. Conversion counts finished calls only: a call still
    going has no outcome yet."""

    calls: list[Call]
    finished: int
    booked: int
    open: int

    @property
    def conversion_percent(self) -> int | None:
        """Booked calls per 100 finished calls, rounded half up; None before any call ends."""
        if not self.finished:
            return None
        return (self.booked * 200 + self.finished) // (self.finished * 2)


def calls_today(*, agent: User, now: dt.datetime | None = None) -> DayFigures:
    """The agent's calls started today (India time), latest first, and the day's conversion:
    calls that became bookings over calls finished. Two queries."""
    local = timezone.localtime(now or timezone.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day = Call.objects.filter(
        agent=agent, started_at__gte=start, started_at__lt=start + dt.timedelta(days=1)
    )
    figures = day.aggregate(
        total=Count("pk"),
        booked=Count("pk", filter=Q(outcome=CallOutcome.BOOKED)),
        open=Count("pk", filter=Q(outcome="")),
    )
    calls = list(day.select_related("caller", "category").order_by("-started_at", "-pk"))
    return DayFigures(
        calls=calls,
        finished=figures["total"] - figures["open"],
        booked=figures["booked"],
        open=figures["open"],
    )


@dataclass(frozen=True)
class Place:
    """A locality (or bare pincode) the agent searches at."""

    pincode: str
    name: str = ""
    district: str = ""


def localities_for(*, agent: User, text: str, limit: int = 8) -> list[Locality]:
    """Localities matching a typed name, only in the agent's districts when limited."""
    districts = agent_district_codes(agent)
    if districts is not None and len(districts) == 1:
        return locality_search(text, limit=limit, district=next(iter(districts)))
    found = locality_search(text, limit=limit if districts is None else limit * 4)
    if districts is not None:
        found = [loc for loc in found if loc.district in districts]
    return found[:limit]


def district_names(codes: set[str]) -> dict[str, str]:
    """District code → name in the current language, for the codes that are districts."""
    if not codes:
        return {}
    return {d.code: d.name for d in District.objects.filter(code__in=codes)}
