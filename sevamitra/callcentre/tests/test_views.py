"""The console over HTTP: who gets in, each form's happy path and its refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.models import Booking
from sevamitra.bookings.services import booking_create
from sevamitra.callcentre import services
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.notifications.models import Message
from sevamitra.providers.services import provider_set_weekly_availability
from sevamitra.providers.tests.factories import ProviderFactory, district

from .conftest import GOMTI_NAGAR, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def call(agent, caller):
    return services.call_start(phone=caller.phone, acting_user=agent)


def search(day, **extra):
    return {
        "q": "nal wala",
        "place": GOMTI_NAGAR,
        "date": day.isoformat(),
        "time": "10:00",
        "hours": "2",
        **extra,
    }


def html(response) -> str:
    return response.content.decode()


# --- who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/agent/", "/agent/calls/1/", "/agent/caller/?phone=9811112222", "/agent/localities/"]
)
def test_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=/agent/")


@pytest.mark.parametrize("roles", [(Role.CITIZEN,), (Role.PROVIDER,), (Role.DISTRICT_OFFICER,)])
def test_people_without_the_agent_role_are_refused(client, roles):
    client.force_login(user_with_roles(*roles))
    response = client.get("/agent/")
    assert response.status_code == 403
    assert "केवल कॉल सेंटर एजेंटों के लिए" in html(response)
    response = client.post("/agent/calls/", {"phone": "9811112222"})
    assert response.status_code == 403
    assert Call.objects.count() == 0


def test_an_agent_cannot_open_another_agents_call(client, other_agent, call):
    client.force_login(other_agent)
    assert client.get(f"/agent/calls/{call.pk}/").status_code == 404
    response = client.post(f"/agent/calls/{call.pk}/close/", {"outcome": "enquiry"})
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.is_open


# --- the empty console ------------------------------------------------------------------------


def test_the_console_is_in_hindi_with_the_number_field_focused(agent_client):
    response = agent_client.get("/agent/")
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="hi">' in page
    assert "कॉल करने वाले का मोबाइल नंबर" in page
    assert 'accesskey="n"' in page
    assert "autofocus" in page.split('name="phone"')[1].split(">")[0]
    assert page.count("autofocus") == 1
    assert "आज आपकी कॉल" in page
    assert 'src="/static/js/agent.js"' in page


def test_the_console_in_english(agent_client):
    agent_client.cookies["django_language"] = "en"
    page = html(agent_client.get("/agent/"))
    assert "Caller&#x27;s mobile number" in page
    assert "Your calls today" in page


def test_typing_a_number_opens_the_call(agent_client, agent, caller):
    response = agent_client.post("/agent/calls/", {"phone": "98111 12222"})
    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agent/calls/{call.pk}/"
    assert (call.agent, call.caller, call.outcome) == (agent, caller, "")


def test_a_bad_number_is_a_form_error_in_hindi(agent_client):
    response = agent_client.post("/agent/calls/", {"phone": "12345"})
    assert response.status_code == 400
    assert "कृपया ये सुधारें" in html(response)
    assert Call.objects.count() == 0


def test_an_open_call_is_offered_to_continue(agent_client, call):
    page = html(agent_client.get("/agent/"))
    assert f'href="/agent/calls/{call.pk}/"' in page
    assert "अब भी खुली है" in page


# --- the caller panel -------------------------------------------------------------------------


def test_the_call_shows_the_callers_profile_addresses_and_bookings(
    agent_client, call, caller, plumber, day
):
    past_day = timezone.localdate() - dt.timedelta(days=3)
    booked = booking_create(
        offer=plumber, customer=caller, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="B-12", acting_user=caller,
    ).booking  # fmt: skip
    old = Booking.objects.create(
        customer=caller, provider=plumber.provider, category=plumber.category, kind="visit",
        channel="phone", starts_at=at(past_day, "10:00"), ends_at=at(past_day, "11:00"),
        status="completed", address="B-12", quote={}, total=Decimal("350"), terms={},
        created_by=caller,
    )  # fmt: skip
    page = html(agent_client.get(f"/agent/calls/{call.pk}/"))
    assert "Asha Verma" in page
    assert "हिन्दी" in page
    assert "B-12, Vipin Khand, Gomti Nagar, 226010" in page
    upcoming = page.split("आने वाली बुकिंग")[1].split("पिछली बुकिंग")[0]
    assert f"#{booked.pk} प्लंबर" in upcoming
    assert f"/agent/calls/{call.pk}/bookings/{booked.pk}/cancel/" in upcoming
    assert f"#{old.pk} प्लंबर" in page.split("पिछली बुकिंग")[1]
    # The service field has the cursor; the number field does not.
    assert "autofocus" in page.split('name="q"')[1].split(">")[0]
    assert page.count("autofocus") == 1


def test_another_customers_bookings_are_not_shown(agent_client, call, plumber, day):
    stranger = UserFactory(name="Stranger Person")
    theirs = booking_create(
        offer=plumber, customer=stranger, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="Secret Lane", acting_user=stranger,
    ).booking  # fmt: skip
    page = html(agent_client.get(f"/agent/calls/{call.pk}/"))
    assert f"#{theirs.pk} " not in page
    assert "Secret Lane" not in page
    url = f"/agent/calls/{call.pk}/bookings/{theirs.pk}/cancel/"
    assert agent_client.get(url).status_code == 404
    assert agent_client.post(url, {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_the_caller_page_makes_a_fixed_number_of_queries(
    agent_client, call, django_assert_num_queries
):
    agent_client.get(f"/agent/calls/{call.pk}/")  # warm the session and caches
    # session, user, call, roles, district scope, addresses, upcoming, past, today ×2, (admin)
    with django_assert_num_queries(10):
        agent_client.get(f"/agent/calls/{call.pk}/")


def test_an_unknown_caller_is_registered_from_the_call(agent_client, agent):
    services.call_start(phone="9822223333", acting_user=agent)
    call = Call.objects.get()
    page = html(agent_client.get(f"/agent/calls/{call.pk}/"))
    assert "नया नंबर" in page
    assert 'name="q"' not in page  # no search before the caller is registered
    response = agent_client.post(
        f"/agent/calls/{call.pk}/register/", {"name": "Ramu Yadav", "language": "en"}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.caller.name, call.caller.preferred_language) == ("Ramu Yadav", "en")


def test_registering_without_a_name_is_a_form_error(agent_client, agent):
    call = services.call_start(phone="9822223333", acting_user=agent)
    response = agent_client.post(f"/agent/calls/{call.pk}/register/", {"language": "hi"})
    assert response.status_code == 400
    assert "कृपया ये सुधारें" in html(response)
    assert not User.objects.filter(phone="9822223333").exists()


# --- search -----------------------------------------------------------------------------------


def test_searching_lists_the_nearest_free_sevamitras_with_price(agent_client, call, plumber, day):
    far = ProviderFactory(
        name_hi="दूर वाला", home_lat=26.84, home_lng=80.93, offers=[("plumber", "200", "0")]
    )
    response = agent_client.get(f"/agent/calls/{call.pk}/", search(day))
    page = html(response)
    assert response.status_code == 200
    assert "2 सेवामित्र खाली" in page
    assert page.index("सुनीता देवी") < page.index("दूर वाला")
    assert "₹350.00" in page  # ₹300 + ₹50 visiting charge
    # The nearest is chosen and focused, the saved address at that pincode chosen: one key books.
    first = page.split(f'id="offer-{plumber.pk}"')[1].split(">")[0]
    assert "checked" in first and "autofocus" in first
    assert "checked" not in page.split(f'id="offer-{far.offers.get().pk}"')[1].split(">")[0]
    home = call.caller.addresses.get()
    assert "checked" in page.split(f'id="address-{home.pk}"')[1].split(">")[0]
    assert page.count("autofocus") == 1


def test_a_locality_name_finds_its_pincode(agent_client, call, plumber, day):
    page = html(agent_client.get(f"/agent/calls/{call.pk}/", search(day, place="gomti nagar")))
    assert "Gomti Nagar" in page and "226010" in page
    assert "1 सेवामित्र खाली" in page


def test_an_ambiguous_locality_offers_choices(agent_client, call, day):
    response = agent_client.get(f"/agent/calls/{call.pk}/", search(day, place="gomti"))
    page = html(response)
    assert "कई इलाके मिलते हैं" in page
    assert "place=Gomti+Nagar+226010" in page
    assert "लखनऊ" in page


def test_an_unknown_word_suggests_services(agent_client, call, day):
    page = html(agent_client.get(f"/agent/calls/{call.pk}/", search(day, q="elec")))
    assert "क्या आपका मतलब था" in page
    assert "q=Electrician&amp;place=226010" in page
    assert "autofocus" in page.split('name="q"')[1].split(">")[0]
    assert page.count("autofocus") == 1
    page = html(agent_client.get(f"/agent/calls/{call.pk}/", search(day, q="qqqq")))
    assert "हमें “qqqq” नाम की कोई सेवा नहीं मिली" in page


def test_a_past_time_is_a_form_error(agent_client, call):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = html(agent_client.get(f"/agent/calls/{call.pk}/", search(yesterday)))
    assert "कृपया ये सुधारें" in page


def test_nobody_free_offers_to_close_the_call_as_such(agent_client, call, day):
    page = html(agent_client.get(f"/agent/calls/{call.pk}/", search(day)))
    assert "इस समय कोई खाली नहीं है" in page
    button = page.split('value="no_provider"')[1]
    assert "autofocus" in button.split("</form>")[0]


def test_a_district_agent_cannot_search_elsewhere(client, caller, day):
    kanpur_agent = user_with_roles(Role.AGENT, district=district("KANPUR NAGAR"))
    client.force_login(kanpur_agent)
    call = services.call_start(phone=caller.phone, acting_user=kanpur_agent)
    page = html(client.get(f"/agent/calls/{call.pk}/", search(day)))
    assert "आप दूसरे ज़िलों की कॉल लेते हैं" in page


# --- booking ----------------------------------------------------------------------------------


def test_booking_for_the_caller_closes_the_call_and_says_codes_go_by_sms(
    agent_client, call, caller, plumber, day
):
    home = caller.addresses.get()
    data = {**search(day), "offer": plumber.pk, "address": home.pk, "notes": ""}
    response = agent_client.post(f"/agent/calls/{call.pk}/book/", data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.customer, booking.channel, booking.pincode) == (caller, "phone", GOMTI_NAGAR)
    assert timezone.localtime(booking.starts_at).strftime("%H:%M") == "10:00"
    assert timezone.localtime(booking.ends_at).strftime("%H:%M") == "12:00"
    call.refresh_from_db()
    assert (call.outcome, call.booking) == ("booked", booking)
    page = html(agent_client.get(response["Location"]))
    assert "कोड एसएमएस से कॉल करने वाले को भेज दिए गए" in page
    assert Message.objects.filter(user=caller, event="booking.codes").count() == 1
    # The codes themselves appear nowhere on the agent's screen.
    codes = Message.objects.get(user=caller, event="booking.codes").body
    for code in [w for w in codes.replace(".", " ").split() if len(w) == 4 and w.isdigit()]:
        assert f">{code}<" not in page and f" {code} " not in page
    # The number field has the cursor for the next caller.
    assert "autofocus" in page.split('name="phone"')[1].split(">")[0]


def test_booking_at_another_address_needs_the_address(agent_client, call, plumber, day):
    data = {**search(day), "offer": plumber.pk, "address": "new", "address_line": ""}
    response = agent_client.post(f"/agent/calls/{call.pk}/book/", data)
    assert response.status_code == 400
    assert "काम की जगह का पता लिखें" in html(response)
    assert Booking.objects.count() == 0
    data["address_line"] = "House 4, Patrakarpuram"
    assert agent_client.post(f"/agent/calls/{call.pk}/book/", data).status_code == 302
    assert Booking.objects.get().address == "House 4, Patrakarpuram"


def test_booking_an_offer_of_another_service_is_refused(agent_client, call, caller, day):
    electrician = ProviderFactory(offers=[("electrician", "300", "0")]).offers.get()
    data = {**search(day), "offer": electrician.pk, "address": caller.addresses.get().pk}
    response = agent_client.post(f"/agent/calls/{call.pk}/book/", data)
    assert response.status_code == 400
    assert Booking.objects.count() == 0
    call.refresh_from_db()
    assert call.is_open


def test_booking_a_slot_taken_meanwhile_says_so_and_searches_again(
    agent_client, call, caller, plumber, day
):
    other = UserFactory()
    booking_create(
        offer=plumber, customer=other, start=at(day, "11:00"), end=at(day, "12:00"),
        kind="visit", channel="web", address="x", acting_user=other,
    )  # fmt: skip
    data = {**search(day), "offer": plumber.pk, "address": caller.addresses.get().pk}
    response = agent_client.post(f"/agent/calls/{call.pk}/book/", data)
    page = html(response)
    assert response.status_code == 400
    assert "कृपया ये सुधारें" in page
    assert "इस समय कोई खाली नहीं है" in page
    assert Booking.objects.filter(customer=caller).count() == 0


def test_someone_elses_address_id_is_a_form_error(agent_client, call, plumber, day):
    stranger = UserFactory()
    theirs = stranger.addresses.create(label="Home", line="Secret", pincode=GOMTI_NAGAR)
    data = {**search(day), "offer": plumber.pk, "address": theirs.pk}
    response = agent_client.post(f"/agent/calls/{call.pk}/book/", data)
    assert response.status_code == 400
    assert Booking.objects.count() == 0


# --- closing ----------------------------------------------------------------------------------


def test_closing_the_call_records_the_outcome(agent_client, call):
    response = agent_client.post(
        f"/agent/calls/{call.pk}/close/",
        {"outcome": "complaint", "notes": "Sevamitra came late", "pincode": GOMTI_NAGAR},
    )
    assert response.status_code == 302
    assert response["Location"] == "/agent/"
    call.refresh_from_db()
    assert (call.outcome, call.notes, call.pincode) == (
        "complaint",
        "Sevamitra came late",
        "226010",
    )
    page = html(agent_client.get("/agent/"))
    assert "कॉल बंद: शिकायत" in page


def test_closing_with_no_provider_free_keeps_the_service_asked_for(agent_client, call):
    agent_client.post(
        f"/agent/calls/{call.pk}/close/",
        {"outcome": "no_provider", "category": "plumber", "pincode": GOMTI_NAGAR},
    )
    call.refresh_from_db()
    assert (call.outcome, call.category.slug) == (CallOutcome.NO_PROVIDER, "plumber")


@pytest.mark.parametrize("outcome", ["booked", "", "lost"])
def test_closing_with_a_bad_outcome_is_a_form_error(agent_client, call, outcome):
    response = agent_client.post(f"/agent/calls/{call.pk}/close/", {"outcome": outcome})
    assert response.status_code == 400
    assert "कृपया ये सुधारें" in html(response)
    call.refresh_from_db()
    assert call.is_open


def test_todays_panel_shows_the_conversion(agent_client, agent, caller):
    for outcome in ("enquiry", "complaint", "no_provider"):
        c = services.call_start(phone=caller.phone, acting_user=agent)
        services.call_close(call=c, outcome=outcome, acting_user=agent)
    page = html(agent_client.get("/agent/"))
    assert "3 में से 0 पूरी कॉल में बुकिंग: 0%" in page


# --- changing the caller's bookings -----------------------------------------------------------


@pytest.fixture
def callers_booking(caller, plumber, day):
    return booking_create(
        offer=plumber, customer=caller, start=at(day, "10:00"), end=at(day, "11:00"),
        kind="visit", channel="web", address="B-12", acting_user=caller,
    ).booking  # fmt: skip


def test_cancel_shows_the_fee_first_then_cancels(agent_client, call, callers_booking):
    url = f"/agent/calls/{call.pk}/bookings/{callers_booking.pk}/cancel/"
    page = html(agent_client.get(url))
    assert "अभी रद्द करना मुफ़्त है" in page
    response = agent_client.post(url, {"reason": ""})
    assert response.status_code == 400
    callers_booking.refresh_from_db()
    assert callers_booking.status == "confirmed"
    response = agent_client.post(url, {"reason": "Plans changed"})
    assert response.status_code == 302
    callers_booking.refresh_from_db()
    assert (callers_booking.status, callers_booking.cancel_reason) == ("cancelled", "Plans changed")
    call.refresh_from_db()
    assert call.booking == callers_booking
    page = html(agent_client.get(f"/agent/calls/{call.pk}/"))
    assert 'value="changed" selected' in page


def test_cancel_late_shows_the_fee(agent_client, agent, caller, plumber):
    # On duty round the clock for this test, so that "within the next two hours" is bookable
    # whatever the time the suite runs.
    provider_set_weekly_availability(
        provider=plumber.provider,
        windows=[(day, 0, 24 * 60) for day in range(7)],
        acting_user=plumber.provider.user,
    )
    soon = timezone.localtime() + dt.timedelta(hours=1)
    start = soon.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    booking = booking_create(
        offer=plumber, customer=caller, start=start, end=start + dt.timedelta(hours=1),
        kind="visit", channel="web", address="B-12", acting_user=caller,
    ).booking  # fmt: skip
    call = services.call_start(phone=caller.phone, acting_user=agent)
    page = html(agent_client.get(f"/agent/calls/{call.pk}/bookings/{booking.pk}/cancel/"))
    assert "₹100.00" in page


def test_reschedule_moves_the_booking(agent_client, call, callers_booking, day):
    url = f"/agent/calls/{call.pk}/bookings/{callers_booking.pk}/reschedule/"
    page = html(agent_client.get(url))
    assert f'value="{day.isoformat()}" selected' in page
    response = agent_client.post(url, {"date": day.isoformat(), "time": "15:00", "hours": "1"})
    assert response.status_code == 302
    callers_booking.refresh_from_db()
    assert timezone.localtime(callers_booking.starts_at).strftime("%H:%M") == "15:00"


def test_reschedule_outside_working_hours_is_a_form_error(agent_client, call, callers_booking, day):
    url = f"/agent/calls/{call.pk}/bookings/{callers_booking.pk}/reschedule/"
    response = agent_client.post(url, {"date": day.isoformat(), "time": "21:00", "hours": "1"})
    assert response.status_code == 400
    assert "यह सेवामित्र इस समय काम नहीं करते" in html(response)
    callers_booking.refresh_from_db()
    assert timezone.localtime(callers_booking.starts_at).strftime("%H:%M") == "10:00"


def test_codes_are_resent_by_sms_without_showing_them(agent_client, call, caller, callers_booking):
    url = f"/agent/calls/{call.pk}/bookings/{callers_booking.pk}/codes/"
    response = agent_client.post(url)
    assert response.status_code == 302
    assert Message.objects.filter(user=caller, event="booking.codes").count() == 2


def test_a_closed_calls_bookings_cannot_be_changed(agent_client, agent, call, callers_booking):
    services.call_close(call=call, outcome="enquiry", acting_user=agent)
    url = f"/agent/calls/{call.pk}/bookings/{callers_booking.pk}/cancel/"
    assert agent_client.post(url, {"reason": "x"}).status_code == 404
    callers_booking.refresh_from_db()
    assert callers_booking.status == "confirmed"


# --- helpers for the script -------------------------------------------------------------------


def test_the_caller_preview_names_a_known_caller(agent_client, caller):
    page = html(agent_client.get("/agent/caller/", {"phone": "9811112222"}))
    assert "Asha Verma" in page
    assert "1 सहेजा पता" in page
    assert Call.objects.count() == 0  # looking is not a call


def test_the_caller_preview_of_a_new_number(agent_client):
    assert "नया नंबर" in html(agent_client.get("/agent/caller/", {"phone": "9822223333"}))
    assert html(agent_client.get("/agent/caller/", {"phone": "123"})) == ""


def test_locality_suggestions(agent_client):
    data = agent_client.get("/agent/localities/", {"q": "gomti nagar"}).json()
    assert data["localities"][0] == {"value": "Gomti Nagar 226010", "label": "लखनऊ"}
