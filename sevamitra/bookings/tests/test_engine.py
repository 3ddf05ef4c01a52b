"""The booking engine: kinds, calendar, holds, life cycle, codes, money, ratings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services
from sevamitra.bookings.errors import (
    HoldInvalid,
    IllegalTransition,
    NotBookable,
    OnLeave,
    OutsideHours,
    PaymentMismatch,
    SlotTaken,
    TooManyTries,
    WrongCode,
)
from sevamitra.bookings.models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingEvent,
    BookingStatus,
    CancelledBy,
)
from sevamitra.bookings.tests.conftest import at
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.notifications.models import Message
from sevamitra.providers.models import CalendarBlock, Leave, Provider, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
S = BookingStatus


def book(offer, customer, day, start="10:00", end="11:00", **extra):
    kwargs = {
        "offer": offer,
        "customer": customer,
        "start": at(day, start),
        "end": at(day, end),
        "kind": "visit",
        "channel": "web",
        "address": "12, Hazratganj, Lucknow",
        "pincode": "226001",
        "acting_user": customer,
    }
    kwargs.update(extra)
    return services.booking_create(**kwargs)


def started(placed):
    booking = placed.booking
    provider_user = booking.provider.user
    services.booking_mark_en_route(booking=booking, acting_user=provider_user)
    return services.booking_start(
        booking=booking, code=placed.codes.start, acting_user=provider_user
    )


def completed(placed):
    booking = started(placed)
    return services.booking_finish(
        booking=booking, code=placed.codes.end, acting_user=booking.provider.user
    )


# --- creating bookings ----------------------------------------------------------------------


def test_auto_accepting_provider_confirms_at_once(electrician, customer, day):
    placed = book(electrician, customer, day)
    booking = placed.booking
    assert booking.status == S.CONFIRMED
    assert booking.total == Decimal("350.00")
    assert [line["code"] for line in booking.quote["lines"]] == ["service", "visiting_charge"]
    assert booking.terms == {
        "free_cancellation_hours": 2,
        "cancellation_fee": "100.00",
        "included": "",
    }
    assert booking.block.starts_at == at(day, "10:00")
    assert booking.block.busy_until == at(day, "11:30")  # 30 minutes to travel on
    assert len(placed.codes.start) == 4 and placed.codes.start.isdigit()
    assert placed.codes.start not in booking.start_code_hash
    assert list(booking.events.values_list("action", "to_status")) == [("created", "confirmed")]


def test_gst_registered_provider_adds_cgst_and_sgst(electrician, customer, day):
    Provider.objects.filter(pk=electrician.provider_id).update(gstin="09ABCDE1234F1Z5")
    electrician.refresh_from_db()
    booking = book(electrician, customer, day).booking
    lines = {line["code"]: line["amount"] for line in booking.quote["lines"]}
    assert lines == {
        "service": "300.00",
        "visiting_charge": "50.00",
        "cgst": "31.50",
        "sgst": "31.50",
    }
    assert booking.total == Decimal("413.00")


def test_manual_provider_gets_a_request_with_a_deadline(manual_electrician, customer, day):
    now = timezone.now()
    placed = book(manual_electrician, customer, day, now=now)
    booking = placed.booking
    assert (booking.status, placed.codes) == (S.REQUESTED, None)
    assert booking.accept_deadline == now + dt.timedelta(minutes=30)
    accepted = services.booking_accept(
        booking=booking, acting_user=manual_electrician.provider.user
    )
    assert accepted.booking.status == S.CONFIRMED
    assert len(accepted.codes.end) == 4


def test_a_request_not_answered_in_time_goes_to_the_next_provider(
    manual_electrician, customer, day
):
    other = ProviderFactory(auto_accept=True, offers=[("electrician", "280", "0")])
    now = timezone.now()
    booking = book(manual_electrician, customer, day, now=now).booking
    later = now + dt.timedelta(minutes=31)

    successor = services.booking_decline(
        booking=booking, reason="timeout", acting_user=None, now=later
    )

    booking.refresh_from_db()
    assert booking.status == S.DECLINED
    assert booking.block is None
    assert successor.provider == other and successor.status == S.CONFIRMED
    assert successor.replaces == booking
    # Running the job again changes nothing.
    assert (
        services.booking_decline(booking=booking, reason="timeout", acting_user=None, now=later)
        is None
    )


def test_the_deadline_job_does_nothing_before_the_deadline(manual_electrician, customer, day):
    now = timezone.now()
    booking = book(manual_electrician, customer, day, now=now).booking
    assert (
        services.booking_decline(
            booking=booking, reason="timeout", acting_user=None, now=now + dt.timedelta(minutes=5)
        )
        is None
    )
    booking.refresh_from_db()
    assert booking.status == S.REQUESTED


@pytest.mark.parametrize("kind", ["visit", "hours", "event"])
def test_single_booking_kinds(babysitter, customer, day, kind):
    booking = book(babysitter, customer, day, "18:00", "20:00", kind=kind).booking
    assert booking.kind == kind
    assert booking.total == Decimal("300.00")  # ₹150 an hour × 2


# --- one calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "free"),
    [
        ("10:30", "11:30", False),
        ("11:00", "12:00", False),
        ("11:29", "12:00", False),
        ("11:30", "12:30", True),
        ("08:00", "09:30", True),
        ("08:00", "09:31", False),
    ],
)
def test_never_booked_twice_with_travel_buffer(electrician, customer, day, start, end, free):
    book(electrician, customer, day, "10:00", "11:00")
    other = UserFactory()
    if free:
        assert book(electrician, other, day, start, end).booking.status == S.CONFIRMED
    else:
        with pytest.raises(SlotTaken) as error:
            book(electrician, other, day, start, end)
        assert error.value.status == 409
        assert Booking.objects.filter(customer=other).count() == 0


def test_slot_taken_offers_three_nearest_free_alternatives(electrician, customer, day):
    book(electrician, customer, day, "10:00", "11:00")
    with pytest.raises(SlotTaken) as error:
        book(electrician, UserFactory(), day, "10:00", "11:00")
    starts = [alt["start"][11:16] for alt in error.value.extra["alternatives"]]
    assert starts == ["08:00", "08:30", "11:30"]


def test_the_database_refuses_an_overlapping_block(electrician, day):
    from django.db import IntegrityError, transaction

    provider = electrician.provider
    CalendarBlock.objects.create(
        provider=provider,
        kind="booking",
        starts_at=at(day, "10:00"),
        ends_at=at(day, "11:00"),
        busy_from=at(day, "09:30"),
        busy_until=at(day, "11:30"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarBlock.objects.create(
            provider=provider,
            kind="booking",
            starts_at=at(day, "11:00"),
            ends_at=at(day, "12:00"),
            busy_from=at(day, "10:30"),
            busy_until=at(day, "12:30"),
        )


@pytest.mark.parametrize(
    ("change", "error"),
    [("outside", OutsideHours), ("leave", OnLeave), ("suspended", NotBookable)],
)
def test_refusals_before_the_calendar(electrician, customer, day, change, error):
    provider = electrician.provider
    start, end = "10:00", "11:00"
    if change == "outside":
        start, end = "19:30", "20:30"
    elif change == "leave":
        Leave.objects.create(provider=provider, starts_on=day, ends_on=day)
    else:
        Provider.objects.filter(pk=provider.pk).update(
            verification_status=VerificationStatus.SUSPENDED
        )
        electrician.provider.refresh_from_db()
    with pytest.raises(error):
        book(electrician, customer, day, start, end)
    assert not Booking.objects.exists()


def test_police_verification_lapsed_for_a_babysitter(babysitter, customer, day):
    babysitter.provider.documents.update(expires_on=day - dt.timedelta(days=1))
    with pytest.raises(NotBookable) as error:
        book(babysitter, customer, day, "18:00", "20:00")
    assert error.value.code == "police_verification_lapsed"


@pytest.mark.parametrize(("start", "code"), [(-1, "slot_in_past"), (91, "slot_too_far")])
def test_times_out_of_range(electrician, customer, start, code):
    day = timezone.localdate() + dt.timedelta(days=start)
    with pytest.raises(DomainError) as error:
        book(electrician, customer, day)
    assert error.value.code == code


# --- holds ----------------------------------------------------------------------------------


def test_a_hold_blocks_others_and_becomes_the_booking(electrician, customer, day):
    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        acting_user=customer,
    )
    with pytest.raises(SlotTaken):
        book(electrician, UserFactory(), day)
    booking = book(electrician, customer, day, hold=hold).booking
    assert booking.block_id == hold.pk
    hold.refresh_from_db()
    assert (hold.kind, hold.expires_at) == ("booking", None)


def test_an_expired_hold_frees_the_slot_without_any_job(electrician, customer, day, settings):
    now = timezone.now()
    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        acting_user=customer,
        now=now,
    )
    assert hold.expires_at == now + dt.timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    later = now + dt.timedelta(minutes=settings.BOOKING_HOLD_MINUTES, seconds=1)
    other = UserFactory()
    assert book(electrician, other, day, now=later).booking.customer == other
    with pytest.raises(HoldInvalid):
        book(electrician, customer, day, hold=hold, now=later)


def test_someone_elses_hold_cannot_be_used(electrician, customer, day):
    hold = services.hold_place(
        offer=electrician,
        customer=customer,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        acting_user=customer,
    )
    with pytest.raises(HoldInvalid):
        book(electrician, UserFactory(), day, hold=hold)


# --- life cycle -----------------------------------------------------------------------------


@pytest.mark.parametrize("current", S.values)
@pytest.mark.parametrize("target", S.values)
def test_transition_table(customer, electrician, day, current, target):
    booking = book(electrician, customer, day).booking
    Booking.objects.filter(pk=booking.pk).update(status=current, cancelled_by="system")
    booking.refresh_from_db()
    if target in BOOKING_TRANSITIONS[current]:
        services._move(booking, target, actor=customer, action="test")
        booking.refresh_from_db()
        assert booking.status == target
    else:
        with pytest.raises(IllegalTransition):
            services._move(booking, target, actor=customer, action="test")
        booking.refresh_from_db()
        assert booking.status == current


def test_start_and_end_with_the_customers_codes(electrician, customer, day):
    placed = book(electrician, customer, day)
    booking = completed(placed)
    assert booking.status == S.COMPLETED
    assert list(
        BookingEvent.objects.filter(booking=booking).values_list("to_status", flat=True)
    ) == ["confirmed", "en_route", "in_progress", "completed"]


def test_wrong_codes_count_down_then_lock(electrician, customer, day, settings):
    placed = book(electrician, customer, day)
    booking, provider_user = placed.booking, placed.booking.provider.user
    wrong = "0000" if placed.codes.start != "0000" else "1111"
    for left in range(settings.BOOKING_CODE_MAX_ATTEMPTS - 1, -1, -1):
        with pytest.raises(WrongCode) as error:
            services.booking_start(booking=booking, code=wrong, acting_user=provider_user)
        assert f"{left} " in str(error.value)
    with pytest.raises(TooManyTries):
        services.booking_start(booking=booking, code=placed.codes.start, acting_user=provider_user)
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    codes = services.booking_codes_reissue(booking=booking, acting_user=customer)
    assert (
        services.booking_start(booking=booking, code=codes.start, acting_user=provider_user).status
        == S.IN_PROGRESS
    )


def test_only_the_provider_starts_the_work(electrician, customer, day):
    placed = book(electrician, customer, day)
    with pytest.raises(PermissionDenied):
        services.booking_start(
            booking=placed.booking, code=placed.codes.start, acting_user=customer
        )


@pytest.mark.parametrize(("hours_before", "fee"), [(3, "0.00"), (2, "0.00"), (1, "100.00")])
def test_customer_cancellation_fee_follows_terms_at_booking(
    electrician, customer, day, hours_before, fee
):
    booking = book(electrician, customer, day).booking
    # The provider raises the fee later: the booking keeps the terms it was made with.
    Provider.objects.filter(pk=electrician.provider_id).update(cancellation_fee=500)
    when = at(day, "10:00") - dt.timedelta(hours=hours_before)
    assert services.cancellation_fee_preview(booking=booking, now=when) == Decimal(fee)
    services.booking_cancel(
        booking=booking,
        by=CancelledBy.CUSTOMER,
        reason="plans changed",
        acting_user=customer,
        now=when,
    )
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_fee) == (S.CANCELLED, Decimal(fee))
    assert booking.block is None
    assert book(electrician, UserFactory(), day).booking.status == S.CONFIRMED  # slot freed


def test_provider_cancellation_costs_the_customer_nothing_and_counts(electrician, customer, day):
    booking = book(electrician, customer, day).booking
    services.booking_cancel(
        booking=booking,
        by=CancelledBy.PROVIDER,
        reason="ill",
        acting_user=electrician.provider.user,
        now=at(day, "09:30"),
    )
    booking.refresh_from_db()
    assert booking.cancellation_fee == Decimal("0.00")
    assert Provider.objects.get(pk=electrician.provider_id).cancelled_by_provider_count == 1


def test_cancellation_needs_a_reason(electrician, customer, day):
    booking = book(electrician, customer, day).booking
    with pytest.raises(DomainError) as error:
        services.booking_cancel(
            booking=booking, by=CancelledBy.CUSTOMER, reason=" ", acting_user=customer
        )
    assert error.value.code == "reason_required"
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_no_show_counts_against_the_provider(electrician, customer, day, settings):
    booking = book(electrician, customer, day).booking
    with pytest.raises(DomainError):
        services.booking_report_no_show(booking=booking, acting_user=customer, now=at(day, "10:10"))
    services.booking_report_no_show(booking=booking, acting_user=customer, now=at(day, "10:31"))
    booking.refresh_from_db()
    assert booking.status == S.NO_SHOW
    assert Provider.objects.get(pk=electrician.provider_id).no_show_count == 1


def test_customer_absent_is_the_customers_no_show(electrician, customer, day, settings):
    """The provider came and found nobody: cancelled on the customer's side with the late fee of
    the provider's terms (₹100), the calendar freed, nothing counted against the provider."""
    booking = book(electrician, customer, day).booking
    provider_user = booking.provider.user
    with pytest.raises(DomainError) as early:
        services.booking_report_customer_absent(
            booking=booking, acting_user=provider_user, now=at(day, "10:29")
        )
    assert early.value.code == "too_early"
    with pytest.raises(DomainError) as not_theirs:  # the customer cannot report themselves
        services.booking_report_customer_absent(
            booking=booking, acting_user=customer, now=at(day, "10:31")
        )
    assert not_theirs.value.code != "too_early"
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    services.booking_report_customer_absent(
        booking=booking, acting_user=provider_user, now=at(day, "10:31")
    )
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancellation_fee) == (
        S.CANCELLED,
        CancelledBy.CUSTOMER,
        Decimal("100.00"),
    )
    assert booking.events.filter(action="customer_absent").count() == 1
    assert booking.block_id is None
    [text] = Message.objects.filter(
        event="booking.customer_absent", reference=f"booking:{booking.pk}"
    )
    assert text.user_id == customer.pk and "₹100.00" in text.body
    provider = Provider.objects.get(pk=electrician.provider_id)
    assert (provider.no_show_count, provider.cancelled_by_provider_count) == (0, 0)
    with pytest.raises(DomainError):  # only once
        services.booking_report_customer_absent(
            booking=booking, acting_user=provider_user, now=at(day, "10:40")
        )


