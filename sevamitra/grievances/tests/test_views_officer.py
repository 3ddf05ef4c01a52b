"""The officers' grievance pages over HTTP: who gets in, the district's queue in its order,
both sides with hearing notes, decisions, lifting a suspension, the appellate officer's page."""

import datetime as dt

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.grievances.models import (
    AppealStatus,
    ComplaintStatus,
    EntryKind,
    Outcome,
    Sanction,
    SanctionStatus,
)
from sevamitra.grievances.services.appeals import appeal_file
from sevamitra.grievances.services.complaints import (
    complaint_respond,
    complaints_escalate_overdue,
)
from sevamitra.grievances.services.decisions import complaint_decide
from sevamitra.grievances.tests import factories as f
from sevamitra.grievances.tests.conftest import en
from sevamitra.providers.models import VerificationStatus

pytestmark = pytest.mark.django_db
LIST = reverse("grievances:officer_list")


def detail(complaint):
    return reverse("grievances:officer_detail", args=[complaint.pk])


@pytest.fixture
def as_officer(client, officer):
    client.cookies["django_language"] = "en"
    client.force_login(officer)
    return client


# --- who gets in ----------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, complaint):
    for url in (LIST, detail(complaint)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize("role", [None, Role.AGENT, Role.AUDITOR, Role.DEPARTMENT_OFFICER])
def test_other_roles_are_refused(client, complaint, role):
    client.cookies["django_language"] = "en"
    client.force_login(user_with_roles(role) if role else UserFactory())
    for url in (LIST, detail(complaint)):
        response = client.get(url)
        assert response.status_code == 403
        assert "For district officers only" in response.content.decode()
    response = client.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "dismissed", "reason": "x"},
    )
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN


def test_the_provider_is_refused_too(client, complaint):
    client.force_login(complaint.provider.user)
    assert client.get(detail(complaint)).status_code == 403


def test_another_districts_officer_sees_nothing_of_it(client, complaint):
    client.force_login(f.officer_of(f.district_named("AGRA")))
    assert list(client.get(LIST).context["page"].object_list) == []
    assert client.get(detail(complaint)).status_code == 404
    response = client.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "dismissed", "reason": "x"},
    )
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN


def test_an_administrator_sees_every_district(client, complaint):
    elsewhere = f.filed(f.new_booking(f.new_provider(district=f.district_named("AGRA"))))
    client.force_login(f.administrator())
    listed = {c.pk for c in client.get(LIST).context["page"].object_list}
    assert listed == {complaint.pk, elsewhere.pk}
    assert client.get(detail(elsewhere)).status_code == 200


# --- the queue ------------------------------------------------------------------------------


def test_safety_first_then_escalated_or_overdue_then_by_deadline(
    as_officer, provider, officer, now
):
    long_ago = now - dt.timedelta(days=20)
    quality = f.filed(f.new_booking(provider), type="quality", now=now)
    behaviour = f.filed(f.new_booking(provider), type="behaviour", now=now)
    overdue = f.filed(
        f.new_booking(provider, starts_at=long_ago), type="no_show", now=now - dt.timedelta(days=8)
    )
    escalated = f.filed(
        f.new_booking(provider, starts_at=long_ago),
        type="overcharge",
        now=now - dt.timedelta(days=9),
    )
    complaints_escalate_overdue(now=escalated.due_at)
    safety = f.filed(f.new_booking(provider), type="safety", now=now)
    closed = f.filed(f.new_booking(provider), type="quality", now=now)
    complaint_decide(complaint=closed, outcome="dismissed", reason="x", acting_user=officer)
    response = as_officer.get(LIST)
    order = [c.pk for c in response.context["page"].object_list]
    assert order == [safety.pk, escalated.pk, overdue.pk, behaviour.pk, quality.pk]
    assert "(overdue)" in response.content.decode()


def test_decided_complaints_are_under_their_own_tab(as_officer, complaint, officer, now):
    complaint_decide(complaint=complaint, outcome="dismissed", reason="x", acting_user=officer)
    assert list(as_officer.get(LIST).context["page"].object_list) == []
    closed = as_officer.get(LIST + "?show=closed").context["page"].object_list
    assert [c.pk for c in closed] == [complaint.pk]


def test_the_queue_costs_a_fixed_number_of_queries(
    as_officer, provider, django_assert_max_num_queries
):
    for _ in range(5):
        f.filed(f.new_booking(provider))
    with django_assert_max_num_queries(12):
        assert as_officer.get(LIST).status_code == 200


# --- one complaint --------------------------------------------------------------------------


def test_the_detail_shows_both_sides_hearing_notes_and_the_rules(as_officer, complaint):
    complaint_respond(
        complaint=complaint, text="Broken before.", acting_user=complaint.provider.user
    )
    url = reverse("grievances:officer_hearing", args=[complaint.pk])
    response = as_officer.post(url, {"text": ""})
    assert response.status_code == 200
    assert en(response.context["hearing_form"].errors["text"]) == ["Please write something here."]
    response = as_officer.post(url, {"text": "Heard both by phone."}, follow=True)
    body = response.content.decode()
    assert "The hearing notes are saved." in body
    assert f.TEXT in body and "Broken before." in body and "Heard both by phone." in body
    assert complaint.entries.filter(kind=EntryKind.HEARING).count() == 1
    assert "none in the last 365 days" in body


