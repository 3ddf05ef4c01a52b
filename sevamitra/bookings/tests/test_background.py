"""What the engine leaves for the worker: notifications in the outbox, and the answer
deadline of a request, run by `manage.py worker` like every other background job."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.tests.conftest import at
from sevamitra.notifications.backends import locmem
from sevamitra.notifications.models import Message
from sevamitra.providers.tests.factories import ProviderFactory
from sevamitra.tasks.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.clear()
    yield
    locmem.clear()


def book(offer, customer, day, **extra):
    return services.booking_create(
        offer=offer,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="12, Hazratganj",
        pincode="226001",
        acting_user=customer,
        **extra,
    )


def run_worker():
    call_command("worker", "--once", stdout=io.StringIO())


def test_a_confirmed_booking_queues_messages_delivered_by_the_worker(electrician, customer, day):
    placed = book(electrician, customer, day)
    events = sorted(Message.objects.values_list("event", flat=True))
    assert events == ["booking.codes", "booking.confirmed", "booking.confirmed"]
    run_worker()
    customer_texts = [d.body for d in locmem.outbox.values() if d.to == f"+91{customer.phone}"]
    assert any(placed.codes.start in body and placed.codes.end in body for body in customer_texts)
    provider_phone = f"+91{electrician.provider.user.phone}"
    # The provider never sees the customer's codes or number.
    for body in (d.body for d in locmem.outbox.values() if d.to == provider_phone):
        assert placed.codes.start not in body and customer.phone not in body
    assert {d.to for d in locmem.outbox.values()} == {f"+91{customer.phone}", provider_phone}
    assert len(locmem.outbox) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_messages_are_in_the_recipients_language(electrician, customer, day):
    customer.preferred_language = "en"
    customer.save()
    book(electrician, customer, day)
    to_customer = Message.objects.filter(to=f"+91{customer.phone}", event="booking.confirmed")
    to_provider = Message.objects.filter(to=f"+91{electrician.provider.user.phone}")
    assert to_customer.get().body.startswith("Booking ")
    assert "पक्की" in to_provider.first().body  # the provider reads Hindi


def test_a_failed_booking_leaves_no_message(electrician, customer, day):
    book(electrician, customer, day)
    before = Message.objects.count()
    from sevamitra.bookings.errors import SlotTaken

    with pytest.raises(SlotTaken):
        book(electrician, customer, day)
    assert Message.objects.count() == before


def test_the_worker_passes_on_an_unanswered_request_at_its_deadline(
    manual_electrician, customer, day
):
    other = ProviderFactory(auto_accept=True, offers=[("electrician", "260", "0")])
    now = timezone.now()
    booking = book(manual_electrician, customer, day, now=now).booking
    job = Job.objects.get(name="bookings.expire_request")
    assert job.run_after == booking.accept_deadline

    run_worker()  # not due yet
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED

    later = booking.accept_deadline + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        run_worker()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    successor = Booking.objects.get(replaces=booking)
    assert (successor.provider, successor.status) == (other, BookingStatus.CONFIRMED)
    assert Message.objects.filter(event="booking.passed_on").count() == 1
