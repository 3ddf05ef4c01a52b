"""The Sevamitra's working pages (HTTP level): dashboard, jobs, leave, earnings, profile."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, BookingStatus, CancelledBy
from sevamitra.notifications.models import Message
from sevamitra.providers.models import Leave, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, local

pytestmark = pytest.mark.django_db

S = BookingStatus
ADDRESS = "Flat 3B, Gomti Apartments, Vikas Nagar"
DASHBOARD = reverse("providers:dashboard")


@pytest.fixture
def customer():
    return UserFactory(name="Asha", phone="9876501234")


@pytest.fixture
def provider():
    """An electrician who answers requests by hand (30 minutes to answer)."""
    return ProviderFactory(accept_within_minutes=30, offers=[("electrician", "300", "50")])


@pytest.fixture
def signed_in(client, provider):
    client.force_login(provider.user)
    return client


def book(provider, customer, *, days=2, hhmm="10:00"):
    start = local(timezone.localdate() + dt.timedelta(days=days), hhmm)
    return bookings.booking_create(
        offer=provider.offers.get(),
        customer=customer,
        start=start,
        end=start + dt.timedelta(hours=1),
        kind="visit",
        channel="web",
        address=ADDRESS,
        pincode="226022",
        notes="Ring twice",
        acting_user=customer,
    ).booking


def job_url(booking):
    return reverse("providers:job", args=[booking.pk])


def codes_sent(booking) -> tuple[str, str]:
    """The start and end codes texted to the customer when the job was confirmed."""
    body = Message.objects.filter(event="booking.codes", reference=f"booking:{booking.pk}").latest(
        "pk"
    )
    start, end = re.findall(r"(?<![\d/:])\d{4}(?![\d/:])", body.body)[-2:]
    return start, end


def form_errors(response, form="code_form") -> list[str]:
    with override("en"):
        return [str(e) for errors in response.context[form].errors.values() for e in errors]


# --- who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        reverse("providers:job", args=[1]),
        reverse("providers:leave"),
        reverse("providers:earnings"),
        reverse("providers:profile"),
        reverse("providers:profile_edit", args=["prices"]),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/signin/?next={url}"


def test_someone_not_registered_is_sent_to_registration(client):
    client.force_login(UserFactory())
    assert client.get(DASHBOARD)["Location"] == reverse("providers:register")
    assert client.get(reverse("providers:earnings"))["Location"] == reverse("providers:register")


@pytest.mark.parametrize(
    ("status", "reason", "text"),
    [
        (VerificationStatus.PENDING, "", "सत्यापन बाकी"),
        (VerificationStatus.SUSPENDED, "शिकायतों की जांच चल रही है", "निलंबित"),
    ],
)
def test_pending_or_suspended_provider_sees_status_and_reason_not_jobs(
    client, customer, status, reason, text
):
    provider = ProviderFactory(
        verification_status=status, status_reason=reason, offers=[("electrician", "300", "0")]
    )
    client.force_login(provider.user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert text in html
    assert reason in html
    assert "agenda" not in response.context
    assert "नए अनुरोध" not in html  # "New requests"
    # No identity document yet: the last step is still to do.
    assert response.context["missing"] == "documents"
    assert reverse("providers:register_step", args=["documents"]) in html


# --- the dashboard ---------------------------------------------------------------------------


def test_dashboard_lists_requests_with_deadline_and_jobs(signed_in, provider, customer):
    request = book(provider, customer, days=3)
    confirmed = book(provider, customer, days=2)
    bookings.booking_accept(booking=confirmed, acting_user=provider.user)
    other = ProviderFactory(offers=[("electrician", "300", "0")])
    book(other, customer)  # someone else's: not listed
    response = signed_in.get(DASHBOARD)
    assert response.status_code == 200
    agenda = response.context["agenda"]
    assert agenda.requests == [request]
    assert agenda.upcoming == [confirmed]
    assert agenda.today == []
    html = response.content.decode()
    deadline = timezone.localtime(request.accept_deadline)
    assert f"जवाब देने का समय <strong>{deadline:%-I:%M}" in html
    assert ADDRESS not in html  # the dashboard shows pincodes only
    assert html.count('value="accept"') == 1


def test_dashboard_queries_are_bounded(
    signed_in, provider, customer, django_assert_max_num_queries
):
    for days in (2, 3, 4, 5):
        book(provider, customer, days=days, hhmm="11:00")
    with django_assert_max_num_queries(12):
        assert signed_in.get(DASHBOARD).status_code == 200


# --- one job: the address rule ---------------------------------------------------------------


def test_another_providers_job_is_404(client, provider, customer):
    booking = book(provider, customer)
    other = ProviderFactory(offers=[("plumber", "300", "0")])
    client.force_login(other.user)
    assert client.get(job_url(booking)).status_code == 404
    response = client.post(job_url(booking), {"action": "accept"})
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == S.REQUESTED
    client.force_login(customer)  # the customer is not the provider either
    assert client.get(job_url(booking)).status_code == 302  # → registration
    client.force_login(provider.user)
    assert client.get(reverse("providers:job", args=[booking.pk + 1000])).status_code == 404


def test_address_and_phone_only_while_the_job_is_on(signed_in, provider, customer):
    """Requested: pincode only. Confirmed, on the way, in progress: exact address and masked
    phone. Completed or cancelled: hidden again. The full number never shows."""
    booking = book(provider, customer)

    def page():
        html = signed_in.get(job_url(booking)).content.decode()
        assert customer.phone not in html
        return html

    html = page()
    assert ADDRESS not in html and "XXXXXX1234" not in html and "Ring twice" not in html
    assert "226022" in html
    assert "लखनऊ" in html or "Lucknow" in html  # the pincode's district

    bookings.booking_accept(booking=booking, acting_user=provider.user)
    start, end = codes_sent(booking)
    html = page()
    assert ADDRESS in html and "XXXXXX1234" in html and "Ring twice" in html

    bookings.booking_mark_en_route(booking=booking, acting_user=provider.user)
    assert ADDRESS in page()
    bookings.booking_start(booking=booking, code=start, acting_user=provider.user)
    assert ADDRESS in page()
    bookings.booking_finish(booking=booking, code=end, acting_user=provider.user)
    html = page()
    assert ADDRESS not in html and "XXXXXX1234" not in html and "Ring twice" not in html
    assert "पूरा हुआ" in html  # Completed


def test_cancelled_job_hides_the_address(signed_in, provider, customer):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    assert ADDRESS in signed_in.get(job_url(booking)).content.decode()
    bookings.booking_cancel(
        booking=booking, by=CancelledBy.CUSTOMER, reason="Not needed", acting_user=customer
    )
    assert ADDRESS not in signed_in.get(job_url(booking)).content.decode()


# --- one job: the actions --------------------------------------------------------------------


def test_accept_en_route_start_finish(signed_in, provider, customer):
    booking = book(provider, customer)
    response = signed_in.post(job_url(booking), {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == job_url(booking)
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    start, end = codes_sent(booking)

    signed_in.post(job_url(booking), {"action": "en_route"})
    booking.refresh_from_db()
    assert booking.status == S.EN_ROUTE

    signed_in.post(job_url(booking), {"action": "start", "code": start})
    booking.refresh_from_db()
    assert booking.status == S.IN_PROGRESS

    response = signed_in.post(job_url(booking), {"action": "finish", "code": end}, follow=True)
    booking.refresh_from_db()
    assert booking.status == S.COMPLETED
    assert "काम पूरा हुआ। धन्यवाद!" in response.content.decode()


def test_the_provider_says_they_are_at_the_door_once_on_the_way(signed_in, provider, customer):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    arrived_button = 'value="arrived"'
    assert arrived_button not in signed_in.get(job_url(booking)).content.decode()
    response = signed_in.post(job_url(booking), {"action": "arrived"}, follow=True)
    assert not booking.events.filter(action="arrived").exists()  # not on the way yet: refused
    assert 'class="msg msg-error"' in response.content.decode()

    signed_in.post(job_url(booking), {"action": "en_route"})
    assert arrived_button in signed_in.get(job_url(booking)).content.decode()
    response = signed_in.post(job_url(booking), {"action": "arrived"}, follow=True)
    assert booking.events.filter(action="arrived").count() == 1
    assert "ग्राहक को बता दिया गया है कि आप दरवाज़े पर हैं।" in response.content.decode()
    assert arrived_button not in response.content.decode()  # said once


def test_the_provider_records_that_the_customer_was_not_there(signed_in, provider, customer):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    button = 'value="customer_absent"'
    assert button not in signed_in.get(job_url(booking)).content.decode()  # before the time
    response = signed_in.post(job_url(booking), {"action": "customer_absent"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    assert 'class="msg msg-error"' in response.content.decode()

    # The time came and went (start and end moved into the past, past the grace).
    started = timezone.now() - dt.timedelta(minutes=45)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=started, ends_at=started + dt.timedelta(hours=1)
    )
    assert button in signed_in.get(job_url(booking)).content.decode()
    response = signed_in.post(job_url(booking), {"action": "customer_absent"}, follow=True)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (S.CANCELLED, CancelledBy.CUSTOMER)
    assert "दर्ज किया गया: ग्राहक वहाँ नहीं थे।" in response.content.decode()


def test_wrong_code_is_a_form_error_with_tries_left(signed_in, provider, customer):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    start, _end = codes_sent(booking)
    wrong = "0000" if start != "0000" else "1111"
    signed_in.cookies["django_language"] = "en"
    response = signed_in.post(job_url(booking), {"action": "start", "code": wrong})
    assert response.status_code == 200
    assert form_errors(response) == ["Wrong code. 4 tries left."]
    assert 'role="alert"' in response.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.code_attempts) == (S.CONFIRMED, 1)
    response = signed_in.post(job_url(booking), {"action": "start", "code": "12a4"})
    assert form_errors(response) == ["The code has 4 digits."]
    booking.refresh_from_db()
    assert booking.code_attempts == 1  # not counted: not a code at all


def test_too_many_wrong_codes_is_a_form_error_too(signed_in, provider, customer, settings):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    start, _end = codes_sent(booking)
    Booking.objects.filter(pk=booking.pk).update(code_attempts=settings.BOOKING_CODE_MAX_ATTEMPTS)
    signed_in.cookies["django_language"] = "en"
    response = signed_in.post(job_url(booking), {"action": "start", "code": start})
    assert response.status_code == 200
    assert form_errors(response) == ["Too many wrong codes. The customer can get new codes."]
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_finish_before_start_is_refused_without_a_500(signed_in, provider, customer):
    booking = book(provider, customer)
    bookings.booking_accept(booking=booking, acting_user=provider.user)
    _start, end = codes_sent(booking)
    signed_in.cookies["django_language"] = "en"
    response = signed_in.post(job_url(booking), {"action": "finish", "code": end})
    assert response.status_code == 200
    assert form_errors(response) == ["A booking that is “Confirmed” cannot become “Completed”."]
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_accept_after_the_deadline_says_why(signed_in, provider, customer):
    booking = book(provider, customer)
    Booking.objects.filter(pk=booking.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    response = signed_in.post(job_url(booking), {"action": "accept"}, follow=True)
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == S.REQUESTED
    with override("hi"):
        expected = gettext("The time to accept this request has passed.")
    assert [str(m) for m in response.context["messages"]] == [expected]


def test_decline_passes_the_request_on(signed_in, provider, customer):
    booking = book(provider, customer)
    response = signed_in.post(job_url(booking), {"action": "decline", "reason": "Busy"})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    booking.refresh_from_db()
    assert booking.status == S.DECLINED
    assert booking.events.get(action="declined").detail == {"reason": "Busy"}


def test_unknown_action_is_400(signed_in, provider, customer):
    booking = book(provider, customer)
    assert signed_in.post(job_url(booking), {"action": "delete"}).status_code == 400
    booking.refresh_from_db()
    assert booking.status == S.REQUESTED


# --- leave -----------------------------------------------------------------------------------


def test_leave_add_and_cancel(signed_in, provider):
    today = timezone.localdate()
    start, end = today + dt.timedelta(days=5), today + dt.timedelta(days=7)
    response = signed_in.post(
        reverse("providers:leave"),
        {"starts_on": start.isoformat(), "ends_on": end.isoformat(), "reason": "शादी"},
    )
    assert response.status_code == 302
    leave = Leave.objects.get(provider=provider)
    assert (leave.starts_on, leave.ends_on, leave.reason) == (start, end, "शादी")
    html = signed_in.get(reverse("providers:leave")).content.decode()
    assert start.strftime("%d/%m/%Y") in html
    response = signed_in.post(reverse("providers:leave_cancel", args=[leave.pk]))
    assert response.status_code == 302
    assert not Leave.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        (5, 3, "ends_on", "The leave must end on or after the day it starts."),
        (-5, -3, "ends_on", "The leave is already over."),
        (None, 3, "starts_on", "This field is required."),
    ],
)
def test_leave_refuses_bad_input(signed_in, provider, starts, ends, field, message):
    today = timezone.localdate()
    signed_in.cookies["django_language"] = "en"
    data = {"ends_on": (today + dt.timedelta(days=ends)).isoformat()}
    if starts is not None:
        data["starts_on"] = (today + dt.timedelta(days=starts)).isoformat()
    response = signed_in.post(reverse("providers:leave"), data)
    assert response.status_code == 200
    with override("en"):
        assert list(response.context["form"].errors[field]) == [message]
    assert not Leave.objects.exists()


def test_another_providers_leave_cannot_be_cancelled(client, provider):
    today = timezone.localdate()
    leave = Leave.objects.create(
        provider=provider, starts_on=today, ends_on=today + dt.timedelta(days=1)
    )
    client.force_login(ProviderFactory().user)
    assert client.post(reverse("providers:leave_cancel", args=[leave.pk])).status_code == 404
    assert client.get(reverse("providers:leave_cancel", args=[leave.pk])).status_code == 405
    assert Leave.objects.filter(pk=leave.pk).exists()


# --- earnings and profile --------------------------------------------------------------------


def test_earnings_count_completed_jobs_only(signed_in, provider, customer):
    done = book(provider, customer, days=2)
    bookings.booking_accept(booking=done, acting_user=provider.user)
    start, end = codes_sent(done)
    bookings.booking_start(booking=done, code=start, acting_user=provider.user)
    bookings.booking_finish(booking=done, code=end, acting_user=provider.user)
    bookings.booking_accept(booking=book(provider, customer, days=3), acting_user=provider.user)
    book(provider, customer, days=4)  # requested
    response = signed_in.get(reverse("providers:earnings"))
    assert response.status_code == 200
    weeks, months = response.context["weeks"], response.context["months"]
    assert len(weeks) == 8 and len(months) == 6
    assert (weeks[0].jobs, weeks[0].total) == (1, done.total)
    assert (months[0].jobs, months[0].total) == (1, done.total)
    assert sum(w.jobs for w in weeks) == 1
    assert done.total == Decimal("350.00")  # ₹300 + ₹50 visiting, no GST
    assert "₹350.00" in response.content.decode()


def test_profile_shows_and_edits_prices(signed_in, provider):
    response = signed_in.get(reverse("providers:profile"))
    assert response.status_code == 200
    assert "₹300.00" in response.content.decode()
    response = signed_in.post(
        reverse("providers:profile_edit", args=["prices"]),
        {
            "price_electrician": "450",
            "visiting_electrician": "0",
            "free_cancellation_hours": "4",
            "cancellation_fee": "75",
            "included": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:profile")
    offer = provider.offers.get()
    assert (offer.price, offer.visiting_charge) == (Decimal("450.00"), Decimal("0.00"))
    provider.refresh_from_db()
    assert (provider.free_cancellation_hours, provider.cancellation_fee) == (4, Decimal("75.00"))


def test_profile_edit_of_hours_and_unknown_step(signed_in, provider):
    response = signed_in.get(reverse("providers:profile_edit", args=["hours"]))
    assert response.status_code == 200
    assert response.context["mode"] == "profile"
    assert "7 में से चरण" not in response.content.decode()
    assert signed_in.get(reverse("providers:profile_edit", args=["documents"])).status_code == 404


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (reverse("providers:leave"), "<h1>छुट्टी</h1>"),
        (reverse("providers:earnings"), "<h1>कमाई</h1>"),
        (reverse("providers:profile"), "<h1>प्रोफ़ाइल</h1>"),
        (reverse("providers:profile_edit", args=["area"]), "<h1>आप कहां काम करते हैं</h1>"),
        (DASHBOARD, "<h1>मेरा काम</h1>"),
    ],
)
def test_pages_render_in_hindi(signed_in, url, heading):
    response = signed_in.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert heading in html


def test_the_profile_links_the_id_card_once_issued_and_lists_uniforms(signed_in, provider):
    import datetime as dt

    from sevamitra.accounts.models import Role
    from sevamitra.accounts.tests.factories import user_with_roles
    from sevamitra.badges.services import badge_issue, uniform_issue

    page = signed_in.get(reverse("providers:profile")).content.decode()
    assert "badge.pdf" not in page
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    badge = badge_issue(provider=provider, acting_user=officer)
    uniform_issue(
        provider=provider,
        tshirt_size="L",
        cap_size="M",
        issued_on=dt.date(2026, 11, 2),
        acting_user=officer,
    )
    page = signed_in.get(reverse("providers:profile")).content.decode()
    assert reverse("badges:card", args=[provider.pk]) in page and badge.number in page
    assert "02/11/2026" in page
