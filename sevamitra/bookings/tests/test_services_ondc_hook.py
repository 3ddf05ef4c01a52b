"""Bookings made through ONDC tell the buyer app of every change: each event queues the ONDC
app's job by name (the engine imports no protocol code)."""

import pytest

from sevamitra.bookings.models import BookingEvent
from sevamitra.bookings.services import booking_accept, booking_create
from sevamitra.bookings.tests.conftest import at
from sevamitra.tasks.models import Job

pytestmark = pytest.mark.django_db


def place(offer, customer, start, end, channel):
    return booking_create(
        offer=offer,
        customer=customer,
        start=start,
        end=end,
        kind="visit",
        channel=channel,
        address="12, Gomti Nagar",
        acting_user=customer,
    ).booking


def test_each_event_of_an_ondc_booking_queues_one_job(manual_electrician, customer, day):
    booking = place(manual_electrician, customer, at(day, "10:00"), at(day, "12:00"), "ondc")
    booking_accept(booking=booking, acting_user=manual_electrician.provider.user)

    jobs = Job.objects.filter(name="ondc.booking_changed").order_by("pk")
    events = BookingEvent.objects.filter(booking=booking).order_by("pk")
    assert [j.payload for j in jobs] == [
        {"booking_id": booking.pk, "event_id": e.pk} for e in events
    ]
    assert [e.action for e in events][-1] == "accepted"


def test_other_channels_queue_nothing_for_ondc(manual_electrician, customer, day):
    place(manual_electrician, customer, at(day, "10:00"), at(day, "12:00"), "web")
    assert not Job.objects.filter(name="ondc.booking_changed").exists()


def test_an_ondc_request_declined_is_not_passed_to_another_provider(
    manual_electrician, customer, day
):
    from sevamitra.bookings.models import Booking
    from sevamitra.bookings.services import booking_decline
    from sevamitra.providers.tests.factories import ProviderFactory

    ProviderFactory(auto_accept=True, offers=[("electrician", "200", "0")])  # free, nearby
    booking = place(manual_electrician, customer, at(day, "10:00"), at(day, "12:00"), "ondc")
    assert (
        booking_decline(
            booking=booking, reason="busy", acting_user=manual_electrician.provider.user
        )
        is None
    )
    assert Booking.objects.count() == 1


def test_accepting_an_ondc_request_texts_no_codes(manual_electrician, customer, day):
    from sevamitra.notifications.models import Message

    booking = place(manual_electrician, customer, at(day, "10:00"), at(day, "12:00"), "ondc")
    booking_accept(booking=booking, acting_user=manual_electrician.provider.user)
    assert not Message.objects.filter(event="booking.codes").exists()
    web = place(manual_electrician, customer, at(day, "14:00"), at(day, "15:00"), "web")
    booking_accept(booking=web, acting_user=manual_electrician.provider.user)
    assert Message.objects.filter(event="booking.codes").count() == 1


def test_the_provider_says_they_have_arrived_only_when_on_the_way(
    manual_electrician, customer, day
):
    from sevamitra.bookings.errors import IllegalTransition
    from sevamitra.bookings.services import booking_mark_arrived, booking_mark_en_route

    provider = manual_electrician.provider.user
    booking = place(manual_electrician, customer, at(day, "10:00"), at(day, "12:00"), "web")
    booking_accept(booking=booking, acting_user=provider)
    with pytest.raises(IllegalTransition):
        booking_mark_arrived(booking=booking, acting_user=provider)
    booking_mark_en_route(booking=booking, acting_user=provider)
    booking_mark_arrived(booking=booking, acting_user=provider)
    booking.refresh_from_db()
    assert booking.status == "en_route"
    assert booking.events.filter(action="arrived").count() == 1
