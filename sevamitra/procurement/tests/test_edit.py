"""Changing a draft or sent-back requisition: the same checks as a new one, audited, refused
after submission."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement.errors import IllegalTransition, ProcurementError, RuleBroken
from sevamitra.procurement.models import Requisition, RequisitionStatus
from sevamitra.procurement.services import approvals, requisitions
from sevamitra.procurement.tests.factories import draft
from sevamitra.providers.tests.factories import category

pytestmark = pytest.mark.django_db
R = RequisitionStatus


def _details(order, **changes):  # type: ignore[no-untyped-def]
    values = {
        "category": order.category,
        "starts_on": order.starts_on,
        "ends_on": order.ends_on,
        "start_time": order.start_time,
        "end_time": order.end_time,
        "workers": order.workers,
        "purpose": order.purpose,
        "place_address": order.place_address,
        "place_pincode": order.place_pincode,
    }
    values.update(changes)
    return values


def _state(order):  # type: ignore[no-untyped-def]
    order = Requisition.objects.get(pk=order.pk)
    return (
        order.status,
        order.starts_on,
        order.ends_on,
        order.start_time,
        order.end_time,
        order.workers,
        order.purpose,
        order.place_address,
        order.estimated_value,
        list(order.chosen.values_list("provider_id", flat=True)),
    )


def _sent_back(org):  # type: ignore[no-untyped-def]
    order = draft(org.child, org.maker)
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[0].offers.get()], acting_user=org.maker
    )
    approvals.requisition_send_back(
        requisition=order, remarks="A cheaper Sevamitra", acting_user=org.approver
    )
    order.refresh_from_db()
    return order


def test_the_maker_changes_a_draft_and_it_is_audited(org):
    order = draft(org.child, org.maker)
    later = order.ends_on + dt.timedelta(days=2)
    updated = requisitions.requisition_update(
        requisition=order,
        acting_user=org.maker,
        **_details(
            order,
            ends_on=later,
            end_time=dt.time(16, 0),
            workers=2,
            purpose="Wiring and fans",
            place_address="Record room, Shram Bhawan",
            place_pincode="226001",
        ),
    )
    assert (updated.ends_on, updated.end_time, updated.workers) == (later, dt.time(16), 2)
    assert (updated.purpose, updated.place_address) == (
        "Wiring and fans",
        "Record room, Shram Bhawan",
    )
    entry = AuditEntry.objects.get(action="requisition.updated")
    assert entry.object_id == str(order.pk)
    assert entry.before == {
        "ends_on": order.ends_on.isoformat(),
        "end_time": "14:00:00",
        "workers": 1,
    }
    assert entry.after == {
        "ends_on": later.isoformat(),
        "end_time": "16:00:00",
        "workers": 2,
        "purpose_changed": True,
        "place_address_changed": True,
        "providers_dropped": [],
    }


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2020, 1, 2)}, "date_in_past"),
        ({"ends_on": timezone.localdate() + dt.timedelta(days=7 + 90)}, "too_long"),
        ({"category_slug": "house-cleaning"}, "category_not_allowed"),
        ({"end_time": dt.time(9, 0)}, "hours_out_of_order"),
        ({"workers": 0}, "invalid_workers"),
        ({"purpose": "  "}, "purpose_required"),
        ({"place_pincode": "999999"}, "invalid_pincode"),
    ],
)
def test_a_change_is_checked_like_a_new_requisition(org, changes, code):
    """Each refusal of requisition_create (test_requisitions) refuses a change the same way."""
    order = draft(org.child, org.maker)
    before = _state(order)
    if "category_slug" in changes:  # GeM offers house cleaning
        changes = {"category": category(changes.pop("category_slug"))}
    with pytest.raises((RuleBroken, ProcurementError)) as refused:
        requisitions.requisition_update(
            requisition=order, acting_user=org.maker, **_details(order, **changes)
        )
    assert refused.value.code == code
    assert _state(order) == before
    assert not AuditEntry.objects.filter(action="requisition.updated").exists()


def test_no_change_after_submission(org):
    order = draft(org.child, org.maker)
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[0].offers.get()], acting_user=org.maker
    )
    before = _state(order)
    with pytest.raises(IllegalTransition) as refused:
        requisitions.requisition_update(
            requisition=order, acting_user=org.maker, **_details(order, purpose="Something else")
        )
    assert str(refused.value.message) == (
        "This order has been submitted and can no longer be changed. If it must change, the "
        "approving officer can send it back to you."
    )
    assert _state(order) == before


@pytest.mark.parametrize("who", ["approver", "finance", "stranger"])
def test_only_the_maker_changes_it(org, who):
    order = draft(org.child, org.maker)
    before = _state(order)
    with pytest.raises(PermissionDenied):
        requisitions.requisition_update(
            requisition=order, acting_user=getattr(org, who), **_details(order, workers=2)
        )
    assert _state(order) == before


def test_a_sent_back_order_keeps_its_choice_unless_what_was_matched_changes(org):
    order = _sent_back(org)
    assert order.estimated_value == Decimal("1200.00")
    requisitions.requisition_update(
        requisition=order, acting_user=org.maker, **_details(order, purpose="Wiring, urgently")
    )
    assert _state(order)[-2:] == (Decimal("1200.00"), [org.providers[0].pk])

    requisitions.requisition_update(
        requisition=order,
        acting_user=org.maker,
        **_details(order, ends_on=order.ends_on + dt.timedelta(days=1)),
    )
    assert _state(order)[-2:] == (Decimal("0.00"), [])
    assert AuditEntry.objects.filter(action="requisition.updated").last().after[
        "providers_dropped"
    ] == [org.providers[0].pk]
    # … and is submitted again with a choice, as usual.
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[2].offers.get()], acting_user=org.maker
    )
    assert Requisition.objects.get(pk=order.pk).status == R.SUBMITTED


# --- Pages ----------------------------------------------------------------------------------


def test_the_edit_page_is_prefilled_and_saves(client, org):
    order = draft(org.child, org.maker)
    client.force_login(org.maker)
    client.cookies["django_language"] = "en"
    url = reverse("procurement:edit", args=[order.pk])
    detail = client.get(reverse("procurement:detail", args=[order.pk])).content.decode()
    assert url in detail
    page = client.get(url).content.decode()
    assert "Change the requisition" in page
    assert 'value="Wiring repair in the record room"' not in page  # a textarea, not an input
    assert "Wiring repair in the record room</textarea>" in page
    assert f'value="{order.starts_on.isoformat()}"' in page  # ISO, as the date picker wants
    assert 'value="10:00"' in page
    data = {
        "category": order.category_id,
        "starts_on": order.starts_on.isoformat(),
        "ends_on": order.ends_on.isoformat(),
        "start_time": "09:00",
        "end_time": "14:00",
        "workers": "1",
        "purpose": "Wiring repair in the record room",
        "place_address": order.place_address,
        "place_pincode": order.place_pincode,
        "office": org.other.pk,  # ignored: the office of an order does not change
    }
    response = client.post(url, data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.start_time, order.office_id) == (dt.time(9), org.child.pk)

    response = client.post(url, {**data, "end_time": "08:00"})
    assert response.status_code == 400
    assert "The daily end time must be after the start time." in response.content.decode()


def test_the_edit_page_after_submission_and_for_others(client, org):
    order = draft(org.child, org.maker)
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[0].offers.get()], acting_user=org.maker
    )
    client.force_login(org.maker)
    client.cookies["django_language"] = "en"
    url = reverse("procurement:edit", args=[order.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("procurement:detail", args=[order.pk]), 302)]
    assert "can no longer be changed" in response.content.decode()
    assert url not in response.content.decode()
    client.force_login(org.approver)
    assert client.get(url).status_code == 403
    client.force_login(org.stranger)
    assert client.get(url).status_code == 404
