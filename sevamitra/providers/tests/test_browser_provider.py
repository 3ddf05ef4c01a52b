"""A Sevamitra's whole journey in a real browser, in Hindi and in English, on a 360 px phone.

She registers from scratch (mobile number and the code from the SMS, every step, a photo and
a police verification certificate, since she is a babysitter), lands on "pending
verification"; the district officer of Lucknow signs in (mobile number and code) and approves
her on his verification page (/officer/verification/), ticking the documents he checked; a
customer books her; she accepts, goes, starts and finishes the job with the customer's codes
and sees the amount in her earnings. Every page of hers is
screenshotted (360 px and desktop), checked with axe, weighed and, in Hindi, checked for
untranslated text.
"""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.bookings.services import booking_create
from sevamitra.catalog.models import Category
from sevamitra.core.formatting import format_inr
from sevamitra.core.tests.browser import (
    DESKTOP,
    MOBILE,
    audit_page,
    last_sms_code,
)
from sevamitra.notifications.models import Message
from sevamitra.providers.models import DocumentKind, Provider, VerificationStatus
from sevamitra.providers.tests.factories import district, local, next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Latin words a Hindi page may show: her name in the example under the name field.
ALLOWED = {"Sunita", "Devi"}


def photo_file() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (180, 120, 90)).save(out, "JPEG")
    return {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


class Checker:
    """Looks at one of her pages as a fresh visitor with her session would: weight with
    nothing cached, axe, screenshots at 360 px and desktop, untranslated text in Hindi."""

    def __init__(self, open_page, language: str):
        self.open_page, self.language = open_page, language

    def __call__(self, page, name: str) -> None:
        fresh = self.open_page(language=self.language, viewport=MOBILE)
        fresh.context.add_cookies(page.context.cookies())
        fresh.goto(page.url)
        assert fresh.url == page.url, f"{name}: {fresh.url}"
        audit_page(fresh, area="provider", name=name, language=self.language, allowed=ALLOWED)


def field(page, label: str):
    """The form control labelled `label` (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def codes_texted(booking_id: int) -> tuple[str, str]:
    body = Message.objects.filter(event="booking.codes", reference=f"booking:{booking_id}").latest(
        "pk"
    )
    start, end = re.findall(r"(?<![\d/:])\d{4}(?![\d/:])", body.body)[-2:]
    return start, end


@pytest.mark.parametrize("language", ["hi", "en"])
def test_a_babysitter_registers_is_verified_and_does_her_first_job(
    open_page, live_server, language
):
    def t(text: str) -> str:
        with override(language):
            return gettext(text)

    check = Checker(open_page, language)
    phone = "9123456780" if language == "hi" else "9123456781"
    page = open_page(language=language, viewport=MOBILE)

    # Step 1: "Become a Sevamitra" asks her to sign in with her mobile number first.
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name=t("Become a Sevamitra")).first.click()
    assert "/accounts/signin/?next=/sevamitra/register/" in page.url
    field(page, t("Mobile number")).fill(phone)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send code")).click()
    field(page, t("Sign-in code")).fill(last_sms_code(phone))
    page.get_by_role("button", name=t("Sign in")).click()

    # Step 2: about her, with a photo.
    page.wait_for_url("**/sevamitra/register/about/")
    assert page.get_by_text(t("Step %(n)s of %(total)s") % {"n": 2, "total": 7}).is_visible()
    check(page, "register-about")
    field(page, t("Your name in Hindi")).fill("सुनीता देवी")
    field(page, t("Your name in English letters")).fill("Sunita Devi")
    field(page, t("Your photo")).set_input_files(photo_file())
    field(page, t("Female")).check()
    page.get_by_role("button", name=t("Next")).click()

    # Step 3: babysitter (police verification needed), 4 years.
    page.wait_for_url("**/register/services/")
    check(page, "register-services")
    with override(language):
        babysitter = Category.objects.get(slug="babysitter")
        label = gettext("%(service)s (police verification needed)") % {"service": babysitter.name}
    field(page, label).check()
    field(page, t("Years of experience")).fill("4")
    page.get_by_role("button", name=t("Next")).click()

    # Step 4: where she works. In English she lets the phone tell where she is.
    page.wait_for_url("**/register/area/")
    check(page, "register-area")
    if language == "en":
        page.context.grant_permissions(["geolocation"], origin=live_server.url)
        page.context.set_geolocation({"latitude": 26.8500, "longitude": 80.9462})
        page.get_by_role("button", name=t("Use my location")).click()
        page.get_by_text(t("Your location is taken. Press Next.")).wait_for()
    else:
        field(page, t("Your home pincode")).fill("226001")
    field(page, t("How far will you travel? (km)")).fill("8")
    page.get_by_role("button", name=t("Next")).click()

    # Step 5: her price, with the district's usual range as guidance (none yet).
    page.wait_for_url("**/register/prices/")
    assert page.get_by_text(t("Usual price in your district: no data yet.")).is_visible()
    check(page, "register-prices")
    with override(language):
        price_label = gettext("Your price (₹ %(unit)s)") % {
            "unit": babysitter.get_pricing_unit_display()
        }
    field(page, price_label).fill("150")
    field(page, t("What is included in your price? (optional)")).fill(
        "खाना खिलाना, खेल" if language == "hi" else "Feeding, play"
    )
    page.get_by_role("button", name=t("Next")).click()

    # Step 6: Monday to Saturday, 9 to 6 (the default).
    page.wait_for_url("**/register/hours/")
    check(page, "register-hours")
    page.get_by_role("button", name=t("Next")).click()

    # Step 7: Aadhaar's last four, and the police verification certificate as a PDF.
    page.wait_for_url("**/register/documents/")
    check(page, "register-documents")
    field(page, t("Identity document")).select_option("aadhaar")
    field(page, t("Last four digits or letters of its number")).fill("9012")
    field(page, t("Police verification certificate number")).fill("UPPOL/LKO/2026/77")
    valid_until = timezone.localdate() + dt.timedelta(days=365)
    field(page, t("Valid until")).fill(valid_until.isoformat())
    field(page, t("Photo or PDF of the certificate")).set_input_files(
        {"name": "police.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=t("Send for verification")).click()

    page.wait_for_url("**/sevamitra/register/done/")
    assert page.get_by_role("heading", name=t("Thank you! Your registration is sent")).is_visible()
    check(page, "pending")
    provider = Provider.objects.get(user__phone=phone)
    assert provider.verification_status == VerificationStatus.PENDING
    assert provider.district.code == "LUCKNOW"
    assert provider.photo
    police = provider.documents.get(kind=DocumentKind.POLICE_VERIFICATION)
    assert police.file.read() == PDF
    assert provider.documents.get(kind=DocumentKind.IDENTITY).last4 == "9012"
    page.goto("/sevamitra/")
    assert page.get_by_text(t("Pending verification")).first.is_visible()

    # The district officer of Lucknow opens her on the verification page, ticks the documents
    # he checked and approves her: her ID badge is issued.
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW"))
    office = open_page(language=language, viewport=DESKTOP)
    office.goto("/accounts/signin/?next=/officer/verification/")
    field(office, t("Mobile number")).fill(officer.phone)
    with office.expect_navigation():
        office.get_by_role("button", name=t("Send code")).click()
    field(office, t("Sign-in code")).fill(last_sms_code(officer.phone))
    office.get_by_role("button", name=t("Sign in")).click()
    office.wait_for_url("**/officer/verification/")
    with office.expect_navigation():
        office.get_by_role("link", name=re.compile("Sunita Devi")).click()
    for checkbox in office.locator("input[name=documents]").all():
        checkbox.check()
    field(office, t("Approve: verified, ID badge issued")).check()
    with office.expect_navigation():
        office.get_by_role("button", name=t("Save the decision")).click()
    assert office.get_by_text(
        t("Approved. The ID badge is issued and the Sevamitra is told by SMS.")
    ).is_visible()
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert provider.status_changed_by == officer
    assert provider.badges.filter(revoked_at__isnull=True, issued_by=officer).count() == 1

    # A customer books her for two hours on a Monday.
    customer = UserFactory(phone="9876501234")
    day = next_weekday(0, after_days=2)
    booking = booking_create(
        offer=provider.offers.get(),
        customer=customer,
        start=local(day, "10:00"),
        end=local(day, "12:00"),
        kind="hours",
        channel="web",
        address="12, गोमती नगर, लखनऊ",
        pincode="226010",
        acting_user=customer,
    ).booking

    # Back on her dashboard: the request, with the time to answer by.
    page.goto("/sevamitra/")
    assert page.get_by_role("heading", name=t("New requests")).is_visible()
    assert page.get_by_text(t("Answer by")).first.is_visible()
    assert "12, गोमती नगर" not in page.content()  # the address only once accepted
    check(page, "dashboard")
    page.get_by_role("button", name=t("Accept")).first.click()

    page.wait_for_url(f"**/sevamitra/jobs/{booking.pk}/")
    assert page.get_by_text("12, गोमती नगर, लखनऊ").is_visible()
    assert page.get_by_text("XXXXXX1234").is_visible()
    check(page, "job")
    start, end = codes_texted(booking.pk)
    with page.expect_navigation():
        page.get_by_role("button", name=t("I am on the way")).click()
    field(page, t("Customer's code")).fill(start)
    page.get_by_role("button", name=t("Start"), exact=True).click()
    page.get_by_role("heading", name=t("Finish the work")).wait_for()
    field(page, t("Customer's code")).fill(end)
    page.get_by_role("button", name=t("Finish"), exact=True).click()
    page.get_by_text(t("Job completed. Thank you!")).wait_for()
    assert page.locator("h1 .status").inner_text() == t("Completed")
    assert "12, गोमती नगर" not in page.content()  # hidden again once done
    check(page, "job-completed")

    # Her earnings show the amount.
    booking.refresh_from_db()
    page.get_by_role("link", name=t("Earnings")).click()
    page.wait_for_url("**/sevamitra/earnings/")
    assert page.locator("tbody tr").first.get_by_text(format_inr(booking.total)).is_visible()
    check(page, "earnings")

    # She plans a day off.
    page.get_by_role("link", name=t("Leave"), exact=True).click()
    leave_day = timezone.localdate() + dt.timedelta(days=20)
    field(page, t("From")).fill(leave_day.isoformat())
    field(page, t("To")).fill(leave_day.isoformat())
    page.get_by_role("button", name=t("Save leave")).click()
    page.get_by_text(t("Your leave is saved. No new bookings on these days.")).wait_for()
    assert provider.leaves.get().starts_on == leave_day
    check(page, "leave")

    page.get_by_role("link", name=t("Profile"), exact=True).click()
    check(page, "profile")
