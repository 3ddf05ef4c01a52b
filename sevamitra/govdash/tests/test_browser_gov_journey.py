"""Government orders in a real browser.

1. The dashboard with the hand-built orders of fixtures.py, in Hindi and English: an auditor
   (department view) and an office's indenting officer (their office only) see the figures and
   the charts; the pages pass the shared checks (axe, weight, untranslated text, 360 px).
2. From requisition to payment, in Hindi and English: the indenting officer's requisition, the
   approving officer's decision, the attendance sheet with the visits' codes, the completion
   certificate, the Sevamitra's business address and invoice and the finance officer's payment
   go through the pages; only the Sevamitra's days (accept, start and finish with the sheet's
   codes) go through the booking engine's services.
"""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.core.tests.browser import audit_page, overflowing, sign_in
from sevamitra.govdash import selectors
from sevamitra.govdash.tests.fixtures import D, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDITOR_PHONES = {"hi": "9000000071", "en": "9000000072"}


@pytest.mark.parametrize("language", ["hi", "en"])
def test_dashboard_department_and_office(open_page, monkeypatch, language):
    monkeypatch.setattr(selectors, "today", lambda: D(2026, 9, 1))
    world = build_world()
    auditor = user_with_roles(Role.AUDITOR, phone=AUDITOR_PHONES[language])

    page = open_page(language=language)
    sign_in(page, auditor.phone, "/gov/dashboard/")
    with translation.override(language):
        assert page.get_by_role("heading", level=1).inner_text() == _(
            "Government orders: dashboard"
        )
        assert page.locator("#fig-invoiced").inner_text() == "₹4,984.00"
        assert page.locator("#fig-paid").inner_text() == "₹2,424.00"
        assert page.locator("figure.chart svg[role=img]").count() == 7
        assert overflowing(page) == []
        audit_page(page, area="govdash", name="department", language=language)

        page.locator("select[name=district]").select_option(str(world.other.district_id))
        with page.expect_navigation():
            page.get_by_role("button", name=_("Show figures")).click()
        assert page.locator("#fig-invoiced").inner_text() == "₹2,360.00"

    officer = world.hq_indenting
    page = open_page(language=language)
    sign_in(page, officer.phone, "/gov/dashboard/")
    assert page.locator("#fig-invoiced").inner_text() == "₹1,680.00"
    assert "₹2,360.00" not in page.content()
    audit_page(page, area="govdash", name="office", language=language)


# --- 2. From requisition to payment, through the pages ------------------------------------------
# The indenting officer drafts the requisition and submits it with the Sevamitra chosen; the
# approving officer approves it from the queue (the bookings are made); the indenting officer
# prints the attendance sheet (fresh codes for every visit); the Sevamitra accepts, starts and
# finishes each day with the sheet's codes through the booking engine's services (the only
# steps not on a page); the indenting officer certifies completion and downloads the
# certificate; the Sevamitra, sent to give their business address first, issues the invoice;
# the finance officer records the payment and sees the spend on the dashboard.

PHONES = {"indenting": "9000000081", "approving": "9000000082", "finance": "9000000083"}
TEXT = {
    "hi": {
        "purpose": "अभिलेख कक्ष की वायरिंग",
        "place": "श्रम भवन, हज़रतगंज, लखनऊ",
        "line1": "12, रानी कटरा",
        "locality": "चौक",
    },
    "en": {
        "purpose": "Wiring of the record room",
        "place": "Shram Bhawan, Hazratganj, Lucknow",
        "line1": "12 Rani Katra",
        "locality": "Chowk",
    },
}
# Order numbers ("GO-000001") are references, the same in both languages.
# An electrician is priced per visit: ₹500 (no visiting charge) on each of the two days.
ESTIMATE = Decimal("1000.00")


