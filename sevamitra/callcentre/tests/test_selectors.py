"""Reads of the call centre: today's calls and conversion, the caller's bookings."""

import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings.services import booking_cancel, booking_create
from sevamitra.callcentre import selectors
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.callcentre.selectors import DayFigures
from sevamitra.providers.tests.factories import local

from .conftest import at

pytestmark = pytest.mark.django_db


def _call(agent, when, outcome="", booking=None):
    return Call.objects.create(
        agent=agent,
        phone="9811112222",
        started_at=when,
        outcome=outcome,
        ended_at=when + dt.timedelta(minutes=3) if outcome else None,
        booking=booking,
    )


@pytest.fixture
def booking(caller, plumber, day):
    return booking_create(
        offer=plumber, customer=caller, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="phone", address="B-12", acting_user=caller,
    ).booking  # fmt: skip


def test_today_counts_only_this_agents_calls_of_today_in_india(agent, other_agent, booking):
    today = timezone.localdate()
    now = local(today, "18:00")
    _call(agent, local(today, "00:05"), CallOutcome.BOOKED, booking)
    _call(agent, local(today, "09:00"), CallOutcome.BOOKED, booking)
    _call(agent, local(today, "10:00"), CallOutcome.NO_PROVIDER)
    _call(agent, local(today, "11:00"), CallOutcome.ENQUIRY)
    _call(agent, local(today, "12:00"), CallOutcome.COMPLAINT)
    _call(agent, local(today, "17:50"))  # still going
    _call(agent, local(today, "00:00") - dt.timedelta(minutes=1), CallOutcome.BOOKED, booking)
    _call(other_agent, local(today, "10:30"), CallOutcome.BOOKED, booking)

    figures = selectors.calls_today(agent=agent, now=now)

    assert (figures.finished, figures.booked, figures.open) == (5, 2, 1)
    assert figures.conversion_percent == 40
    assert [timezone.localtime(c.started_at).strftime("%H:%M") for c in figures.calls] == [
        "17:50",
        "12:00",
        "11:00",
        "10:00",
        "09:00",
        "00:05",
    ]


@pytest.mark.parametrize(
    ("booked", "finished", "percent"),
    [(0, 0, None), (0, 3, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 200, 1), (3, 3, 100)],
)
def test_conversion_is_a_whole_percent_rounded_half_up(booked, finished, percent):
    figures = DayFigures(calls=[], finished=finished, booked=booked, open=0)
    assert figures.conversion_percent == percent


def test_a_day_without_calls(agent):
    figures = selectors.calls_today(agent=agent)
    assert (figures.calls, figures.finished, figures.booked, figures.conversion_percent) == (
        [],
        0,
        0,
        None,
    )


def test_caller_bookings_split_upcoming_from_past(agent, caller, plumber, day):
    def book(start, end):
        return booking_create(
            offer=plumber, customer=caller, start=at(day, start), end=at(day, end),
            kind="visit", channel="web", address="B-12", acting_user=caller,
        ).booking  # fmt: skip

    late, early, cancelled = book("15:00", "16:00"), book("10:00", "11:00"), book("12:00", "13:00")
    booking_cancel(booking=cancelled, by="customer", reason="x", acting_user=caller)
    someone_else = UserFactory()
    booking_create(
        offer=plumber, customer=someone_else, start=at(day, "17:00"), end=at(day, "18:00"),
        kind="visit", channel="web", address="x", acting_user=someone_else,
    )  # fmt: skip

    seen = selectors.caller_bookings(agent=agent, caller=caller)
    assert seen.upcoming == [early, late]
    assert seen.past == [cancelled]

    # After the day, everything is past, latest first.
    after = selectors.caller_bookings(agent=agent, caller=caller, now=at(day, "23:00"))
    assert after.upcoming == []
    assert after.past == [late, cancelled, early]


def test_a_call_sees_only_its_callers_bookings(agent, caller, plumber, day):
    theirs = booking_create(
        offer=plumber, customer=caller, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="x", acting_user=caller,
    ).booking  # fmt: skip
    mine = Call.objects.create(agent=agent, phone=caller.phone, caller=caller)
    assert selectors.caller_booking_get(agent=agent, call=mine, booking_id=theirs.pk) == theirs
    stranger = UserFactory()
    Call.objects.filter(pk=mine.pk).update(outcome="enquiry", ended_at=timezone.now())
    other = Call.objects.create(agent=agent, phone=stranger.phone, caller=stranger)
    assert selectors.caller_booking_get(agent=agent, call=other, booking_id=theirs.pk) is None
    unknown = Call(agent=agent, phone="9822223333")
    assert selectors.caller_booking_get(agent=agent, call=unknown, booking_id=theirs.pk) is None


def test_an_agent_opens_only_their_own_calls(agent, other_agent):
    call = _call(agent, timezone.now())
    assert selectors.call_get_for(agent=agent, call_id=call.pk) == call
    assert selectors.call_get_for(agent=other_agent, call_id=call.pk) is None
    assert selectors.call_get_for(agent=agent, call_id=2**63) is None


def test_localities_of_a_district_agent_stay_in_their_district(caller):
    from sevamitra.accounts.models import Role
    from sevamitra.accounts.tests.factories import user_with_roles
    from sevamitra.providers.tests.factories import district

    lucknow = user_with_roles(Role.AGENT, district=district("LUCKNOW"))
    everywhere = user_with_roles(Role.AGENT)
    assert {loc.district for loc in selectors.localities_for(agent=lucknow, text="Aliganj")} == {
        "LUCKNOW"
    }
    assert "ETAH" in {
        loc.district for loc in selectors.localities_for(agent=everywhere, text="Aliganj")
    }
