"""The door check in a real browser: the offline verifier works with the network switched off,
and the live /verify/ page passes the page checks."""

import base64
import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from nacl.signing import SigningKey

from sevamitra.badges import tokens
from sevamitra.badges.tests.factories import issued_badge
from sevamitra.core.tests.browser import audit_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, text, language):
    with override(language):
        field = gettext("Card code or check link")
        button = gettext("Check the card")
    page.get_by_label(field).fill(text)
    page.get_by_role("button", name=button).click()
    result = page.locator("#badge-result")
    result.wait_for(state="visible")
    return result


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_offline_page_verifies_tokens_without_network(open_page, live_server, language):
    badge = issued_badge()
    good = badge.token
    raw = bytearray(base64.urlsafe_b64decode(good + "="))
    raw[4] ^= 1  # another provider id under the same signature
    tampered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    today = timezone.localdate()
    expired = tokens.sign(
        tokens.BadgeClaims(
            provider_id=badge.provider_id,
            badge_number=badge.pk,
            issued_on=today - dt.timedelta(days=400),
            valid_until=today - dt.timedelta(days=35),
        )
    )

    page = open_page(language=language)
    page.goto("/verify/offline/")
    audit_page(page, area="badge", name="offline", language=language)
    page.context.set_offline(True)

    result = _check(page, f"{live_server.url}/verify/{good}", language)
    assert result.get_attribute("data-verdict") == "valid"
    assert result.locator('[lang="hi"]').first.inner_text() == "मान्य"
    assert result.locator('[lang="en"]').first.inner_text() == "VALID"
    assert result.locator('[data-part="number"]').inner_text() == badge.number
    assert result.locator('[data-part="valid"]').inner_text() == badge.valid_until.strftime(
        "%d/%m/%Y"
    )

    result = _check(page, tampered, language)
    assert result.get_attribute("data-verdict") == "not_valid"
    assert result.locator('[lang="en"]').first.inner_text() == "NOT VALID"
    assert result.locator('[data-part="facts"]').is_hidden()

    assert _check(page, good[:-3], language).get_attribute("data-verdict") == "not_valid"
    assert _check(page, expired, language).get_attribute("data-verdict") == "expired"
    other_key = tokens.sign(badge.claims, key=SigningKey.generate())
    assert _check(page, other_key, language).get_attribute("data-verdict") == "not_valid"
    assert page.url.endswith("/verify/offline/")  # all of it checked in the page


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_live_check_page(open_page, language):
    badge = issued_badge()
    page = open_page(language=language)
    page.goto(f"/verify/{badge.token}")
    assert page.get_by_role("heading", level=2).first.inner_text().split() == [
        "मान्य",
        "/",
        "VALID",
    ]
    audit_page(page, area="badge", name="verify", language=language, allowed={"VALID", "SM"})