def _office_with_a_provider():
    """An office in Lucknow with its three officers, the rules in force (every order needs one
    approval) and a verified electrician at ₹500 nearby."""
    from django.utils import timezone

    from sevamitra.procurement.models import OfficerPost
    from sevamitra.procurement.services.offices import (
        department_create,
        office_create,
        office_post_grant,
    )
    from sevamitra.procurement.services.rules import rule_set_create
    from sevamitra.providers.tests.factories import LUCKNOW, ProviderFactory, district, offer_for

    admin = user_with_roles(Role.ADMINISTRATOR)
    officers = {post: user_with_roles(Role.CITIZEN, phone=phone) for post, phone in PHONES.items()}
    today = timezone.localdate()
    rule_set_create(
        go_reference="G.O. 12/36-1-2026",
        go_date=today,
        effective_from=today,
        approval_threshold=Decimal("0"),
        acting_user=admin,
    )
    department = department_create(
        code="labour", name_en="Labour Department", name_hi="श्रम विभाग", acting_user=admin
    )
    office = office_create(
        department=department,
        code="lko-labour",
        name_en="Labour Office Lucknow",
        name_hi="श्रम कार्यालय लखनऊ",
        district=district("LUCKNOW"),
        address="Vidhan Sabha Marg, Hazratganj, Lucknow",
        pincode="226001",
        ddo_code="LKO0420",
        lat=LUCKNOW[0],
        lng=LUCKNOW[1],
        acting_user=admin,
    )
    for post in (OfficerPost.INDENTING, OfficerPost.APPROVING, OfficerPost.FINANCE):
        office_post_grant(user=officers[post], office=office, post=post, acting_user=admin)
    provider = ProviderFactory()
    offer = offer_for(provider, "electrician", price="500", visiting="0")
    return officers, provider, offer


def _message(page) -> str:
    return page.locator(".messages").inner_text().strip()


def _accept_every_day(order, provider) -> None:
    """The Sevamitra accepts the order's visits (in their app)."""
    from sevamitra.bookings.models import BookingStatus
    from sevamitra.bookings.services import booking_accept
    from sevamitra.procurement.selectors import bookings_of

    bookings = bookings_of(order)
    assert len(bookings) == 2
    for booking in bookings:
        if booking.status == BookingStatus.REQUESTED:
            booking_accept(booking=booking, acting_user=provider.user)


def _work_every_day(order, provider, codes) -> None:
    """The Sevamitra starts and finishes each day with the codes of the office's printed
    attendance sheet ([start, end] per visit, in date order)."""
    from sevamitra.bookings.models import BookingStatus
    from sevamitra.bookings.services import booking_finish, booking_start
    from sevamitra.procurement.selectors import bookings_of

    bookings = bookings_of(order)
    assert len(codes) == 2 * len(bookings) == 4
    for booking, start, end in zip(bookings, codes[::2], codes[1::2], strict=True):
        booking_start(booking=booking, code=start, acting_user=provider.user)
        booking_finish(booking=booking, code=end, acting_user=provider.user)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.COMPLETED


@pytest.mark.parametrize("language", ["hi", "en"])
def test_from_requisition_to_payment(open_page, language):
    with translation.override(language):  # names and messages as the pages show them
        _journey(open_page, language)


