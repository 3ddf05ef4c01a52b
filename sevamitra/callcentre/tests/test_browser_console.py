"""The call-centre console in a real browser, driven by the keyboard only (no clicks): an agent
books a plumber for a known caller, then closes a call with nobody free. Timed and counted.

Each state of the console (empty, with a caller, with results, after booking) is checked for
accessibility (axe), page weight and, in Hindi, untranslated text, and photographed at 360 px
and on a desktop.
"""

import datetime as dt
import time

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sevamitra.accounts.models import Address, Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.models import Booking
from sevamitra.callcentre.models import Call
from sevamitra.core.tests.browser import (
    DESKTOP,
    audit_page,
    sign_in,
)
from sevamitra.notifications.models import Message
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A quick agent types about four keys a second and takes a second to read each new screen.
SECONDS_PER_KEY = 0.25
SECONDS_PER_SCREEN = 1.0
# Each test signs in with its own number: sign-in codes are rate-limited per number.
AGENT_PHONES = {
    ("book", "hi"): "9000000011",
    ("book", "en"): "9000000012",
    ("nobody", "hi"): "9000000013",
    ("nobody", "en"): "9000000014",
}


class Keyboard:
    """page.keyboard, counting every key the agent presses and every screen they wait for."""

    def __init__(self, page):  # type: ignore[no-untyped-def]
        self.page = page
        self.keys = 0
        self.screens = 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.keys += len(text)

    def press(self, key: str, times: int = 1) -> None:
        for _i in range(times):
            self.page.keyboard.press(key)
        self.keys += times

    def submit(self, key: str = "Enter") -> None:
        """A key that sends a form: wait for the next screen."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()
        self.keys += 1
        self.screens += 1

    def access_key(self, letter: str, *, submits: bool = False) -> None:
        """Alt+letter, the page's documented access key. Sent through the DevTools protocol
        with the unmodified text, as a real keyboard does (Playwright's press("Alt+b") leaves
        it out, and Chromium then ignores access keys)."""
        cdp = self.page.context.new_cdp_session(self.page)
        event = {
            "modifiers": 1,  # Alt
            "key": letter,
            "code": f"Key{letter.upper()}",
            "windowsVirtualKeyCode": ord(letter.upper()),
            "unmodifiedText": letter,
            "text": letter,
        }

        def press() -> None:
            cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", **event})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})

        if submits:
            with self.page.expect_navigation():
                press()
            self.page.wait_for_load_state()
            self.screens += 1
        else:
            press()
        cdp.detach()
        self.keys += 1

    @property
    def agent_seconds(self) -> float:
        return self.keys * SECONDS_PER_KEY + self.screens * SECONDS_PER_SCREEN


def check_page(page, name: str, language: str) -> None:  # type: ignore[no-untyped-def]
    audit_page(page, area="agent", name=name, language=language)


def wait_for_focus(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """As the agent waits for the cursor: the browser applies `autofocus` a moment after the
    page has loaded, and keys typed before it would go nowhere."""
    page.wait_for_function(
        "name => document.activeElement && document.activeElement.name === name", arg=name
    )


@pytest.mark.parametrize(("language", "word"), [("hi", "nal wala"), ("en", "plumber")])
def test_agent_books_a_known_caller_from_the_keyboard_in_under_a_minute(open_page, language, word):
    agent = user_with_roles(Role.AGENT, phone=AGENT_PHONES["book", language], name="Agent Meera")
    caller = UserFactory(phone="9811112222", name="Asha Verma", preferred_language="hi")
    Address.objects.create(
        user=caller, label="Home", line="B-12, Vipin Khand", locality="Gomti Nagar",
        pincode="226010", lat=26.852, lng=81.0,
    )  # fmt: skip
    plumber = ProviderFactory(
        name_hi="सुनीता देवी", name_latin="Sunita Devi", auto_accept=True,
        offers=[("plumber", "300", "50")],
    )  # fmt: skip
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override(language):
        tomorrow_label = formats.date_format(tomorrow, "SHORT_DATE_FORMAT")
        sent = _("Codes sent by SMS to the caller.")

    page = open_page(language=language, viewport=DESKTOP)
    sign_in(page, agent.phone, "/agent/")
    assert page.url.endswith("/agent/")
    wait_for_focus(page, "phone")
    check_page(page, "console", language)

    keyboard = Keyboard(page)
    started = time.monotonic()
    # 1. The number: the call opens with the caller's profile and saved address.
    keyboard.type(caller.phone)
    # agent.js names the caller as soon as the tenth digit is typed.
    page.locator("#caller-preview").get_by_text("Asha Verma").wait_for()
    keyboard.submit()
    assert "Asha Verma" in page.locator(".caller").inner_text()
    assert "B-12, Vipin Khand, Gomti Nagar, 226010" in page.locator(".caller").inner_text()
    wait_for_focus(page, "q")
    # 2. What, where, when: the caller's words, the pincode, tomorrow at 10:00 for 2 hours.
    keyboard.type(word)
    keyboard.press("Tab")
    keyboard.type("226010")
    keyboard.press("Tab")
    keyboard.type(tomorrow_label[:5])  # type-ahead in the list of dates: "29/11"
    keyboard.press("Tab")
    keyboard.type("10:00")  # type-ahead in the list of times
    keyboard.press("Tab", times=2)  # the length (2 hours) stays; on to the button
    keyboard.submit()
    # 3. The nearest free plumber is chosen and focused, the saved address chosen: Alt+B books.
    wait_for_focus(page, "offer")
    assert page.locator(f"#offer-{plumber.offers.get().pk}").is_checked()
    paused = time.monotonic()
    check_page(page, "results", language)
    Keyboard(page).access_key("s")  # the documented keys work: to the service field…
    wait_for_focus(page, "q")
    Keyboard(page).access_key("c")  # …to the call's outcome…
    wait_for_focus(page, "outcome")
    Keyboard(page).access_key("n")  # …and to the number field
    wait_for_focus(page, "phone")
    started += time.monotonic() - paused  # checks are not agent time
    keyboard.access_key("b", submits=True)
    elapsed = time.monotonic() - started
    assert sent in page.locator("main").inner_text()

    booking = Booking.objects.get()
    assert (booking.customer, booking.channel, booking.created_by) == (caller, "phone", agent)
    assert booking.category.slug == "plumber"
    assert timezone.localtime(booking.starts_at) == timezone.make_aware(
        dt.datetime.combine(tomorrow, dt.time(10, 0))
    )
    assert booking.address == "B-12, Vipin Khand, Gomti Nagar, 226010"
    sms = Message.objects.get(user=caller, event="booking.codes")
    assert sms.to == "+919811112222"
    call = Call.objects.get()
    assert (call.outcome, call.booking) == ("booked", booking)
    # The caller's codes are never on the agent's screen.
    codes = [w for w in sms.body.replace(".", " ").split() if len(w) == 4 and w.isdigit()]
    assert len(codes) == 2
    text = page.locator("main").inner_text()
    assert not any(f" {code} " in f" {text} " for code in codes)
    print(
        f"\n[{language}] booking by keyboard: {keyboard.keys} keys, {keyboard.screens} screens, "
        f"{elapsed:.1f} s in the browser, ~{keyboard.agent_seconds:.0f} s of agent time"
    )
    assert keyboard.keys <= 45
    assert keyboard.agent_seconds < 30
    assert elapsed < 30
    wait_for_focus(page, "phone")  # ready for the next caller
    check_page(page, "booked", language)


@pytest.mark.parametrize("language", ["hi", "en"])
def test_a_call_with_nobody_free_is_closed_as_such(open_page, language):
    agent = user_with_roles(Role.AGENT, phone=AGENT_PHONES["nobody", language], name="Agent Meera")
    UserFactory(phone="9811112222", name="Asha Verma")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override(language):
        tomorrow_label = formats.date_format(tomorrow, "SHORT_DATE_FORMAT")
        nobody = _("Nobody is free at this time. Offer the caller another time, or close the call.")
        closed = _("Call closed: %(outcome)s.") % {"outcome": _("No Sevamitra free")}

    page = open_page(language=language, viewport=DESKTOP)
    sign_in(page, agent.phone, "/agent/")
    wait_for_focus(page, "phone")
    keyboard = Keyboard(page)
    keyboard.type("9811112222")
    keyboard.submit()
    check_page(page, "caller", language)
    wait_for_focus(page, "q")
    keyboard.type("bijli wala" if language == "hi" else "electrician")
    keyboard.press("Tab")
    keyboard.type("226010")
    keyboard.press("Tab")
    keyboard.type(tomorrow_label[:5])
    keyboard.press("Tab", times=3)  # time and length stay: on to the button
    keyboard.submit()
    assert nobody in page.locator("main").inner_text()
    keyboard.submit()  # the focused button: "Close the call: no Sevamitra free"
    assert closed in page.locator("main").inner_text()
    call = Call.objects.get()
    assert (call.outcome, call.category.slug, call.pincode) == (
        "no_provider",
        "electrician",
        "226010",
    )
    assert call.ended_at is not None
