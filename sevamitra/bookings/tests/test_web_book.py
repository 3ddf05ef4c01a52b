"""The booking page over HTTP: sign-in first, the slot held while the form is filled in,
single visits and series, slots taken meanwhile, and the confirmation with the codes."""

import datetime as dt
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Address
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingSeries, BookingStatus
from sevamitra.bookings.tests.conftest import at
from sevamitra.notifications.models import Message
from sevamitra.providers.models import BlockKind, CalendarBlock
from sevamitra.providers.tests.factories import ProviderFactory, police_document

pytestmark = pytest.mark.django_db
S = BookingStatus


def book_url(offer, day, start="10:00", end="11:00", **extra):
    params = {
        "offer": offer.pk,
        "start": f"{day.isoformat()}T{start}",
        "end": f"{day.isoformat()}T{end}",
        **extra,
    }
    return f"/book/?{urlencode(params)}"


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


NEW_ADDRESS = {
    "address": "new",
    "line": "B-12, Vipin Khand, near the park",
    "locality": "Gomti Nagar",
    "pincode": "226010",
    "notes": "कृपया आने से पहले घंटी बजाएं",
    "kind": "visit",
}


def post(client, url, **fields):
    hold = CalendarBlock.objects.filter(kind=BlockKind.HOLD).values_list("pk", flat=True).first()
    data = {**NEW_ADDRESS, "hold": hold or "", **fields}
    return client.post(url, {k: v for k, v in data.items() if v is not None})


# --- getting there --------------------------------------------------------------------------


def test_anonymous_book_goes_to_sign_in_and_comes_back(client, electrician, day):
    url = book_url(electrician, day)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/signin/?next={quote(url, safe='/')}"
    assert not CalendarBlock.objects.exists()


def test_the_page_shows_the_quote_and_terms_in_hindi_and_holds_the_slot(
    signed_in, customer, electrician, day
):
    response = signed_in.get(book_url(electrician, day, pincode="226010"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    assert electrician.provider.name_hi in html
    assert "₹300.00" in html and "₹50.00" in html and "₹350.00" in html
    assert "₹100.00" in html  # the fee after the free window
    assert 'value="226010"' in html  # the pincode searched for
    hold = CalendarBlock.objects.get()
    assert (hold.kind, hold.held_by, hold.starts_at) == (BlockKind.HOLD, customer, at(day, "10:00"))
    assert f'name="hold" value="{hold.pk}"' in html
    # A reload keeps the same hold.
    signed_in.get(book_url(electrician, day))
    assert list(CalendarBlock.objects.values_list("pk", flat=True)) == [hold.pk]


def test_the_page_in_english(signed_in, electrician, day):
    signed_in.cookies["django_language"] = "en"
    html = signed_in.get(book_url(electrician, day)).content.decode()
    assert "Confirm booking" in html
    assert "Free cancellation up to 2 hours before the start" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?offer=abc&start=2026-12-01T10:00&end=2026-12-01T11:00",
        "?offer=1&start=tomorrow&end=2026-12-01T11:00",
        "?offer=99999999999999999999999&start=2026-12-01T10:00&end=2026-12-01T11:00",
    ],
)
def test_a_broken_link_is_a_page_not_a_crash(signed_in, query):
    response = signed_in.get(f"/book/{query}")
    assert response.status_code == 400
    assert not CalendarBlock.objects.exists()


def test_an_unknown_offer_is_404(signed_in, day):
    response = signed_in.get(f"/book/?offer=987654&start={day}T10:00&end={day}T11:00")
    assert response.status_code == 404