def test_reschedule_moves_the_block_and_reprices(babysitter, customer, day):
    booking = book(babysitter, customer, day, "18:00", "19:00").booking
    services.booking_reschedule(
        booking=booking, start=at(day, "16:00"), end=at(day, "19:00"), acting_user=customer
    )
    booking.refresh_from_db()
    assert (booking.block.starts_at, booking.total) == (at(day, "16:00"), Decimal("450.00"))


def test_reschedule_onto_taken_time_keeps_the_booking(electrician, customer, day):
    first = book(electrician, customer, day, "10:00", "11:00").booking
    book(electrician, UserFactory(), day, "14:00", "15:00")
    with pytest.raises(SlotTaken):
        services.booking_reschedule(
            booking=first, start=at(day, "14:30"), end=at(day, "15:30"), acting_user=customer
        )
    first.refresh_from_db()
    assert first.block.starts_at == at(day, "10:00")
    assert first.starts_at == at(day, "10:00")


# --- money and ratings ----------------------------------------------------------------------


def test_payment_must_match_the_amount_due(electrician, customer, day):
    placed = book(electrician, customer, day)
    with pytest.raises(IllegalTransition):
        services.payment_record(
            booking=placed.booking, method="cash", amount=Decimal("350"), acting_user=customer
        )
    booking = completed(placed)
    with pytest.raises(PaymentMismatch):
        services.payment_record(
            booking=booking, method="upi", amount=Decimal("349.99"), acting_user=customer
        )
    payment = services.payment_record(
        booking=booking,
        method="upi",
        amount=Decimal("350"),
        reference="UPI123",
        acting_user=customer,
    )
    assert (payment.amount, payment.method) == (Decimal("350.00"), "upi")
    with pytest.raises(DomainError):
        services.payment_record(
            booking=booking, method="cash", amount=Decimal("350"), acting_user=customer
        )


