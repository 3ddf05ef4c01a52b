"""My bookings over HTTP: the list, one booking and what its customer can do to it, a
series; nobody else's booking exists on these pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus, Rating
from sevamitra.bookings.series import series_create
from sevamitra.bookings.tests.conftest import at
from sevamitra.notifications.models import Message

pytestmark = pytest.mark.django_db
S = BookingStatus


def book(offer, customer, day, start="10:00", end="11:00"):
    return services.booking_create(
        offer=offer,
        customer=customer,
        start=at(day, start),
        end=at(day, end),
        kind="visit",
        channel="web",
        address="B-12, Vipin Khand, Gomti Nagar, 226010",
        pincode="226010",
        acting_user=customer,
    )


@pytest.fixture
def placed(electrician, customer, day):
    return book(electrician, customer, day)


@pytest.fixture
def booking(placed):
    return placed.booking


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def completed(placed):
    booking, provider_user = placed.booking, placed.booking.provider.user
    services.booking_mark_en_route(booking=booking, acting_user=provider_user)
    services.booking_start(booking=booking, code=placed.codes.start, acting_user=provider_user)
    services.booking_finish(booking=booking, code=placed.codes.end, acting_user=provider_user)
    booking.refresh_from_db()
    return booking


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/my/bookings/",
        "/my/bookings/{id}/",
        "/my/bookings/{id}/booked/",
        "/my/bookings/{id}/cancel/",
        "/my/bookings/{id}/reschedule/",
    ],
)
def test_anonymous_people_are_sent_to_sign_in(client, booking, path):
    response = client.get(path.format(id=booking.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize("role", [None, Role.AGENT, Role.ADMINISTRATOR])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/my/bookings/{id}/"),
        ("get", "/my/bookings/{id}/booked/"),
        ("get", "/my/bookings/{id}/cancel/"),
        ("post", "/my/bookings/{id}/cancel/"),
        ("get", "/my/bookings/{id}/reschedule/"),
        ("post", "/my/bookings/{id}/reschedule/"),
        ("post", "/my/bookings/{id}/codes/"),
        ("post", "/my/bookings/{id}/rate/"),
    ],
)
def test_another_persons_booking_is_404_and_unchanged(client, booking, role, method, path):
    other = user_with_roles(role) if role else UserFactory()
    client.force_login(other)
    response = getattr(client, method)(
        path.format(id=booking.pk), {"reason": "plans", "fee_seen": "0.00", "stars": "1"}
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    assert BookingEvent.objects.filter(booking=booking).count() == 1


def test_an_unknown_booking_is_404(signed_in):
    assert signed_in.get("/my/bookings/999999/").status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_my_bookings_lists_upcoming_and_past_with_status(
    signed_in, customer, electrician, booking, day
):
    earlier = book(electrician, customer, day, "14:00", "15:00").booking
    services.booking_cancel(booking=earlier, by="customer", reason="x", acting_user=customer)
    theirs = book(electrician, UserFactory(), day, "16:00", "17:00").booking
    response = signed_in.get("/my/bookings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    upcoming, past = html.split('id="past-heading"')
    assert f"/my/bookings/{booking.pk}/" in upcoming and "status-confirmed" in upcoming
    assert f"/my/bookings/{earlier.pk}/" in past and "status-cancelled" in past
    assert f"/my/bookings/{theirs.pk}/" not in html


def test_my_bookings_when_there_are_none(signed_in):
    html = signed_in.get("/my/bookings/").content.decode()
    assert 'class="booking-item"' not in html
    assert "/my/addresses/" in html


def test_my_bookings_in_english(signed_in, booking):
    signed_in.cookies["django_language"] = "en"
    html = signed_in.get("/my/bookings/").content.decode()
    assert "Upcoming" in html and "Confirmed" in html


def test_my_bookings_costs_few_queries(
    signed_in, customer, electrician, day, django_assert_max_num_queries
):
    for hour in range(10, 16):
        book(electrician, customer, day, f"{hour}:00", f"{hour}:30")
    with django_assert_max_num_queries(9):
        signed_in.get("/my/bookings/")


# --- one booking ----------------------------------------------------------------------------


def test_the_detail_shows_provider_price_address_and_history(signed_in, booking):
    provider = booking.provider
    response = signed_in.get(f"/my/bookings/{booking.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert provider.name_hi in html
    assert f"XXXXXX{provider.user.phone[-4:]}" in html
    assert provider.user.phone not in html  # never the whole number
    assert "B-12, Vipin Khand" in html
    assert "₹300.00" in html and "₹50.00" in html and "₹350.00" in html
    assert "status-confirmed" in html
    assert 'class="history"' in html
    assert f'action="/my/bookings/{booking.pk}/codes/"' in html
    assert f'href="/my/bookings/{booking.pk}/cancel/"' in html
    assert f'href="/my/bookings/{booking.pk}/reschedule/"' in html


def test_send_my_codes_again_shows_new_codes_once_and_texts_them(signed_in, customer, booking):
    before = booking.start_code_hash
    response = signed_in.post(f"/my/bookings/{booking.pk}/codes/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start_code_hash != before
    assert Message.objects.filter(event="booking.codes", user=customer).count() == 2
    page = signed_in.get(response["Location"]).content.decode()
    codes = page.split('class="codes">')[1:]
    assert len(codes) == 2 and all(c[:4].isdigit() for c in codes)
    assert 'class="codes"' not in signed_in.get(response["Location"]).content.decode()


def test_codes_are_refused_for_a_cancelled_booking(signed_in, customer, booking):
    services.booking_cancel(booking=booking, by="customer", reason="x", acting_user=customer)
    response = signed_in.post(f"/my/bookings/{booking.pk}/codes/", follow=True)
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
    assert Message.objects.filter(event="booking.codes").count() == 1


# --- cancel ---------------------------------------------------------------------------------


def test_cancel_shows_the_fee_first_then_cancels(signed_in, booking):
    page = signed_in.get(f"/my/bookings/{booking.pk}/cancel/").content.decode()
    assert "₹0.00" in page
    assert 'name="fee_seen" value="0.00"' in page
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED  # only asked
    response = signed_in.post(
        f"/my/bookings/{booking.pk}/cancel/",
        {"reason": "plans", "details": "बाहर जा रहे हैं", "fee_seen": "0.00"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancellation_fee) == (
        S.CANCELLED,
        "customer",
        Decimal("0.00"),
    )
    assert booking.cancel_reason.endswith(": बाहर जा रहे हैं")
    page = signed_in.get(response["Location"]).content.decode()
    assert "status-cancelled" in page and "₹0.00" in page


def test_cancelling_late_shows_the_providers_fee(signed_in, booking):
    soon = timezone.now() + dt.timedelta(hours=1)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )
    page = signed_in.get(f"/my/bookings/{booking.pk}/cancel/").content.decode()
    assert "₹100.00" in page and 'value="100.00"' in page
    signed_in.post(
        f"/my/bookings/{booking.pk}/cancel/", {"reason": "mistake", "fee_seen": "100.00"}
    )
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_fee) == (S.CANCELLED, Decimal("100.00"))


def test_a_fee_that_changed_since_it_was_shown_asks_again(signed_in, booking):
    soon = timezone.now() + dt.timedelta(hours=1)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )
    response = signed_in.post(
        f"/my/bookings/{booking.pk}/cancel/", {"reason": "plans", "fee_seen": "0.00"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "₹100.00" in html and 'value="100.00"' in html
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_cancel_without_a_reason_is_a_form_error(signed_in, booking):
    response = signed_in.post(f"/my/bookings/{booking.pk}/cancel/", {"fee_seen": "0.00"})
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#id_reason"' in html
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_a_cancelled_booking_cannot_be_cancelled_again(signed_in, customer, booking):
    services.booking_cancel(booking=booking, by="customer", reason="x", acting_user=customer)
    response = signed_in.get(f"/my/bookings/{booking.pk}/cancel/")
    assert response.status_code == 302
    assert response["Location"] == f"/my/bookings/{booking.pk}/"


# --- reschedule -----------------------------------------------------------------------------


def test_reschedule_moves_the_booking(signed_in, booking, day):
    page = signed_in.get(f"/my/bookings/{booking.pk}/reschedule/").content.decode()
    assert 'value="10:00"' in page and f'value="{day.isoformat()}"' in page
    response = signed_in.post(
        f"/my/bookings/{booking.pk}/reschedule/",
        {"date": day.isoformat(), "from": "15:00", "to": "16:00"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (at(day, "15:00"), at(day, "16:00"))
    assert booking.block.starts_at == at(day, "15:00")


def test_reschedule_to_a_taken_time_offers_free_times(signed_in, electrician, booking, day):
    book(electrician, UserFactory(), day, "15:00", "16:00")
    response = signed_in.post(
        f"/my/bookings/{booking.pk}/reschedule/",
        {"date": day.isoformat(), "from": "15:00", "to": "16:00"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert html.count('<input type="hidden" name="date"') == 3
    booking.refresh_from_db()
    assert booking.starts_at == at(day, "10:00")


@pytest.mark.parametrize(
    "data",
    [
        {"date": "", "from": "15:00", "to": "16:00"},
        {"date": "2020-01-01", "from": "15:00", "to": "16:00"},
        {"date": "x", "from": "25:00", "to": "16:00"},
    ],
)
def test_reschedule_bad_input_is_a_form_error(signed_in, booking, day, data):
    response = signed_in.post(f"/my/bookings/{booking.pk}/reschedule/", data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at == at(day, "10:00")


# --- rate -----------------------------------------------------------------------------------


def test_rating_after_completion(signed_in, placed):
    booking = completed(placed)
    page = signed_in.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert 'name="stars"' in page
    response = signed_in.post(
        f"/my/bookings/{booking.pk}/rate/", {"stars": "5", "text": "बहुत अच्छा काम"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.stars, rating.text) == (5, "बहुत अच्छा काम")
    booking.refresh_from_db()
    assert booking.status == S.RATED
    page = signed_in.get(f"/my/bookings/{booking.pk}/").content.decode()
    assert 'name="stars"' not in page and "बहुत अच्छा काम" in page


@pytest.mark.parametrize("stars", ["", "0", "6", "five"])
def test_rating_bad_stars_is_a_form_error(signed_in, placed, stars):
    booking = completed(placed)
    response = signed_in.post(f"/my/bookings/{booking.pk}/rate/", {"stars": stars})
    assert response.status_code == 200
    assert 'href="#id_stars' in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_before_completion_is_refused(signed_in, booking):
    response = signed_in.post(f"/my/bookings/{booking.pk}/rate/", {"stars": "4"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Rating.objects.exists()


# --- series ---------------------------------------------------------------------------------


@pytest.fixture
def series(electrician, customer, day):
    series, _placed = series_create(
        offer=electrician,
        customer=customer,
        kind="series",
        frequency="daily",
        starts_on=day,
        start_time=dt.time(8, 0),
        end_time=dt.time(9, 0),
        count=3,
        channel="web",
        address="B-12, Vipin Khand",
        acting_user=customer,
    )
    return series


def test_a_series_shows_its_rule_and_visits(signed_in, series):
    page = signed_in.get(f"/my/series/{series.pk}/").content.decode()
    assert page.count('class="booking-item"') == 3
    assert "₹1,050.00" in page
    listing = signed_in.get("/my/bookings/").content.decode()
    assert f"/my/series/{series.pk}/" in listing
    assert 'class="booking-item"' not in listing  # the visits are shown with their series
    visit = series.occurrences.first()
    detail = signed_in.get(f"/my/bookings/{visit.pk}/").content.decode()
    assert f"/my/series/{series.pk}/" in detail


def test_another_persons_series_is_404(client, series):
    client.force_login(UserFactory())
    assert client.get(f"/my/series/{series.pk}/").status_code == 404
