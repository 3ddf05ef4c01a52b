"""The outbox in the back office: read-only; administrators see recipients, auditors masked."""

import pytest

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.notifications.admin import mask_recipient
from sevamitra.notifications.models import Message
from sevamitra.notifications.tests.helpers import queue_sms, work

CHANGELIST = "/admin/notifications/message/"


@pytest.mark.parametrize(
    ("channel", "to", "masked"),
    [
        ("sms", "+919876543210", "XXXXXXXXX3210"),
        ("email", "asha@example.in", "a***@example.in"),
    ],
)
def test_mask_recipient(channel, to, masked):
    assert mask_recipient(channel=channel, to=to) == masked


@pytest.mark.django_db
def test_an_administrator_sees_the_number(client):
    queue_sms()
    client.force_login(user_with_roles(Role.ADMINISTRATOR))

    html = client.get(CHANGELIST).content.decode()

    assert "+919876543210" in html


@pytest.mark.django_db
def test_an_auditor_sees_it_masked_in_the_list_and_the_detail(client):
    message = queue_sms()
    client.force_login(user_with_roles(Role.AUDITOR))

    listing = client.get(CHANGELIST)
    detail = client.get(f"{CHANGELIST}{message.pk}/change/")

    assert (listing.status_code, detail.status_code) == (200, 200)
    for page in (listing, detail):
        html = page.content.decode()
        assert "XXXXXXXXX3210" in html
        assert "9876543210" not in html


@pytest.mark.django_db
def test_the_list_filters_by_status_and_event(client):
    sent = queue_sms(event="booking.confirmed")
    work()
    queued = queue_sms(event="booking.cancelled")
    client.force_login(user_with_roles(Role.AUDITOR))

    by_status = client.get(CHANGELIST, {"status__exact": "queued"})
    by_event = client.get(CHANGELIST, {"event": "booking.confirmed"})

    assert list(by_status.context["cl"].result_list.values_list("pk", flat=True)) == [queued.pk]
    assert list(by_event.context["cl"].result_list.values_list("pk", flat=True)) == [sent.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.AGENT])
def test_other_staff_do_not_see_messages(client, role):
    client.force_login(user_with_roles(role, is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_nobody_adds_or_deletes_messages(client):
    message = queue_sms()
    client.force_login(user_with_roles(Role.ADMINISTRATOR))

    add = client.get(f"{CHANGELIST}add/")
    delete = client.post(f"{CHANGELIST}{message.pk}/delete/", {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Message.objects.filter(pk=message.pk).exists()