def test_ratings_both_ways_after_completion(electrician, customer, day):
    placed = book(electrician, customer, day)
    with pytest.raises(IllegalTransition):
        services.rating_add(booking=placed.booking, stars=5, acting_user=customer)
    booking = completed(placed)
    provider = Provider.objects.get(pk=electrician.provider_id)
    before = (provider.rating_sum, provider.rating_count)
    services.rating_add(booking=booking, stars=3, text="ठीक", acting_user=customer)
    services.rating_add(booking=booking, stars=5, acting_user=booking.provider.user)
    provider.refresh_from_db()
    assert (provider.rating_sum, provider.rating_count) == (before[0] + 3, before[1] + 1)
    assert provider.rating_avg == (Decimal(before[0] + 3) / (before[1] + 1)).quantize(
        Decimal("0.01")
    )
    booking.refresh_from_db()
    assert booking.status == S.RATED
    with pytest.raises(DomainError) as error:
        services.rating_add(booking=booking, stars=4, acting_user=customer)
    assert error.value.code == "already_rated"


@pytest.mark.parametrize("stars", [0, 6])
def test_stars_from_1_to_5(electrician, customer, day, stars):
    booking = completed(book(electrician, customer, day))
    with pytest.raises(DomainError) as error:
        services.rating_add(booking=booking, stars=stars, acting_user=customer)
    assert error.value.code == "invalid_stars"


