"""The verification workflow in a real browser, in Hindi and in English: the district officer
opens the queue and a pending babysitter, asks for changes with a reason; she sees the reason
in her language and sends her registration again; the officer approves her; her profile shows
"verified" and the link to her ID card. The queue and the officer's page of her pass the page
checks (axe, weight, untranslated text, 360 px) in both languages."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext, override

from sevamitra.badges.models import Badge
from sevamitra.core.tests.browser import MOBILE, audit_page, sign_in
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.services import document_add_police_verification
from sevamitra.verification.models import Decision, VerificationDecision
from sevamitra.verification.tests.factories import officer_for, pending_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Latin words the Hindi pages may show: her name (marked lang="en" too) and the officer's.
ALLOWED = {"Sunita", "Devi", "Test", "User"}


def label(page, text: str):  # type: ignore[no-untyped-def]
    return page.get_by_label(re.compile(rf"^\s*{re.escape(text)}:?\s*$"))


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_officer_asks_for_changes_then_approves(open_page, language):
    def t(text: str) -> str:
        with override(language):
            return gettext(text)

    provider = pending_provider(offers=[("babysitter", "150", "0")])
    provider.user.preferred_language = language
    provider.user.save()
    document_add_police_verification(
        provider=provider,
        reference="UPPOL/LKO/2026/77",
        expires_on=timezone.localdate() + dt.timedelta(days=365),
        file=SimpleUploadedFile("police.pdf", PDF, content_type="application/pdf"),
        acting_user=provider.user,
    )
    officer = officer_for(provider)

    # The officer's queue: one new registration.
    office = open_page(language=language, viewport=MOBILE)
    sign_in(office, officer.phone, "/officer/verification/")
    assert office.url.endswith("/officer/verification/")
    assert office.get_by_role("heading", name=t("Verification queue")).is_visible()
    audit_page(office, area="officer", name="queue", language=language, allowed=ALLOWED)

    # Her file, and "ask for changes": the photo is not clear.
    with office.expect_navigation():
        office.get_by_role("link", name=re.compile("Sunita Devi")).click()
    assert office.get_by_text("UPPOL/LKO/2026/77", exact=True).first.is_visible()
    assert office.get_by_role("link", name=t("Open the file")).is_visible()
    audit_page(office, area="officer", name="provider", language=language, allowed=ALLOWED)
    label(office, t("Ask for changes")).check()
    label(office, t("Reason")).select_option("photo_unclear")
    label(office, t("Note for the Sevamitra (optional)")).fill("चेहरा साफ़ दिखे")
    with office.expect_navigation():
        office.get_by_role("button", name=t("Save the decision")).click()
    assert office.get_by_text(t("Changes asked for. The Sevamitra is told by SMS.")).is_visible()
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.CHANGES_REQUESTED

    # She sees the reason in her language, and sends her registration again.
    mine = open_page(language=language, viewport=MOBILE)
    sign_in(mine, provider.user.phone, "/sevamitra/")
    reason = "फ़ोटो साफ़ नहीं है" if language == "hi" else "The photo is not clear"
    assert mine.get_by_text(reason).first.is_visible()
    assert mine.get_by_text("चेहरा साफ़ दिखे").first.is_visible()
    with mine.expect_navigation():
        mine.get_by_role("button", name=t("I have made the changes: send again")).click()
    assert mine.get_by_text(
        t("Your registration is sent again. The district office will check it.")
    ).is_visible()
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING

    # Back in the queue as "sent again"; the officer ticks the documents and approves.
    office.goto("/officer/verification/")
    assert office.get_by_text(t("Sent again after changes")).first.is_visible()
    with office.expect_navigation():
        office.get_by_role("link", name=re.compile("Sunita Devi")).click()
    for checkbox in office.locator("input[name=documents]").all():
        checkbox.check()
    label(office, t("Approve: verified, ID badge issued")).check()
    with office.expect_navigation():
        office.get_by_role("button", name=t("Save the decision")).click()
    assert office.get_by_text(
        t("Approved. The ID badge is issued and the Sevamitra is told by SMS.")
    ).is_visible()
    assert office.get_by_text(t("Nobody is waiting. Well done!")).is_visible()

    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert list(
        VerificationDecision.objects.filter(provider=provider)
        .order_by("pk")
        .values_list("decision", flat=True)
    ) == [Decision.CHANGES_REQUESTED, Decision.RESUBMITTED, Decision.APPROVED]
    badge = Badge.objects.get(provider=provider, revoked_at__isnull=True)

    # Her profile: verified, with her ID card.
    mine.goto("/sevamitra/profile/")
    assert mine.locator(".status-verified").first.inner_text() == t("Verified")
    card = mine.get_by_role("link", name=t("Download your ID card (PDF)"))
    assert card.get_attribute("href") == f"/sevamitra/{provider.pk}/badge.pdf"
    assert mine.get_by_text(badge.number).is_visible()
