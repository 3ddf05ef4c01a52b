"""A citizen's journey in a real browser, in Hindi and in English: search a plumber near
226010 for tomorrow, book (signing in only then), find the booking, cancel it for free.

Every page on the way is checked at 360 px and on a desktop: screenshots
(var/screenshots/citizen-<page>-<lang>-<360|desktop>.png), axe (no serious or critical WCAG
A/AA violations), weight (under the page budget) and, in Hindi, no untranslated text.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sevamitra.accounts.models import Address, User
from sevamitra.bookings import services
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.core.tests.browser import (
    MOBILE,
    audit_page,
    last_sms_code,
    sign_in,
)
from sevamitra.providers.tests.factories import ProviderFactory, local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# One number a test: sign-in codes are rate-limited per number, whatever the test.
PHONES = {"hi": "9876501234", "en": "9876501235", "404": "9876501236", "series": "9876501237"}
# What the citizen types, in the language of the run.
TYPED = {
    "hi": {"q": "प्लंबर", "line": "बी-12, विपिन खंड", "locality": "गोमती नगर", "label": "घर"},
    "en": {"q": "plumber", "line": "B-12, Vipin Khand", "locality": "Gomti Nagar", "label": "Home"},
}


@pytest.fixture
def plumber(reference_data):
    """Verified, accepts at once, works 08:00–20:00 every day, lives 6 km from 226010."""
    return ProviderFactory(
        name_hi="रमेश कुमार",
        name_latin="Ramesh Kumar",
        auto_accept=True,
        free_cancellation_hours=2,
        cancellation_fee=Decimal("100"),
        terms_included="जाँच और छोटी मरम्मत",
        experience_years=7,
        hours=[(d, "08:00", "20:00") for d in range(7)],
        offers=[("plumber", "300", "50")],
    )


def check(page, name: str, language: str) -> None:
    audit_page(page, area="citizen", name=name, language=language)


@pytest.mark.parametrize("language", ["hi", "en"])
def test_search_book_find_and_cancel_for_free(open_page, plumber, language):
    typed = TYPED[language]
    phone = PHONES[language]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = open_page(language=language, viewport=MOBILE)
    with override(language):
        # The landing page: what, where, when.
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == language
        check(page, "home", language)
        page.get_by_label(_("Which service?")).fill(typed["q"])
        page.get_by_label(_("Pincode or locality")).fill("226010")
        page.get_by_label(_("Date")).fill(tomorrow.isoformat())
        page.get_by_label(_("From (time)")).fill("10:00")
        page.get_by_label(_("Until (time)")).fill("12:00")
        page.get_by_role("button", name=_("Find a Sevamitra")).click()

        # Results: price and the provider's own terms.
        page.wait_for_url(re.compile(r"\?q="))
        result = page.locator("ol.results > li")
        assert result.count() == 1
        assert plumber.display_name in result.inner_text()
        assert "₹350.00" in result.inner_text()
        assert "₹100.00" in result.inner_text()  # the fee after the free window
        assert "जाँच और छोटी मरम्मत" in result.inner_text()
        check(page, "results", language)
        page.get_by_role("link", name=f"{_('Book')} {plumber.display_name}").click()

        # Signing in only now, with the code from the SMS; then back to the booking page.
        page.wait_for_url(re.compile("/accounts/signin/"))
        check(page, "signin", language)
        page.locator("input[name=phone]").fill(phone)
        with page.expect_navigation():
            page.locator("input[name=phone]").press("Enter")
        page.locator("input[name=code]").fill(last_sms_code(phone))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_url(re.compile("/book/"))
        assert "₹350.00" in page.locator("table.price-lines").inner_text()
        check(page, "book", language)
        page.get_by_label(_("House, street and landmark")).fill(typed["line"])
        page.get_by_label(_("Locality")).fill(typed["locality"])
        assert page.get_by_label(_("Pincode")).input_value() == "226010"
        page.get_by_label(_("Save this address for next time")).check()
        page.get_by_label(_("Name for this address")).fill(typed["label"])
        page.get_by_role("button", name=_("Confirm booking")).click()

        # Confirmed, with the codes shown once.
        page.wait_for_url(re.compile(r"/my/bookings/\d+/booked/"))
        booking = Booking.objects.get()
        assert booking.status == BookingStatus.CONFIRMED
        assert booking.customer.phone == phone and booking.channel == "web"
        assert booking.starts_at == local(tomorrow, "10:00")
        assert page.locator("dd.codes").count() == 2
        assert page.get_by_text(_("Confirmed"), exact=True).is_visible()

        # My bookings.
        page.get_by_role("navigation").get_by_role("link", name=_("My bookings")).click()
        page.wait_for_url(re.compile("/my/bookings/$"))
        check(page, "mine", language)
        page.locator(f"a[href='/my/bookings/{booking.pk}/']").click()

        # The booking, then cancelling it: the fee (₹0.00) is shown before confirming.
        page.wait_for_url(re.compile(rf"/my/bookings/{booking.pk}/$"))
        assert plumber.display_name in page.locator("main").inner_text()
        check(page, "detail", language)
        page.get_by_role("link", name=_("Cancel booking")).click()
        page.wait_for_url(re.compile("/cancel/$"))
        assert "₹0.00" in page.locator(".fee").inner_text()
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CONFIRMED  # only asked so far
        check(page, "cancel", language)
        page.get_by_label(_("My plans changed")).check()
        page.get_by_role("button", name=_("Yes, cancel the booking")).click()
        page.wait_for_url(re.compile(rf"/my/bookings/{booking.pk}/$"))
        assert page.locator(".status-line .status").inner_text() == _("Cancelled")
        booking.refresh_from_db()
        assert (booking.status, booking.cancellation_fee) == (
            BookingStatus.CANCELLED,
            Decimal("0.00"),
        )

        # The address was saved for next time.
        page.goto("/my/addresses/")
        assert Address.objects.get().label == typed["label"]
        assert typed["line"] in page.locator("main").inner_text()
        check(page, "addresses", language)


def test_another_citizens_booking_is_404_in_the_browser(open_page, plumber):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    someone = User.objects.create_user("9876509999")
    theirs = services.booking_create(
        offer=plumber.offers.get(),
        customer=someone,
        start=local(tomorrow, "14:00"),
        end=local(tomorrow, "15:00"),
        kind="visit",
        channel="web",
        address="कहीं और",
        acting_user=someone,
    ).booking
    page = open_page()
    sign_in(page, PHONES["404"])
    response = page.goto(f"/my/bookings/{theirs.pk}/")
    assert response.status == 404
    assert "कहीं और" not in page.content()
    response = page.goto(f"/my/bookings/{theirs.pk}/cancel/")
    assert response.status == 404


def test_use_my_location_and_a_weekly_series_from_a_saved_address(open_page, plumber, live_server):
    """The JavaScript parts: "use my location" fills the point; the booking form shows only
    the fields that apply; a series on chosen weekdays is booked from a saved address."""
    citizen = User.objects.create_user(PHONES["series"])
    home = Address.objects.create(
        user=citizen, label="घर", line="बी-12, विपिन खंड", pincode="226010", lat=26.86, lng=81.0
    )
    page = open_page()
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 26.8643, "longitude": 81.0006})
    sign_in(page, PHONES["series"])
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    with override("hi"):
        page.goto("/")
        page.get_by_label(_("Which service?")).fill("nal wala")
        page.get_by_role("button", name=_("Use my location")).click()
        status = page.locator(".locate-status")
        status.filter(has_text=_("We will search around where you are now.")).wait_for()
        assert page.locator("input[name=lat]").input_value() == "26.86430"
        page.get_by_label(_("Date")).fill(monday.isoformat())
        page.get_by_role("button", name=_("Find a Sevamitra")).click()
        page.wait_for_url(re.compile("lat=26.8643"))
        assert page.locator("ol.results > li").count() == 1
        page.get_by_role("link", name=f"{_('Book')} {plumber.display_name}").click()
        page.wait_for_url(re.compile("/book/"))

        # A saved address is chosen: the new-address fields are out of the way.
        new_address = page.locator(".new-address")
        assert page.get_by_label(home.label, exact=False).is_checked()
        assert new_address.is_hidden()
        series_fields = page.locator(".series-fields")
        assert series_fields.is_hidden()
        page.get_by_label(_("Again and again: a recurring series")).check()
        assert series_fields.is_visible()
        weekdays = page.locator(".weekdays")
        assert weekdays.is_hidden()
        page.get_by_label(_("On chosen weekdays")).check()
        assert weekdays.is_visible()
        page.get_by_label(_("Monday"), exact=True).check()
        page.get_by_label(_("Thursday"), exact=True).check()
        page.get_by_label(_("After a number of visits")).check()
        page.get_by_label(_("Number of visits")).fill("4")
        page.get_by_role("button", name=_("Confirm booking")).click()

        page.wait_for_url(re.compile(r"/my/series/\d+/$"))
        days = [
            (timezone.localtime(b.starts_at).date() - monday).days
            for b in Booking.objects.order_by("starts_at")
        ]
        assert days == [0, 3, 7, 10]
        assert {b.address for b in Booking.objects.all()} == {"बी-12, विपिन खंड, 226010"}
        assert page.locator(".booking-item").count() == 4
        assert page.locator("dd.codes").count() == 2  # the first visit's codes
