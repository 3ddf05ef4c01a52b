"""The call-centre services: a call from opening to its outcome, booking for the caller."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Address, Role, User
from sevamitra.accounts.tests.factories import DistrictFactory, UserFactory, user_with_roles
from sevamitra.bookings.errors import SlotTaken
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.services import booking_create
from sevamitra.callcentre import services
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.callcentre.services import CallError
from sevamitra.catalog.models import Category
from sevamitra.core.errors import DomainError
from sevamitra.notifications.models import Message
from sevamitra.providers.tests.factories import ProviderFactory, district

from .conftest import GOMTI_NAGAR, at

pytestmark = pytest.mark.django_db


# --- opening a call ---------------------------------------------------------------------------


def test_opening_a_known_callers_number_starts_a_call_with_them(agent, caller):
    call = services.call_start(phone="+91 98111 12222", acting_user=agent)
    assert (call.agent, call.caller, call.phone, call.outcome) == (agent, caller, "9811112222", "")
    assert call.ended_at is None
    assert call.is_open


def test_an_unknown_number_opens_a_call_without_creating_anyone(agent):
    call = services.call_start(phone="9822223333", acting_user=agent)
    assert call.caller is None
    assert call.phone == "9822223333"
    assert not User.objects.filter(phone="9822223333").exists()


def test_opening_the_next_caller_closes_the_call_left_open(agent, caller):
    first = services.call_start(phone="9822223333", acting_user=agent)
    second = services.call_start(phone=caller.phone, acting_user=agent)
    first.refresh_from_db()
    assert first.outcome == CallOutcome.ENQUIRY
    assert first.ended_at is not None
    assert first.notes == "अगली कॉल खुलने पर अपने-आप बंद हुई।"  # in the agent's language
    assert second.is_open
    assert list(Call.objects.filter(agent=agent, outcome="")) == [second]


def test_a_call_left_open_after_changing_a_booking_closes_as_changed(agent, caller, plumber, day):
    placed = booking_create(
        offer=plumber,
        customer=caller,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="B-12",
        acting_user=caller,
    )
    call = services.call_start(phone=caller.phone, acting_user=agent)
    services.call_booking_cancel(
        call=call, booking=placed.booking, reason="Not needed", acting_user=agent
    )
    services.call_start(phone="9822223333", acting_user=agent)
    call.refresh_from_db()
    assert (call.outcome, call.booking) == (CallOutcome.CHANGED, placed.booking)


def test_opening_the_same_number_again_keeps_the_open_call(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    again = services.call_start(phone=caller.phone, acting_user=agent)
    assert again == call
    assert Call.objects.count() == 1


def test_each_agent_has_their_own_open_call(agent, other_agent, caller):
    mine = services.call_start(phone=caller.phone, acting_user=agent)
    theirs = services.call_start(phone=caller.phone, acting_user=other_agent)
    assert mine != theirs
    assert Call.objects.filter(outcome="").count() == 2


@pytest.mark.parametrize(
    "roles", [(), (Role.CITIZEN,), (Role.PROVIDER,), (Role.AUDITOR, Role.AGENT)]
)
def test_only_agents_open_calls(roles, caller):
    user = user_with_roles(*roles)
    with pytest.raises(NotPermitted):
        services.call_start(phone=caller.phone, acting_user=user)
    assert Call.objects.count() == 0


def test_a_bad_number_is_refused_with_a_field_error(agent):
    with pytest.raises(DomainError) as refused:
        services.call_start(phone="12345", acting_user=agent)
    assert (refused.value.code, refused.value.field) == ("invalid_phone", "phone")
    assert Call.objects.count() == 0


def test_the_database_keeps_one_open_call_per_agent(agent):
    Call.objects.create(agent=agent, phone="9822223333")
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(agent=agent, phone="9833334444")


def test_the_database_refuses_an_outcome_without_an_end(agent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(agent=agent, phone="9822223333", outcome=CallOutcome.ENQUIRY)


# --- registering an unknown caller ------------------------------------------------------------


@pytest.mark.parametrize("language", ["hi", "en"])
def test_an_unknown_caller_is_registered_as_a_citizen_in_their_language(agent, language):
    call = services.call_start(phone="9822223333", acting_user=agent)
    caller = services.call_register_caller(
        call=call, name=" Ramu Yadav ", language=language, acting_user=agent
    )
    call.refresh_from_db()
    assert call.caller == caller
    assert (caller.phone, caller.name, caller.preferred_language) == (
        "9822223333",
        "Ramu Yadav",
        language,
    )
    assert caller.role_grants.get().role == Role.CITIZEN


def test_a_known_caller_is_not_registered_again(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(CallError) as refused:
        services.call_register_caller(call=call, name="X", language="hi", acting_user=agent)
    assert refused.value.code == "caller_known"
    assert User.objects.filter(phone=caller.phone).count() == 1


def test_another_agents_call_cannot_be_used(agent, other_agent):
    call = services.call_start(phone="9822223333", acting_user=agent)
    with pytest.raises(NotPermitted):
        services.call_register_caller(call=call, name="X", language="hi", acting_user=other_agent)
    assert not User.objects.filter(phone="9822223333").exists()


# --- closing ----------------------------------------------------------------------------------


def test_closing_records_outcome_notes_service_and_pincode(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    plumbing = Category.objects.get(slug="plumber")
    services.call_close(
        call=call,
        outcome=CallOutcome.NO_PROVIDER,
        notes=" Wants Sunday morning ",
        category=plumbing,
        pincode=GOMTI_NAGAR,
        acting_user=agent,
    )
    call.refresh_from_db()
    assert (call.outcome, call.notes, call.category, call.pincode) == (
        "no_provider",
        "Wants Sunday morning",
        plumbing,
        GOMTI_NAGAR,
    )
    assert call.ended_at >= call.started_at


@pytest.mark.parametrize("outcome", ["booked", "", "lost"])
def test_booked_and_unknown_outcomes_cannot_be_set_by_hand(agent, caller, outcome):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(CallError) as refused:
        services.call_close(call=call, outcome=outcome, acting_user=agent)
    assert refused.value.field == "outcome"
    call.refresh_from_db()
    assert call.is_open


def test_a_closed_call_cannot_be_closed_again(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    services.call_close(call=call, outcome=CallOutcome.ENQUIRY, notes="first", acting_user=agent)
    with pytest.raises(CallError) as refused:
        services.call_close(call=call, outcome=CallOutcome.COMPLAINT, acting_user=agent)
    assert refused.value.code == "call_closed"
    call.refresh_from_db()
    assert (call.outcome, call.notes) == ("enquiry", "first")


def test_another_agent_cannot_close_my_call(agent, other_agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(NotPermitted):
        services.call_close(call=call, outcome=CallOutcome.ENQUIRY, acting_user=other_agent)
    call.refresh_from_db()
    assert call.is_open


# --- booking for the caller -------------------------------------------------------------------


def test_booking_for_the_caller_by_phone_closes_the_call_as_booked(
    agent, caller, home, plumber, day
):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    placed = services.call_book(
        call=call,
        offer=plumber,
        start=at(day, "10:00"),
        end=at(day, "12:00"),
        address=home,
        notes="Kitchen tap",
        acting_user=agent,
    )
    booking = placed.booking
    assert (booking.customer, booking.created_by, booking.channel, booking.kind) == (
        caller,
        agent,
        "phone",
        "visit",
    )
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.address == "B-12, Vipin Khand, Gomti Nagar, 226010"
    assert (booking.pincode, booking.lat, booking.lng) == (GOMTI_NAGAR, 26.852, 81.0)
    assert booking.total == Decimal("350.00")
    assert booking.notes == "Kitchen tap"
    call.refresh_from_db()
    assert (call.outcome, call.booking, call.category.slug, call.pincode) == (
        "booked",
        booking,
        "plumber",
        GOMTI_NAGAR,
    )
    # The caller's codes go by SMS, in the caller's language; the agent is sent nothing.
    codes = Message.objects.get(event="booking.codes")
    assert (codes.user, codes.to, codes.channel) == (caller, "+919811112222", "sms")
    assert "कोड" in codes.body
    assert not Message.objects.filter(user=agent).exists()


def test_booking_at_a_typed_address_uses_the_searched_pincode(agent, caller, plumber, day):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    placed = services.call_book(
        call=call,
        offer=plumber,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        address_text="House 4, Patrakarpuram",
        pincode=GOMTI_NAGAR,
        acting_user=agent,
    )
    assert (placed.booking.address, placed.booking.pincode, placed.booking.lat) == (
        "House 4, Patrakarpuram",
        GOMTI_NAGAR,
        None,
    )


def test_a_provider_who_accepts_by_hand_gets_a_request_and_no_codes_go_yet(
    agent, caller, home, day
):
    offer = ProviderFactory(auto_accept=False, offers=[("plumber", "300", "0")]).offers.get()
    call = services.call_start(phone=caller.phone, acting_user=agent)
    placed = services.call_book(
        call=call, offer=offer, start=at(day, "10:00"), end=at(day, "11:00"), address=home,
        acting_user=agent,
    )  # fmt: skip
    assert placed.booking.status == BookingStatus.REQUESTED
    assert placed.codes is None
    assert not Message.objects.filter(event="booking.codes").exists()
    assert Message.objects.filter(event="booking.requested", user=offer.provider.user).count() == 1


def test_hours_priced_services_are_booked_as_hours(agent, caller, home, day):
    from sevamitra.providers.tests.factories import police_document

    provider = ProviderFactory(auto_accept=True, offers=[("babysitter", "150", "0")])
    police_document(provider, timezone.localdate() + dt.timedelta(days=200))
    call = services.call_start(phone=caller.phone, acting_user=agent)
    placed = services.call_book(
        call=call, offer=provider.offers.get(), start=at(day, "16:00"), end=at(day, "19:00"),
        address=home, acting_user=agent,
    )  # fmt: skip
    assert (placed.booking.kind, placed.booking.total) == ("hours", Decimal("450.00"))


def test_a_monthly_service_is_not_booked_as_one_slot(agent, caller, home, day):
    offer = ProviderFactory(auto_accept=True, offers=[("gardener", "900", "0")]).offers.get()
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(CallError) as refused:
        services.call_book(
            call=call, offer=offer, start=at(day, "10:00"), end=at(day, "11:00"), address=home,
            acting_user=agent,
        )  # fmt: skip
    assert refused.value.code == "series_needed"
    assert Booking.objects.count() == 0
    call.refresh_from_db()
    assert call.is_open


def test_a_taken_slot_is_refused_and_the_call_stays_open(agent, caller, home, plumber, day):
    other = UserFactory()
    booking_create(
        offer=plumber, customer=other, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="x", acting_user=other,
    )  # fmt: skip
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(SlotTaken):
        services.call_book(
            call=call, offer=plumber, start=at(day, "10:30"), end=at(day, "11:30"), address=home,
            acting_user=agent,
        )  # fmt: skip
    call.refresh_from_db()
    assert (call.outcome, call.booking) == ("", None)
    assert Booking.objects.filter(customer=caller).count() == 0


def test_someone_elses_saved_address_cannot_be_used(agent, caller, plumber, day):
    stranger = UserFactory()
    theirs = Address.objects.create(user=stranger, label="Home", line="Secret", pincode="226001")
    call = services.call_start(phone=caller.phone, acting_user=agent)
    with pytest.raises(NotPermitted):
        services.call_book(
            call=call, offer=plumber, start=at(day, "10:00"), end=at(day, "11:00"),
            address=theirs, acting_user=agent,
        )  # fmt: skip
    assert Booking.objects.count() == 0


def test_an_unregistered_caller_cannot_be_booked_for(agent, plumber, day):
    call = services.call_start(phone="9822223333", acting_user=agent)
    with pytest.raises(CallError) as refused:
        services.call_book(
            call=call, offer=plumber, start=at(day, "10:00"), end=at(day, "11:00"),
            address_text="x", pincode=GOMTI_NAGAR, acting_user=agent,
        )  # fmt: skip
    assert refused.value.code == "caller_unknown"
    assert Booking.objects.count() == 0


def test_an_agent_of_another_district_cannot_book_here(caller, home, plumber, day):
    kanpur = user_with_roles(Role.AGENT, district=DistrictFactory(code="KANPUR NAGAR"))
    call = services.call_start(phone=caller.phone, acting_user=kanpur)
    with pytest.raises(CallError) as refused:
        services.call_book(
            call=call, offer=plumber, start=at(day, "10:00"), end=at(day, "11:00"), address=home,
            acting_user=kanpur,
        )  # fmt: skip
    assert refused.value.code == "district_not_served"
    assert Booking.objects.count() == 0


def test_an_agent_of_this_district_books_here(caller, home, plumber, day):
    lucknow_agent = user_with_roles(Role.AGENT, district=district("LUCKNOW"))
    call = services.call_start(phone=caller.phone, acting_user=lucknow_agent)
    placed = services.call_book(
        call=call, offer=plumber, start=at(day, "10:00"), end=at(day, "11:00"), address=home,
        acting_user=lucknow_agent,
    )  # fmt: skip
    assert placed.booking.channel == "phone"


# --- changing the caller's bookings -----------------------------------------------------------


@pytest.fixture
def callers_booking(caller, plumber, day):
    return booking_create(
        offer=plumber, customer=caller, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="B-12", acting_user=caller,
    ).booking  # fmt: skip


def test_cancelling_for_the_caller_charges_the_fee_by_the_terms(
    agent, caller, callers_booking, day
):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    late = at(day, "09:00")  # within 2 hours of the start: ₹100
    services.call_booking_cancel(
        call=call, booking=callers_booking, reason="Plans changed", acting_user=agent, now=late
    )
    callers_booking.refresh_from_db()
    assert (callers_booking.status, callers_booking.cancelled_by) == ("cancelled", "customer")
    assert callers_booking.cancellation_fee == Decimal("100.00")
    call.refresh_from_db()
    assert (call.booking, call.outcome) == (callers_booking, "")


def test_rescheduling_for_the_caller_moves_the_booking(agent, caller, callers_booking, day):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    services.call_booking_reschedule(
        call=call,
        booking=callers_booking,
        start=at(day, "15:00"),
        end=at(day, "16:00"),
        acting_user=agent,
    )
    callers_booking.refresh_from_db()
    assert timezone.localtime(callers_booking.starts_at).hour == 15
    call.refresh_from_db()
    assert call.booking == callers_booking


def test_another_customers_booking_cannot_be_changed_in_this_call(agent, plumber, callers_booking):
    somebody = UserFactory()
    call = services.call_start(phone=somebody.phone, acting_user=agent)
    with pytest.raises(NotPermitted):
        services.call_booking_cancel(
            call=call, booking=callers_booking, reason="x", acting_user=agent
        )
    callers_booking.refresh_from_db()
    assert callers_booking.status == "confirmed"


def test_codes_are_sent_again_by_sms_and_not_returned(agent, caller, callers_booking):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    before = Message.objects.filter(event="booking.codes", user=caller).count()
    assert services.call_codes_resend(call=call, booking=callers_booking, acting_user=agent) is None
    assert Message.objects.filter(event="booking.codes", user=caller).count() == before + 1
