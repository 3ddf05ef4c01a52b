"""Linking and sharing in a real browser, in Hindi and in English: a Sevamitra links their
employment-exchange registration (number → preview → confirm), then agrees to share their work
history; the worker delivers the signed record to the (loopback) exchange.

Every page on the way passes audit_page (axe, weight, untranslated text, 360 px) with
screenshots var/screenshots/employment-<page>-<lang>-<360|desktop>.png.
"""

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.core.tests.browser import MOBILE, audit_page, sign_in
from sevamitra.employment import selectors
from sevamitra.employment.models import EmploymentLink, WorkHistoryShare
from sevamitra.employment.tests.conftest import run_jobs
from sevamitra.employment.tests.exchange import registration
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# One number per run: sign-in codes are rate-limited per number.
PHONES = {"hi": "9876511101", "en": "9876511102"}
NUMBERS = {"hi": "UPLKO2024001101", "en": "UPLKO2024001102"}


@pytest.mark.parametrize("language", ["hi", "en"])
def test_link_then_share(open_page, reference_data, exchange, language):
    phone, number = PHONES[language], NUMBERS[language]
    exchange.add(registration(number, mobile=phone))
    ProviderFactory(user=UserFactory(phone=phone), offers=[("electrician", "300", "50")])
    with override(language):
        names = {
            "link": _("Link my registration"),
            "number": _("Employment-exchange registration number"),
            "find": _("Find my registration"),
            "yes": _("Yes, link this registration"),
            "linked": _("Your registration is linked to your account."),
            "share": _("Share my work history"),
            "consent": _(
                "I agree: Sevamitra may send my work-history record to the employment exchange "
                "and keep it up to date there until I withdraw."
            ),
            "sharing": _("You are sharing"),
        }

    page = open_page(language=language, viewport=MOBILE)
    sign_in(page, phone, "/employment/")
    assert page.url.endswith("/employment/")
    audit_page(page, area="employment", name="overview", language=language)

    with page.expect_navigation():
        page.get_by_role("link", name=names["link"]).click()
    # The example number in the help text is a code, the same in both languages.
    audit_page(page, area="employment", name="link", language=language, allowed={"UPLKO"})
    page.get_by_label(names["number"]).fill(number.lower())
    with page.expect_navigation():
        page.get_by_role("button", name=names["find"]).click()
    audit_page(page, area="employment", name="preview", language=language)
    assert EmploymentLink.objects.count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name=names["yes"]).click()
    assert page.get_by_role("status").get_by_text(names["linked"]).count() == 1
    audit_page(page, area="employment", name="linked", language=language)
    assert EmploymentLink.objects.get().registration_number == number

    with page.expect_navigation():
        page.get_by_role("link", name=names["share"]).click()
    audit_page(page, area="employment", name="share", language=language, allowed={"JSON"})
    page.get_by_label(names["consent"]).check()
    with page.expect_navigation():
        page.get_by_role("button", name=names["share"]).click()
    assert page.get_by_role("heading", name=names["sharing"]).count() == 1
    audit_page(page, area="employment", name="sharing", language=language, allowed={"JSON"})

    assert run_jobs() == 1
    share = WorkHistoryShare.objects.get()
    assert exchange.records == {number: share.record}
    assert selectors.record_claims(share.record)["registration_number"] == number
