"""The auditor's list page in a real browser, in Hindi and English: an auditor signs in,
filters by action, and the page passes the shared checks (axe, weight, untranslated text,
360 px and desktop screenshots)."""

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.services import audit_record
from sevamitra.core.tests.browser import audit_page, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AUDITOR_PHONES = {"hi": "9000000061", "en": "9000000062"}


@pytest.mark.parametrize("language", ["hi", "en"])
def test_an_auditor_filters_the_trail(open_page, language):
    auditor = user_with_roles(Role.AUDITOR, phone=AUDITOR_PHONES[language])
    officer = user_with_roles(Role.DISTRICT_OFFICER)
    citizen = UserFactory()
    with transaction.atomic():
        for n in range(3):
            audit_record(
                actor=officer,
                action="provider.verified",
                object_type="providers.provider",
                object_id=n + 1,
                before={"verification_status": "pending"},
                after={"verification_status": "verified"},
            )
        audit_record(
            actor=citizen,
            action="booking.cancelled",
            object_type="bookings.booking",
            object_id=41,
            before={"status": "confirmed"},
            after={"status": "cancelled"},
        )

    page = open_page(language=language)
    sign_in(page, auditor.phone, "/audit/")
    with translation.override(language):
        assert page.get_by_role("heading", level=1).inner_text() == _("Audit trail")
        assert page.locator("tbody tr").count() == 4
        page.get_by_label(_("Action")).fill("booking.")
        with page.expect_navigation():
            page.get_by_role("button", name=_("Show entries")).click()
    assert page.locator("tbody tr").count() == 1
    assert page.locator("tbody tr code").nth(0).inner_text() == "booking.cancelled"
    assert "action=booking." in page.url
    audit_page(page, area="audit", name="list", language=language)