# --- who may ----------------------------------------------------------------------------------


def test_an_agent_books_for_a_caller_and_another_citizen_cannot(electrician, customer, day):
    agent = user_with_roles(Role.AGENT)
    booking = book(electrician, customer, day, acting_user=agent, channel="phone").booking
    assert (booking.customer, booking.created_by) == (customer, agent)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        book(electrician, customer, day, "14:00", "15:00", acting_user=stranger)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(
            booking=booking, by=CancelledBy.CUSTOMER, reason="x", acting_user=stranger
        )


def test_an_auditor_changes_nothing(electrician, customer, day):
    booking = book(electrician, customer, day).booking
    auditor = user_with_roles(Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(
            booking=booking, by=CancelledBy.CUSTOMER, reason="x", acting_user=auditor
        )


def test_booking_admin_is_read_only_and_scoped(client, electrician, customer, day):
    from django.urls import reverse

    from sevamitra.providers.tests.factories import district

    booking = book(electrician, customer, day).booking
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    outsider = user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR"))
    url = reverse("admin:bookings_booking_changelist")
    client.force_login(officer)
    assert [b.pk for b in client.get(url).context["cl"].result_list] == [booking.pk]
    change = reverse("admin:bookings_booking_change", args=[booking.pk])
    assert client.post(change, {"status": "cancelled"}).status_code == 403
    client.force_login(outsider)
    assert list(client.get(url).context["cl"].result_list) == []


def test_more_refusals_with_clear_codes(electrician, customer, day):
    placed = book(electrician, customer, day)
    booking = completed(placed)
    with pytest.raises(DomainError) as error:
        services.payment_record(
            booking=booking, method="cheque", amount=Decimal("350"), acting_user=customer
        )
    assert error.value.code == "invalid_method"
    with pytest.raises(DomainError) as error:
        services.rating_add(booking=booking, stars=True, acting_user=customer)
    assert error.value.code == "invalid_stars"
    with pytest.raises(DomainError) as error:
        book(electrician, customer, day, "12:00", "13:00", discount=Decimal("400"))
    assert (error.value.code, error.value.field) == ("invalid_discount", "discount")
    next_day = day + dt.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.booking_create(
            offer=electrician,
            customer=customer,
            start=at(day, "08:00"),
            end=at(next_day, "09:00"),
            kind="hours",
            channel="web",
            address="x",
            acting_user=customer,
        )
    assert error.value.code == "slot_too_long"
    electrician.is_active = False
    electrician.save()
    with pytest.raises(DomainError) as error:
        services.hold_place(
            offer=electrician,
            customer=customer,
            start=at(day, "15:00"),
            end=at(day, "16:00"),
            acting_user=customer,
        )
    assert error.value.code == "offer_withdrawn"
