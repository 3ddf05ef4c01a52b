"""The /gov/ pages: permissions, forms, messages, the certificate PDF."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.procurement.models import Requisition, RequisitionStatus
from sevamitra.procurement.services import approvals, requisitions
from sevamitra.procurement.tests.factories import draft

pytestmark = pytest.mark.django_db
R = RequisitionStatus


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"


def _submitted(org):  # type: ignore[no-untyped-def]
    order = draft(org.child, org.maker)
    return requisitions.requisition_submit(
        requisition=order, offers=[org.providers[0].offers.get()], acting_user=org.maker
    )


@pytest.mark.parametrize("name", ["procurement:dashboard", "procurement:new", "procurement:queue"])
def test_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))


def test_someone_without_a_post_is_refused(client, org):
    client.force_login(UserFactory())
    assert client.get(reverse("procurement:dashboard")).status_code == 403
    assert (
        client.get(reverse("procurement:detail", args=[draft(org.child, org.maker).pk])).status_code
        == 403
    )


def test_dashboard_lists_the_offices_orders_only(client, org):
    mine = draft(org.child, org.maker)
    theirs = draft(org.other, org.maker)
    client.force_login(org.finance)
    page = client.get(reverse("procurement:dashboard")).content.decode()
    assert mine.number in page
    assert theirs.number not in page


def test_approver_sees_offices_below_but_not_others(client, org):
    order = draft(org.child, org.maker)
    client.force_login(org.approver)
    assert client.get(reverse("procurement:detail", args=[order.pk])).status_code == 200
    client.force_login(org.stranger)
    assert client.get(reverse("procurement:detail", args=[order.pk])).status_code == 404


def test_new_requisition_then_choose_and_submit(client, org):
    client.force_login(org.maker)
    _english(client)
    start = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("procurement:new"),
        {
            "office": org.child.pk,
            "category": org.providers[0].offers.get().category_id,
            "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=1)).isoformat(),
            "start_time": "10:00",
            "end_time": "13:00",
            "workers": "1",
            "purpose": "Repair of wiring",
        },
    )
    order = Requisition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:detail", args=[order.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Choose the Sevamitras" in page
    assert "₹800.00" in page  # 2 visits × ₹400
    response = client.post(
        reverse("procurement:submit", args=[order.pk]),
        {"offers": [org.providers[0].offers.get().pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == R.SUBMITTED


def test_new_requisition_in_the_past_shows_the_error(client, org):
    client.force_login(org.maker)
    _english(client)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        reverse("procurement:new"),
        {
            "office": org.child.pk,
            "category": org.providers[0].offers.get().category_id,
            "starts_on": yesterday.isoformat(),
            "ends_on": yesterday.isoformat(),
            "start_time": "10:00",
            "end_time": "13:00",
            "workers": "1",
            "purpose": "Repair",
        },
    )
    assert response.status_code == 200
    assert "The first day cannot be in the past." in response.content.decode()
    assert not Requisition.objects.exists()


def test_new_requisition_in_hindi(client, org):
    client.force_login(org.maker)
    response = client.get(reverse("procurement:new"))
    assert response.status_code == 200
    assert 'lang="hi"' in response.content.decode()


def test_only_indenting_officers_open_the_new_form(client, org):
    client.force_login(org.approver)
    assert client.get(reverse("procurement:new")).status_code == 403


def test_wrong_number_of_providers_is_a_form_error(client, org):
    order = draft(org.child, org.maker, workers=2)
    client.force_login(org.maker)
    _english(client)
    response = client.post(
        reverse("procurement:submit", args=[order.pk]),
        {"offers": [org.providers[0].offers.get().pk]},
    )
    assert response.status_code == 400
    assert "Choose exactly 2" in response.content.decode()
    order.refresh_from_db()
    assert order.status == R.DRAFT


def test_queue_and_approval(client, org):
    order = _submitted(org)
    client.force_login(org.approver)
    assert order.number in client.get(reverse("procurement:queue")).content.decode()
    response = client.post(reverse("procurement:decide", args=[order.pk]), {"decision": "approve"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == R.BOOKED


def test_send_back_without_remarks_is_a_form_error(client, org):
    order = _submitted(org)
    client.force_login(org.approver)
    _english(client)
    response = client.post(
        reverse("procurement:decide", args=[order.pk]), {"decision": "send_back"}
    )
    assert response.status_code == 400
    assert "Write remarks saying why." in response.content.decode()
    order.refresh_from_db()
    assert order.status == R.SUBMITTED


def test_maker_cannot_decide_through_the_page(client, org):
    order = _submitted(org)
    client.force_login(org.maker)
    _english(client)
    response = client.post(reverse("procurement:decide", args=[order.pk]), {"decision": "approve"})
    assert response.status_code == 400
    assert "maker-checker" in response.content.decode()
    order.refresh_from_db()
    assert order.status == R.SUBMITTED


def test_officer_of_another_office_gets_404_on_decide(client, org):
    order = _submitted(org)
    client.force_login(org.stranger)
    response = client.post(reverse("procurement:decide", args=[order.pk]), {"decision": "approve"})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == R.SUBMITTED


def test_attendance_certificate_and_pdf(client, org):
    order = _submitted(org)
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    client.force_login(org.maker)
    _english(client)
    page = client.get(reverse("procurement:detail", args=[order.pk])).content.decode()
    assert "Attendance" in page
    assert (
        reverse("bookings:detail", args=[Booking.objects.order_by("starts_at").first().pk]) in page
    )
    response = client.post(reverse("procurement:certify", args=[order.pk]), follow=True)
    assert "only when all the work is done" in response.content.decode()
    assert client.get(reverse("procurement:certificate", args=[order.pk])).status_code == 404
    Booking.objects.update(status=BookingStatus.COMPLETED)
    client.post(reverse("procurement:certify", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == R.ACCEPTED
    pdf = client.get(reverse("procurement:certificate", args=[order.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(org.stranger)
    assert client.get(reverse("procurement:certificate", args=[order.pk])).status_code == 404


def test_cancel_a_draft(client, org):
    order = draft(org.child, org.maker)
    client.force_login(org.maker)
    response = client.post(reverse("procurement:cancel", args=[order.pk]), {"reason": "Not needed"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == R.CANCELLED