def _journey(open_page, language):
    import datetime as dt

    from django.utils import timezone

    from sevamitra.catalog.models import Category
    from sevamitra.core.formatting import format_inr
    from sevamitra.invoicing.models import Invoice
    from sevamitra.procurement.models import Requisition, RequisitionStatus

    officers, provider, offer = _office_with_a_provider()
    electrician = Category.objects.get(slug="electrician")
    starts = timezone.localdate() + dt.timedelta(days=1)
    ends = starts + dt.timedelta(days=1)
    text = TEXT[language]

    # 1. The indenting officer drafts the requisition and submits it with the Sevamitra chosen.
    indenting = open_page(language=language)
    sign_in(indenting, officers["indenting"].phone, "/gov/")
    with indenting.expect_navigation():
        indenting.get_by_role("link", name=_("New requisition")).click()
    assert indenting.get_by_role("heading", level=1).inner_text() == _("New requisition")
    audit_page(indenting, area="procurement", name="requisition", language=language)
    indenting.locator("select[name=category]").select_option(str(electrician.pk))
    indenting.locator("input[name=starts_on]").fill(starts.isoformat())
    indenting.locator("input[name=ends_on]").fill(ends.isoformat())
    indenting.locator("input[name=start_time]").fill("10:00")
    indenting.locator("input[name=end_time]").fill("16:00")
    indenting.locator("input[name=workers]").fill("1")
    indenting.locator("textarea[name=purpose]").fill(text["purpose"])
    indenting.locator("textarea[name=place_address]").fill(text["place"])
    indenting.locator("input[name=place_pincode]").fill("226001")
    with indenting.expect_navigation():
        indenting.get_by_role("button", name=_("Save and choose Sevamitras")).click()
    order = Requisition.objects.get()
    assert indenting.url.endswith(f"/gov/orders/{order.pk}/")
    assert _message(indenting) == _("Draft saved. Now choose the Sevamitras.")
    assert (order.status, order.starts_on, order.ends_on, order.workers) == (
        RequisitionStatus.DRAFT,
        starts,
        ends,
        1,
    )
    assert (order.start_time, order.end_time) == (dt.time(10, 0), dt.time(16, 0))
    assert (order.purpose, order.place_address) == (text["purpose"], text["place"])
    candidates = indenting.locator("ul.candidates li")
    assert candidates.count() == 1
    shown = candidates.inner_text()
    assert provider.display_name in shown
    assert format_inr(offer.price) in shown
    assert format_inr(ESTIMATE) in shown
    audit_page(indenting, area="procurement", name="order", language=language)
    indenting.get_by_label(provider.display_name).check()
    with indenting.expect_navigation():
        indenting.get_by_role("button", name=_("Submit the order")).click()
    assert _message(indenting) == _("The order has been submitted.")
    order.refresh_from_db()
    assert (order.status, order.estimated_value) == (RequisitionStatus.SUBMITTED, ESTIMATE)
    assert list(order.chosen.values_list("provider_id", flat=True)) == [provider.pk]

    # 2. The approving officer approves it from the queue: the bookings are made.
    approving = open_page(language=language)
    sign_in(approving, officers["approving"].phone, "/gov/approvals/")
    assert approving.get_by_role("heading", level=1).inner_text() == _(
        "Orders awaiting your decision"
    )
    audit_page(approving, area="procurement", name="queue", language=language)
    with approving.expect_navigation():
        approving.locator(f"a[href='/gov/orders/{order.pk}/']").click()
    approving.get_by_label(_("Approve"), exact=True).check()
    approving.locator("textarea[name=remarks]").fill("OK")
    with approving.expect_navigation():
        approving.get_by_role("button", name=_("Record decision")).click()
    assert _message(approving) == _("Your decision has been recorded.")
    order.refresh_from_db()
    assert order.status == RequisitionStatus.BOOKED
    approving.goto("/gov/approvals/")
    assert approving.locator(".msg-empty").inner_text() == _("Nothing is waiting for you.")

    # 3. The Sevamitra accepts; the indenting officer prints the attendance sheet (fresh codes
    # for every visit); two days of work, started and finished with the sheet's codes.
    _accept_every_day(order, provider)
    with indenting.expect_navigation():
        indenting.reload()
    with indenting.expect_navigation():
        indenting.get_by_role(
            "link", name=_("Print the attendance sheet with every visit's codes")
        ).click()
    assert _("Printing issues new codes; earlier codes stop working.") in indenting.content()
    with indenting.expect_navigation():
        indenting.get_by_role("button", name=_("Issue new codes and show the sheet")).click()
    codes = indenting.locator("table.sheet td.code").all_inner_texts()
    assert len(codes) == 4 and all(len(code) == 4 and code.isdigit() for code in codes)
    audit_page(indenting, area="procurement", name="attendance-sheet", language=language)
    _work_every_day(order, provider, codes)

    # 4. The indenting officer certifies completion and downloads the certificate.
    with indenting.expect_navigation():
        indenting.goto(f"/gov/orders/{order.pk}/")
    with indenting.expect_navigation():
        indenting.get_by_role("button", name=_("Issue the completion certificate")).click()
    assert _message(indenting) == _("Completion certificate issued; the order is accepted.")
    order.refresh_from_db()
    assert (order.status, order.acceptance_kind) == (RequisitionStatus.ACCEPTED, "certified")
    link = indenting.get_by_role("link", name=_("Download the completion certificate (PDF)"))
    assert link.get_attribute("href") == f"/gov/orders/{order.pk}/certificate.pdf"
    response = indenting.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # 5. The Sevamitra issues the invoice from their invoices page: GST rules want their
    # business address on it, so they are sent to give it first, then issue it.
    sevamitra = open_page(language=language)
    sign_in(sevamitra, provider.user.phone, "/gov/invoices/mine/")
    with sevamitra.expect_navigation():
        sevamitra.get_by_role("button", name=_("Issue invoice")).click()
    assert _message(sevamitra) == _(
        "Add your business address first: GST rules want it on the invoice. Then issue the "
        "invoice again."
    )
    assert sevamitra.get_by_role("heading", level=1).inner_text() == _("Business address")
    assert not Invoice.objects.exists()
    audit_page(sevamitra, area="providers", name="business-address", language=language)
    sevamitra.get_by_label(_("House or shop number, street")).fill(text["line1"])
    sevamitra.get_by_label(_("Town, village or locality")).fill(text["locality"])
    sevamitra.get_by_label(_("Pincode")).fill("226003")
    with sevamitra.expect_navigation():
        sevamitra.get_by_role("button", name=_("Save the address")).click()
    assert sevamitra.url.endswith("/gov/invoices/mine/")
    with sevamitra.expect_navigation():
        sevamitra.get_by_role("button", name=_("Issue invoice")).click()
    invoice = Invoice.objects.get()
    assert invoice.supplier_address.startswith(f"{text['line1']}\n{text['locality']}\n")
    assert (invoice.requisition_id, invoice.provider_id) == (order.pk, provider.pk)
    assert invoice.total == ESTIMATE
    assert _message(sevamitra) == _("Invoice %(number)s issued.") % {
        "number": invoice.display_number
    }
    total = format_inr(invoice.total)

    # 6. The finance officer records the payment and sees the spend on the dashboard.
    finance = open_page(language=language)
    sign_in(finance, officers["finance"].phone, "/gov/dashboard/")
    assert finance.locator("#fig-invoiced").inner_text() == total
    assert finance.locator("#fig-paid").inner_text() == format_inr(Decimal("0"))
    finance.goto("/gov/")
    with finance.expect_navigation():
        finance.get_by_role("link", name=_("Invoices"), exact=True).click()
    with finance.expect_navigation():
        finance.get_by_role("link", name=_("Record payment")).click()
    finance.locator("input[name=reference]").fill("PFMS/2026/000123")
    finance.locator("input[name=paid_on]").fill(f"{invoice.issued_at:%d/%m/%Y}")
    finance.locator("input[name=amount]").fill(f"{invoice.total}")
    with finance.expect_navigation():
        finance.get_by_role("button", name=_("Record payment")).click()
    assert _message(finance) == _("Payment recorded.")
    payment = invoice.payments.get()
    assert (payment.amount, payment.reference) == (invoice.total, "PFMS/2026/000123")

    finance.goto("/gov/dashboard/")
    assert finance.locator("#fig-invoiced").inner_text() == total
    assert finance.locator("#fig-paid").inner_text() == total
    assert finance.locator("#fig-overdue").inner_text() == _("None")
    assert "0.0" in finance.locator("#fig-days").inner_text()
    audit_page(finance, area="govdash", name="journey", language=language)