def test_deciding_a_warning(as_officer, complaint):
    complaint_respond(complaint=complaint, text="Sorry.", acting_user=complaint.provider.user)
    response = as_officer.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "warning", "reason": "Careless work.", "refund_amount": "50"},
        follow=True,
    )
    assert "The decision is recorded. Both sides have been told." in response.content.decode()
    complaint.refresh_from_db()
    assert (complaint.outcome, str(complaint.refund_amount)) == (Outcome.WARNING, "50.00")


def test_a_suspension_without_a_warning_is_a_form_error(as_officer, complaint):
    complaint_respond(complaint=complaint, text="Sorry.", acting_user=complaint.provider.user)
    response = as_officer.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "suspension", "reason": "Bad.", "until_review": "on"},
    )
    assert response.status_code == 200
    assert (
        response.context["decision_form"]
        .errors["outcome"][0]
        .startswith("A warning first: this Sevamitra has no warning in the last 365 days.")
    )
    complaint.refresh_from_db()
    assert complaint.is_open


def test_deciding_before_the_provider_could_answer_is_refused_on_the_page(as_officer, complaint):
    response = as_officer.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "warning", "reason": "Bad."},
    )
    assert response.status_code == 200
    assert "The Sevamitra can still give their side until" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.is_open


def test_a_bad_refund_amount_is_a_form_error(as_officer, complaint):
    complaint_respond(complaint=complaint, text="Sorry.", acting_user=complaint.provider.user)
    response = as_officer.post(
        reverse("grievances:officer_decide", args=[complaint.pk]),
        {"outcome": "refund", "reason": "Overcharged.", "refund_amount": "9999"},
    )
    assert en(response.context["decision_form"].errors["refund_amount"]) == [
        "The refund must be more than ₹0 and at most ₹350.00, what was paid or charged."
    ]


def test_lifting_a_suspension_until_review(as_officer, provider, officer, now):
    for outcome in ("warning", "suspension"):
        complaint = f.filed(f.new_booking(provider), type="behaviour", now=now)
        complaint_decide(
            complaint=complaint,
            outcome=outcome,
            reason="Found at fault.",
            until_review=outcome == "suspension",
            acting_user=officer,
            now=complaint.response_due_at,
        )
    suspension = Sanction.objects.get(kind="suspension")
    page = as_officer.get(LIST)
    assert [s.pk for s in page.context["until_review"]] == [suspension.pk]
    url = reverse("grievances:sanction_lift", args=[suspension.pk])
    response = as_officer.post(url, {"reason": ""}, follow=True)
    assert "Write why the suspension is lifted." in response.content.decode()
    as_officer.post(url, {"reason": "Training done."})
    suspension.refresh_from_db()
    provider.refresh_from_db()
    assert suspension.status == SanctionStatus.ENDED
    assert provider.verification_status == VerificationStatus.VERIFIED


def test_another_district_cannot_lift(client, provider, officer, now):
    complaint = f.filed(f.new_booking(provider), type="safety", now=now)
    complaint_decide(
        complaint=complaint,
        outcome="suspension",
        reason="Threat.",
        until_review=True,
        acting_user=officer,
        now=complaint.response_due_at,
    )
    client.force_login(f.officer_of(f.district_named("AGRA")))
    sanction = Sanction.objects.get()
    url = reverse("grievances:sanction_lift", args=[sanction.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.ACTIVE


# --- the appellate officer ------------------------------------------------------------------


@pytest.fixture
def appeal(complaint, officer):
    complaint_decide(
        complaint=complaint,
        outcome="warning",
        reason="Careless.",
        acting_user=officer,
        now=complaint.response_due_at,
    )
    f.administrator(name="Appellate Sharma", phone="8999000011")
    return appeal_file(
        sanction=Sanction.objects.get(),
        grounds="Wrong house.",
        acting_user=complaint.provider.user,
        now=complaint.response_due_at,
    )


def test_the_appellate_officer_sees_and_decides_the_appeal(client, appeal):
    client.cookies["django_language"] = "en"
    client.force_login(appeal.appellate_officer)
    page = client.get(LIST)
    assert [a.pk for a in page.context["my_appeals"]] == [appeal.pk]
    url = reverse("grievances:appeal_detail", args=[appeal.pk])
    body = client.get(url).content.decode()
    assert "Wrong house." in body and f.TEXT in body
    response = client.post(url, {"decision": "overturned", "reason": ""})
    assert en(response.context["form"].errors["reason"]) == ["Write the reasons for the decision."]
    response = client.post(
        url, {"decision": "overturned", "reason": "Photos of another house."}, follow=True
    )
    assert "Your decision on the appeal is recorded." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OVERTURNED


def test_the_appellate_officer_may_open_the_complaint(client, appeal):
    client.force_login(appeal.appellate_officer)
    assert client.get(detail(appeal.sanction.complaint)).status_code == 200


def test_the_deciding_officer_cannot_decide_the_appeal(as_officer, appeal):
    url = reverse("grievances:appeal_detail", args=[appeal.pk])
    assert as_officer.get(url).status_code == 404
    assert as_officer.post(url, {"decision": "upheld", "reason": "Mine."}).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_overdue_appeals_show_on_the_districts_list(as_officer, appeal):
    from sevamitra.grievances.models import Appeal

    Appeal.objects.filter(pk=appeal.pk).update(
        filed_at=appeal.filed_at - dt.timedelta(days=40),
        due_at=appeal.filed_at - dt.timedelta(days=10),
    )
    response = as_officer.get(LIST)
    assert [a.pk for a in response.context["overdue_appeals"]] == [appeal.pk]
    assert "Overdue appeals in your districts" in response.content.decode()
