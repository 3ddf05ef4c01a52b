"""The Sevamitra's complaint pages over HTTP: their complaints, giving their side, appeals."""

import datetime as dt

import pytest
from django.urls import reverse

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.grievances.models import Appeal, ComplaintEntry, ComplaintStatus, Sanction
from sevamitra.grievances.services.decisions import complaint_decide
from sevamitra.grievances.tests import factories as f
from sevamitra.grievances.tests.conftest import en

pytestmark = pytest.mark.django_db
LIST = reverse("grievances:provider_list")


@pytest.fixture
def as_provider(client, provider):
    client.cookies["django_language"] = "en"
    client.force_login(provider.user)
    return client


@pytest.fixture
def warning(complaint, officer):
    complaint_decide(
        complaint=complaint,
        outcome="warning",
        reason="Left the wires open.",
        acting_user=officer,
        now=complaint.response_due_at,
    )
    return Sanction.objects.get()


def test_visitors_sign_in_and_citizens_are_sent_to_registration(client, complaint):
    assert client.get(LIST)["Location"].startswith("/accounts/signin/")
    client.force_login(UserFactory())
    assert client.get(LIST)["Location"] == reverse("providers:register")


def test_the_dashboard_links_to_complaints(as_provider):
    assert LIST in as_provider.get(reverse("providers:dashboard")).content.decode()


def test_my_complaints_only(as_provider, complaint):
    f.filed(f.new_booking(), now=complaint.filed_at)  # about another Sevamitra
    response = as_provider.get(LIST)
    assert [c.pk for c in response.context["complaints"]] == [complaint.pk]
    assert "answer by" in response.content.decode()


def test_another_sevamitras_complaint_does_not_exist_here(as_provider):
    other = f.filed(f.new_booking())
    detail = reverse("grievances:provider_detail", args=[other.pk])
    assert as_provider.get(detail).status_code == 404
    respond = reverse("grievances:provider_respond", args=[other.pk])
    assert as_provider.post(respond, {"text": "Not me."}).status_code == 404
    assert not ComplaintEntry.objects.exists()


def test_giving_my_side(as_provider, complaint):
    url = reverse("grievances:provider_respond", args=[complaint.pk])
    response = as_provider.post(url, {"text": " "})
    assert response.status_code == 200
    assert en(response.context["response_form"].errors["text"]) == ["Please write something here."]
    response = as_provider.post(url, {"text": "The switch was broken before I came."}, follow=True)
    assert "Your side is recorded. The customer has been told." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESPONDED
    assert complaint.entries.get().text == "The switch was broken before I came."


def test_the_detail_shows_the_customers_side_and_photos(as_provider, booking):
    complaint = f.filed(booking, files=[f.picture_upload()])
    body = as_provider.get(reverse("grievances:provider_detail", args=[complaint.pk])).content
    assert f.TEXT in body.decode()
    assert reverse("grievances:attachment", args=[complaint.attachments.get().pk]) in body.decode()


def test_appealing_a_warning(as_provider, warning, officer):
    admin = f.administrator(name="Appellate Sharma")
    detail = as_provider.get(reverse("grievances:provider_detail", args=[warning.complaint_id]))
    url = reverse("grievances:appeal", args=[warning.pk])
    assert url in detail.content.decode()
    assert as_provider.get(url).status_code == 200
    response = as_provider.post(url, {"grounds": ""})
    assert en(response.context["form"].errors["grounds"]) == ["Write why the decision is wrong."]
    response = as_provider.post(url, {"grounds": "Another house's photos."}, follow=True)
    appeal = Appeal.objects.get()
    assert appeal.appellate_officer == admin
    assert "Your appeal is sent to Appellate Sharma" in response.content.decode()
    assert "Appellate Sharma" in as_provider.get(url).content.decode()


def test_an_appeal_after_the_window_is_a_form_error(as_provider, warning, now):
    f.administrator()
    Sanction.objects.filter(pk=warning.pk).update(
        imposed_at=now - dt.timedelta(days=20), appeal_due_at=now - dt.timedelta(days=5)
    )
    response = as_provider.post(
        reverse("grievances:appeal", args=[warning.pk]), {"grounds": "Too late?"}
    )
    assert response.status_code == 200
    assert en(response.context["form"].non_field_errors())[0].startswith(
        "The time to appeal ended on"
    )
    assert not Appeal.objects.exists()


def test_another_sevamitras_sanction_cannot_be_appealed(client, warning):
    other = f.new_provider()
    client.force_login(other.user)
    url = reverse("grievances:appeal", args=[warning.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"grounds": "x"}).status_code == 404
    assert not Appeal.objects.exists()
