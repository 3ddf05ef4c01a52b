"""The grievance journey in a real browser, in Hindi and in English: a citizen complains about
the quality of a visit with a photo, the Sevamitra gives their side, the district officer
decides a warning, the Sevamitra appeals, the named appellate officer sees the appeal.

Every main page on the way passes audit_page (axe, weight, untranslated text, 360 px) with
screenshots var/screenshots/grievances-<page>-<lang>-<360|desktop>.png.
"""

import io
import re

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.core.tests.browser import MOBILE, audit_page, sign_in
from sevamitra.grievances.models import Appeal, Complaint, ComplaintStatus, Sanction
from sevamitra.grievances.tests import factories as f
from sevamitra.providers.tests.factories import district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# One set of numbers per run: sign-in codes are rate-limited per number.
PHONES = {
    "hi": ("9876502001", "9876502002", "9876502003", "9876502004"),
    "en": ("9876502011", "9876502012", "9876502013", "9876502014"),
}
TYPED = {
    "hi": {
        "text": "बिजली का काम अधूरा छोड़ दिया, तार खुले हैं।",
        "side": "मैं अगले दिन आकर काम पूरा करने वाला था।",
        "reason": "दोनों की बात सुनी: तार खुले छोड़ना लापरवाही है।",
        "grounds": "ग्राहक ने मुझे दोबारा आने नहीं दिया।",
    },
    "en": {
        "text": "The wiring was left open and the work unfinished.",
        "side": "I was to come back the next day to finish.",
        "reason": "Heard both: leaving wires open is careless.",
        "grounds": "The customer did not let me come back.",
    },
}


def check(page, name: str, language: str) -> None:
    audit_page(page, area="grievances", name=name, language=language)


@pytest.fixture
def people(reference_data, request):
    language = request.node.callspec.params["language"]
    citizen, worker, officer, appellate = PHONES[language]
    lucknow = district("LUCKNOW")
    provider = f.new_provider(user=UserFactory(phone=worker, name="सुनीता देवी"), district=lucknow)
    customer = UserFactory(phone=citizen, name="आशा")
    return {
        "provider": provider,
        "customer": customer,
        "booking": f.new_booking(provider, customer),
        "officer": user_with_roles(
            Role.DISTRICT_OFFICER, district=lucknow, phone=officer, name="राकेश वर्मा"
        ),
        "appellate": user_with_roles(Role.ADMINISTRATOR, phone=appellate, name="अनीता शर्मा"),
    }


@pytest.mark.parametrize("language", ["hi", "en"])
def test_complaint_answer_warning_and_appeal(open_page, people, tmp_path, language):
    typed = TYPED[language]
    booking = people["booking"]
    photo = tmp_path / "wires.png"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 60, 20)).save(out, "PNG")
    photo.write_bytes(out.getvalue())

    with override(language):
        # The citizen, from their booking.
        page = open_page(language=language, viewport=MOBILE)
        sign_in(page, people["customer"].phone, f"/my/bookings/{booking.pk}/")
        with page.expect_navigation():
            page.get_by_role("link", name=_("Complain about this booking")).click()
        check(page, "file", language)
        page.get_by_label(_("Poor quality of work")).check()
        page.get_by_label(_("What happened?")).fill(typed["text"])
        page.get_by_label(_("Photo or PDF 1 (optional)")).set_input_files(str(photo))
        with page.expect_navigation():
            page.get_by_role("button", name=_("Send the complaint")).click()
        complaint = Complaint.objects.get()
        assert (complaint.type, complaint.attachments.count()) == ("quality", 1)
        assert page.get_by_text(
            _("Your complaint is registered. The Sevamitra has been told.")
        ).is_visible()
        # The photo is served to its owner. It loads lazily: bring it into view, then wait for
        # it to load (or fail) instead of racing the request.
        image = page.locator(".attachments img")
        image.scroll_into_view_if_needed()
        assert image.evaluate(
            """img => img.complete ? img.naturalWidth > 0 : new Promise(resolve => {
                img.addEventListener("load", () => resolve(img.naturalWidth > 0), {once: true});
                img.addEventListener("error", () => resolve(false), {once: true});
            })"""
        )
        check(page, "detail", language)
        page.goto("/complaints/")
        check(page, "mine", language)

        # The Sevamitra gives their side.
        page = open_page(language=language, viewport=MOBILE)
        sign_in(page, people["provider"].user.phone, "/sevamitra/")
        with page.expect_navigation():
            page.get_by_role("link", name=_("Complaints about my work")).click()
        check(page, "provider-list", language)
        with page.expect_navigation():
            page.locator(f"a[href='/sevamitra/complaints/{complaint.pk}/']").click()
        assert typed["text"] in page.locator("main").inner_text()
        check(page, "provider-detail", language)
        page.get_by_role("textbox", name=_("Your side")).fill(typed["side"])
        with page.expect_navigation():
            page.get_by_role("button", name=_("Send my side")).click()
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.RESPONDED

        # The district officer hears both sides and decides a warning.
        officer_page = open_page(language=language, viewport=MOBILE)
        sign_in(officer_page, people["officer"].phone, "/officer/grievances/")
        check(officer_page, "officer-list", language)
        with officer_page.expect_navigation():
            officer_page.locator(f"a[href='/officer/grievances/{complaint.pk}/']").click()
        main = officer_page.locator("main").inner_text()
        assert typed["text"] in main and typed["side"] in main
        check(officer_page, "officer-detail", language)
        officer_page.get_by_label(_("Warning"), exact=True).check()
        officer_page.get_by_label(_("Reasons for the decision")).fill(typed["reason"])
        with officer_page.expect_navigation():
            officer_page.get_by_role("button", name=_("Record the decision")).click()
        warning = Sanction.objects.get()
        assert (warning.kind, warning.imposed_by) == ("warning", people["officer"])

        # The Sevamitra appeals, to a named officer.
        page.reload()
        with page.expect_navigation():
            page.locator(f"a[href='/sevamitra/sanctions/{warning.pk}/appeal/']").click()
        check(page, "appeal", language)
        page.get_by_label(_("Why is the decision wrong?")).fill(typed["grounds"])
        with page.expect_navigation():
            page.get_by_role("button", name=_("Send the appeal")).click()
        appeal = Appeal.objects.get()
        assert appeal.appellate_officer == people["appellate"]
        assert people["appellate"].name in page.locator(".messages").inner_text()

        # The appellate officer finds it on their page.
        judge = open_page(language=language, viewport=MOBILE)
        sign_in(judge, people["appellate"].phone, "/officer/grievances/")
        with judge.expect_navigation():
            judge.locator(f"a[href='/officer/appeals/{appeal.pk}/']").click()
        assert typed["grounds"] in judge.locator("main").inner_text()
        assert re.search(_("Decide the appeal"), judge.locator("main").inner_text())
        check(judge, "appeal-detail", language)