def test_a_time_the_provider_does_not_work_says_so_with_alternatives(signed_in, electrician, day):
    response = signed_in.get(book_url(electrician, day, "06:00", "07:00"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'href="/book/?offer=' in html  # other times to book instead
    assert f"{day.isoformat()}T08%3A00" in html  # the first free hour that morning
    assert not CalendarBlock.objects.exists()


def test_a_slot_taken_before_the_page_opens_shows_the_free_alternatives(
    signed_in, customer, electrician, day
):
    other = UserFactory()
    services.booking_create(
        offer=electrician,
        customer=other,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="x",
        acting_user=other,
    )
    response = signed_in.get(book_url(electrician, day))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and 'class="book-form"' not in html
    assert html.count('href="/book/?offer=') == 3
    assert not CalendarBlock.objects.filter(held_by=customer).exists()


# --- booking --------------------------------------------------------------------------------


def test_booking_a_visit_with_a_new_address(
    signed_in, customer, electrician, day, django_capture_on_commit_callbacks
):
    url = book_url(electrician, day, pincode="226010")
    signed_in.get(url)
    hold = CalendarBlock.objects.get()
    response = post(signed_in, url)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/bookings/{booking.pk}/booked/"
    assert (booking.customer, booking.status, booking.channel, booking.kind) == (
        customer,
        S.CONFIRMED,
        "web",
        "visit",
    )
    assert booking.address == "B-12, Vipin Khand, near the park, Gomti Nagar, 226010"
    assert (booking.pincode, round(booking.lat, 3), round(booking.lng, 3)) == (
        "226010",
        26.864,
        81.001,
    )
    assert booking.notes == "कृपया आने से पहले घंटी बजाएं"
    assert booking.block_id == hold.pk  # the hold became the booking
    assert CalendarBlock.objects.get().kind == BlockKind.BOOKING
    assert not Address.objects.exists()  # not asked to save it
    assert Message.objects.filter(event="booking.codes", user=customer).count() == 1

    page = signed_in.get(response["Location"]).content.decode()
    assert 'class="codes"' in page
    assert "status-confirmed" in page
    again = signed_in.get(response["Location"]).content.decode()
    assert 'class="codes"' not in again  # shown once; the SMS has them


def test_booking_saves_the_new_address_when_asked(signed_in, customer, electrician, day):
    url = book_url(electrician, day)
    signed_in.get(url)
    post(signed_in, url, save="on", label="घर")
    address = Address.objects.get()
    assert (address.user, address.label, address.pincode) == (customer, "घर", "226010")
    assert Booking.objects.count() == 1


def test_booking_with_a_saved_address(signed_in, customer, electrician, day):
    saved = Address.objects.create(
        user=customer, label="Office", line="5 Ashok Marg", pincode="226001", lat=26.85, lng=80.95
    )
    url = book_url(electrician, day)
    html = signed_in.get(url).content.decode()
    assert f'value="{saved.pk}"' in html and "5 Ashok Marg" in html
    post(signed_in, url, address=str(saved.pk), line="", pincode="")
    booking = Booking.objects.get()
    assert (booking.address, booking.pincode, booking.lat) == (
        "5 Ashok Marg, 226001",
        "226001",
        26.85,
    )


def test_someone_elses_address_cannot_be_chosen(signed_in, electrician, day):
    theirs = Address.objects.create(user=UserFactory(), label="x", line="y", pincode="226001")
    url = book_url(electrician, day)
    signed_in.get(url)
    response = post(signed_in, url, address=str(theirs.pk))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"line": ""}, "id_line"),
        ({"pincode": ""}, "id_pincode"),
        ({"pincode": "999999"}, "id_pincode"),
        ({"save": "on", "label": ""}, "id_label"),
        ({"kind": "series", "frequency": "weekdays", "ends": "after", "count": "3"}, "id_weekdays"),
        ({"kind": "series", "frequency": "daily", "ends": "on", "until": ""}, "id_until"),
        ({"kind": "series", "frequency": "daily", "ends": "after", "count": "500"}, "id_count"),
        ({"kind": "teleport"}, "id_kind"),
    ],
)
def test_bad_input_is_a_form_error_and_books_nothing(
    signed_in, electrician, day, fields, error_field
):
    url = book_url(electrician, day)
    signed_in.get(url)
    response = post(signed_in, url, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and f'href="#{error_field}"' in html
    assert not Booking.objects.exists()
    assert CalendarBlock.objects.get().kind == BlockKind.HOLD  # still kept


def test_an_expired_hold_still_books_a_free_slot(signed_in, electrician, day):
    url = book_url(electrician, day)
    signed_in.get(url)
    CalendarBlock.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = post(signed_in, url)
    assert response.status_code == 302
    assert Booking.objects.get().status == S.CONFIRMED
    assert CalendarBlock.objects.get().kind == BlockKind.BOOKING


def test_a_slot_taken_meanwhile_shows_alternatives_and_books_nothing(
    signed_in, customer, electrician, day
):
    url = book_url(electrician, day)
    signed_in.get(url)
    # The hold runs out and someone else books the time.
    CalendarBlock.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    other = UserFactory()
    services.booking_create(
        offer=electrician,
        customer=other,
        start=at(day, "10:00"),
        end=at(day, "11:00"),
        kind="visit",
        channel="web",
        address="x",
        acting_user=other,
    )
    response = post(signed_in, url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert html.count('href="/book/?offer=') == 3
    assert not Booking.objects.filter(customer=customer).exists()


def test_a_request_to_a_provider_who_answers_later(signed_in, manual_electrician, day):
    url = book_url(manual_electrician, day)
    signed_in.get(url)
    response = post(signed_in, url)
    booking = Booking.objects.get()
    assert booking.status == S.REQUESTED
    page = signed_in.get(response["Location"]).content.decode()
    assert "status-requested" in page and 'class="codes"' not in page


# --- kinds and series -----------------------------------------------------------------------


def test_a_daily_series_books_every_visit_and_releases_the_hold(
    signed_in, customer, electrician, day
):
    url = book_url(electrician, day)
    signed_in.get(url)
    response = post(signed_in, url, kind="series", frequency="daily", ends="after", count="3")
    series = BookingSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/series/{series.pk}/"
    visits = list(Booking.objects.order_by("starts_at"))
    assert [b.starts_at for b in visits] == [
        at(day + dt.timedelta(days=i), "10:00") for i in range(3)
    ]
    assert {b.channel for b in visits} == {"web"}
    assert not CalendarBlock.objects.filter(kind=BlockKind.HOLD).exists()
    page = signed_in.get(response["Location"]).content.decode()
    assert page.count('class="booking-item"') == 3
    assert 'class="codes"' in page  # the first visit's codes


def test_a_weekday_series_until_a_date(signed_in, electrician, day):
    url = book_url(electrician, day)  # a Monday
    signed_in.get(url)
    post(
        signed_in,
        url,
        kind="series",
        frequency="weekdays",
        weekdays=["0", "3"],
        ends="on",
        until=(day + dt.timedelta(days=13)).isoformat(),
    )
    days = [timezone.localtime(b.starts_at).date() for b in Booking.objects.order_by("starts_at")]
    assert [(d - day).days for d in days] == [0, 3, 7, 10]


def test_a_series_with_a_taken_day_books_nothing_and_names_the_day(
    signed_in, customer, electrician, day
):
    other = UserFactory()
    services.booking_create(
        offer=electrician,
        customer=other,
        start=at(day + dt.timedelta(days=1), "10:00"),
        end=at(day + dt.timedelta(days=1), "11:00"),
        kind="visit",
        channel="web",
        address="x",
        acting_user=other,
    )
    url = book_url(electrician, day)
    signed_in.get(url)
    response = post(signed_in, url, kind="series", frequency="daily", ends="after", count="3")
    html = response.content.decode()
    assert response.status_code == 200
    assert (day + dt.timedelta(days=1)).strftime("%d/%m/%Y") in html
    assert not Booking.objects.filter(customer=customer).exists()
    assert not BookingSeries.objects.exists()
    assert CalendarBlock.objects.filter(kind=BlockKind.HOLD, held_by=customer).count() == 1


def test_kinds_follow_the_pricing_unit(signed_in, day):
    sitter = ProviderFactory(auto_accept=True, offers=[("babysitter", "150", "0")])
    police_document(sitter, day + dt.timedelta(days=100))
    planner = ProviderFactory(auto_accept=True, offers=[("event-planner", "5000", "0")])
    html = signed_in.get(book_url(sitter.offers.get(), day, "18:00", "20:00")).content.decode()
    assert 'value="hours"' in html and 'value="series"' in html and 'value="event"' not in html
    assert "₹150.00 × 2" in html
    html = signed_in.get(book_url(planner.offers.get(), day)).content.decode()
    assert 'value="event"' in html and 'value="series"' not in html


def test_a_long_engagement_of_consecutive_days(signed_in, day):
    painter = ProviderFactory(auto_accept=True, offers=[("painter", "800", "0")])
    url = book_url(painter.offers.get(), day, "09:00", "17:00")
    html = signed_in.get(url).content.decode()
    assert 'value="engagement"' in html
    post(
        signed_in,
        url,
        kind="engagement",
        ends="on",
        until=(day + dt.timedelta(days=4)).isoformat(),
    )
    series = BookingSeries.objects.get()
    assert (series.kind, series.frequency) == ("engagement", "daily")
    assert Booking.objects.count() == 5
