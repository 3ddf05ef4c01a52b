"""The officer's decisions and the Sevamitra's re-submission: rules, transitions, permissions,
what is recorded (decision, badge, dates, SMS, audit) and that a refusal changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.badges.models import Badge
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.notifications.models import Message
from sevamitra.providers import services as provider_services
from sevamitra.providers.models import (
    VERIFICATION_TRANSITIONS,
    Document,
    Provider,
    VerificationStatus,
)
from sevamitra.providers.tests.factories import ProviderFactory, district, police_document
from sevamitra.verification import services
from sevamitra.verification.models import Decision, VerificationDecision
from sevamitra.verification.services import add_months
from sevamitra.verification.tests.factories import (
    identity_document,
    officer_for,
    pending_provider,
)

pytestmark = pytest.mark.django_db
S = VerificationStatus


def state(provider: Provider) -> tuple:
    """Everything a decision may change about a provider."""
    fresh = Provider.objects.get(pk=provider.pk)
    return (
        fresh.verification_status,
        fresh.status_reason,
        fresh.verified_on,
        fresh.reverification_due_on,
        fresh.verified_until,
        VerificationDecision.objects.filter(provider=provider).count(),
        Badge.objects.filter(provider=provider).count(),
        Message.objects.filter(user=provider.user).count(),
    )


def approve(provider, officer, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("documents_checked", list(provider.documents.all()))
    return services.verification_approve(provider=provider, acting_user=officer, **kwargs)


# --- the transition table ----------------------------------------------------------------------


def test_the_transition_table():
    assert {
        S.PENDING: {S.VERIFIED, S.CHANGES_REQUESTED, S.REJECTED, S.SUSPENDED},
        S.CHANGES_REQUESTED: {S.PENDING, S.REJECTED},
        S.REJECTED: set(),
        S.VERIFIED: {S.SUSPENDED, S.PENDING},
        S.SUSPENDED: {S.VERIFIED},
    } == VERIFICATION_TRANSITIONS


ILLEGAL = [
    (old, new)
    for old in S.values
    for new in S.values
    if new not in VERIFICATION_TRANSITIONS[old] and old != new
]


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(old, new):
    provider = ProviderFactory(verification_status=old, status_reason="")
    officer = officer_for(provider)
    before = state(provider)
    with pytest.raises(DomainError) as error:
        provider_services.provider_set_status(
            provider=provider, status=new, reason="कारण", acting_user=officer
        )
    assert error.value.code == "illegal_transition"
    assert state(provider) == before
    assert not AuditEntry.objects.filter(object_id=str(provider.pk)).exists()


@pytest.mark.parametrize("status", [S.SUSPENDED, S.CHANGES_REQUESTED, S.REJECTED])
def test_suspending_rejecting_and_asking_for_changes_need_a_reason(status):
    provider = ProviderFactory(verification_status=S.PENDING)
    before = state(provider)
    with pytest.raises(DomainError) as error:
        provider_services.provider_set_status(
            provider=provider, status=status, reason="  ", acting_user=officer_for(provider)
        )
    assert error.value.code == "reason_required"
    assert state(provider) == before


def test_the_portal_suspends_on_a_safety_complaint_and_an_officer_reinstates():
    provider = ProviderFactory()
    provider_services.provider_set_status(
        provider=provider, status=S.SUSPENDED, reason="safety complaint", acting_user=None
    )
    provider.refresh_from_db()
    assert (provider.verification_status, provider.status_changed_by) == (S.SUSPENDED, None)
    entry = AuditEntry.objects.get(action="provider.suspended")
    assert (entry.actor_id, entry.actor_role) == (None, "system")
    assert entry.before == {"verification_status": "verified"}
    assert entry.after == {"verification_status": "suspended", "reason_given": True}

    officer = officer_for(provider)
    provider_services.provider_set_status(provider=provider, status=S.VERIFIED, acting_user=officer)
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED
    assert AuditEntry.objects.get(action="provider.reinstated").actor_id == officer.pk


# --- approve -----------------------------------------------------------------------------------


def test_approval_verifies_issues_a_badge_sets_the_dates_and_tells_the_provider():
    provider = pending_provider()
    provider.user.preferred_language = "hi"
    provider.user.save()
    officer = officer_for(provider)
    today = dt.date(2026, 1, 31)

    decision = approve(provider, officer, note="सब ठीक", today=today)

    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED
    assert provider.status_changed_by == officer
    assert provider.verified_on == today
    assert provider.reverification_due_on == dt.date(2028, 1, 31)  # 24 months (the default)
    assert provider.verified_until == dt.date(2028, 3, 1)  # 30 days' grace
    assert decision.decision == Decision.APPROVED and decision.decided_by == officer
    assert list(decision.documents_checked.all()) == list(provider.documents.all())
    badge = Badge.objects.get(provider=provider, revoked_at__isnull=True)
    assert badge.issued_by == officer
    sms = Message.objects.get(user=provider.user, event="verification.approved")
    assert sms.body.startswith("सेवामित्र:")
    assert sms.to == f"+91{provider.user.phone}"

    entry = AuditEntry.objects.get(action="verification.approved")
    assert entry.actor_id == officer.pk
    assert entry.object_type == "verification.verificationdecision"
    assert entry.before == {"verification_status": "pending"}
    assert entry.after["verification_status"] == "verified"
    assert entry.after["badge_id"] == badge.pk
    assert entry.after["note_given"] is True
    assert entry.after["reverification_due_on"] == "2028-01-31"
    assert "सब ठीक" not in str(entry.after)
    actions = list(
        AuditEntry.objects.filter(seq__gte=AuditEntry.objects.get(action="provider.verified").seq)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["provider.verified", "badge.issued", "verification.approved"]


def test_the_identity_document_must_be_ticked():
    provider = pending_provider()
    officer = officer_for(provider)
    before = state(provider)
    with pytest.raises(DomainError) as error, translation.override("en"):
        approve(provider, officer, documents_checked=[])
    assert error.value.code == "identity_not_checked"
    assert str(error.value.message) == "Check the identity document and tick it before approving."
    assert state(provider) == before


def test_without_an_identity_document_approval_is_refused():
    provider = ProviderFactory(verification_status=S.PENDING, offers=[("electrician", "300", "50")])
    before = state(provider)
    with pytest.raises(DomainError) as error, translation.override("en"):
        approve(provider, officer_for(provider))
    assert error.value.code == "identity_not_checked"
    assert str(error.value.message) == (
        "There is no identity document yet: ask for changes so that the Sevamitra adds one."
    )
    assert state(provider) == before


@pytest.mark.parametrize("police_days", [None, -1])
def test_a_police_category_needs_a_certificate_valid_today(police_days):
    provider = pending_provider(
        offers=[("babysitter", "150", "0"), ("electrician", "300", "0")], police_days=police_days
    )
    before = state(provider)
    with pytest.raises(DomainError) as error, translation.override("en"):
        approve(provider, officer_for(provider))
    assert error.value.code == "police_verification_needed"
    assert error.value.extra == {"categories": ["babysitter"]}
    assert str(error.value.message) == (
        "These services need a police verification certificate valid today: Babysitter. "
        "Tick the valid certificate you checked, or ask for changes."
    )
    assert state(provider) == before


def test_a_valid_certificate_must_be_ticked_too():
    provider = pending_provider(offers=[("cook", "200", "0")], police_days=100)
    identity = provider.documents.get(kind="identity")
    with pytest.raises(DomainError) as error:
        approve(provider, officer_for(provider), documents_checked=[identity])
    assert error.value.code == "police_verification_needed"


def test_a_certificate_valid_today_is_enough():
    provider = pending_provider(offers=[("cook", "200", "0")], police_days=0)
    approve(provider, officer_for(provider))
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED


def test_documents_of_another_provider_are_refused():
    provider = pending_provider()
    other = identity_document(ProviderFactory())
    before = state(provider)
    with pytest.raises(DomainError) as error:
        approve(provider, officer_for(provider), documents_checked=[other])
    assert error.value.code == "invalid_document"
    assert state(provider) == before


def test_re_verification_of_a_verified_provider_renews_the_dates_and_the_badge():
    provider = pending_provider()
    officer = officer_for(provider)
    approve(provider, officer, today=dt.date(2025, 5, 1))
    first = Badge.objects.get(provider=provider)

    approve(provider, officer, today=dt.date(2027, 5, 10))

    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED
    assert provider.reverification_due_on == dt.date(2029, 5, 10)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Badge.objects.filter(provider=provider, revoked_at__isnull=True).count() == 1
    entry = AuditEntry.objects.filter(action="verification.approved").latest("seq")
    assert entry.after["reverification"] is True
    assert AuditEntry.objects.filter(action="provider.verified").count() == 1  # no status change


@pytest.mark.parametrize("status", [S.SUSPENDED, S.REJECTED, S.CHANGES_REQUESTED])
def test_only_a_pending_or_verified_provider_is_approved(status):
    provider = pending_provider()
    Provider.objects.filter(pk=provider.pk).update(verification_status=status)
    provider.refresh_from_db()
    before = state(provider)
    with pytest.raises(DomainError) as error:
        approve(provider, officer_for(provider))
    assert error.value.code == "illegal_transition"
    assert state(provider) == before


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)


# --- ask for changes, reject, re-submit --------------------------------------------------------


def test_asking_for_changes_records_the_reason_and_tells_the_provider_in_hindi():
    provider = pending_provider()
    officer = officer_for(provider)
    decision = services.verification_request_changes(
        provider=provider,
        reason="photo_unclear",
        note="चेहरा साफ़ दिखे",
        documents_checked=[provider.documents.get()],
        acting_user=officer,
    )
    provider.refresh_from_db()
    assert provider.verification_status == S.CHANGES_REQUESTED
    assert provider.status_reason == "photo_unclear"
    assert (decision.reason, decision.note) == ("photo_unclear", "चेहरा साफ़ दिखे")
    sms = Message.objects.get(event="verification.changes_requested")
    assert "फ़ोटो साफ़ नहीं है" in sms.body
    entry = AuditEntry.objects.get(action="verification.changes_requested")
    assert entry.after["reason"] == "photo_unclear" and entry.after["note_given"] is True
    assert AuditEntry.objects.filter(action="provider.changes_requested").count() == 1
    assert not Badge.objects.filter(provider=provider).exists()


def test_the_sms_is_in_the_providers_own_language():
    provider = pending_provider()
    provider.user.preferred_language = "en"
    provider.user.save()
    services.verification_reject(
        provider=provider, reason="duplicate", acting_user=officer_for(provider)
    )
    sms = Message.objects.get(event="verification.rejected")
    assert sms.body == (
        "Sevamitra: your registration was not accepted: This person is already registered. "
        "Questions? Call the helpline 1800-000-000."
    )


@pytest.mark.parametrize(
    ("reason", "note", "code"),
    [
        ("", "", "reason_required"),
        ("not-a-reason", "", "reason_required"),
        ("reverification_due", "", "reason_required"),  # the portal's own reason
        ("other", "", "note_required"),
        ("other", "x" * 501, "note_too_long"),
        ("other", "नंबर 2345 6789 0124 है", "aadhaar_number"),
    ],
)
def test_a_decision_against_needs_a_valid_reason_and_note(reason, note, code):
    provider = pending_provider()
    before = state(provider)
    with pytest.raises(DomainError) as error:
        services.verification_request_changes(
            provider=provider, reason=reason, note=note, acting_user=officer_for(provider)
        )
    assert error.value.code == code
    assert state(provider) == before


def test_the_provider_resubmits_and_is_back_in_the_queue():
    provider = pending_provider()
    officer = officer_for(provider)
    services.verification_request_changes(
        provider=provider, reason="name_mismatch", acting_user=officer
    )
    decision = services.verification_resubmit(provider=provider, acting_user=provider.user)
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING
    assert provider.status_reason == ""
    assert decision.decision == Decision.RESUBMITTED and decision.decided_by == provider.user
    entry = AuditEntry.objects.get(action="verification.resubmitted")
    assert entry.actor_id == provider.user_id
    assert entry.before == {"verification_status": "changes_requested"}
    assert AuditEntry.objects.get(action="provider.returned_to_pending").actor_id == (
        provider.user_id
    )


def test_only_a_provider_asked_for_changes_can_resubmit():
    provider = pending_provider()
    before = state(provider)
    with pytest.raises(DomainError) as error:
        services.verification_resubmit(provider=provider, acting_user=provider.user)
    assert error.value.code == "illegal_transition"
    assert state(provider) == before


def test_someone_else_cannot_resubmit_for_the_provider():
    provider = pending_provider()
    officer = officer_for(provider)
    services.verification_request_changes(
        provider=provider, reason="other", note="?", acting_user=officer
    )
    before = state(provider)
    with pytest.raises(PermissionDenied):
        services.verification_resubmit(provider=provider, acting_user=officer)
    assert state(provider) == before


def test_a_provider_waiting_for_changes_can_be_rejected_and_rejection_is_final():
    provider = pending_provider()
    officer = officer_for(provider)
    services.verification_request_changes(
        provider=provider, reason="other", note="?", acting_user=officer
    )
    services.verification_reject(provider=provider, reason="duplicate", acting_user=officer)
    provider.refresh_from_db()
    assert provider.verification_status == S.REJECTED
    before = state(provider)
    for attempt in (
        lambda: approve(provider, officer),
        lambda: services.verification_request_changes(
            provider=provider, reason="other", note="?", acting_user=officer
        ),
        lambda: services.verification_resubmit(provider=provider, acting_user=provider.user),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "illegal_transition"
    assert state(provider) == before


def test_a_verified_provider_cannot_be_asked_for_changes():
    provider = ProviderFactory()
    before = state(provider)
    with pytest.raises(DomainError) as error:
        services.verification_request_changes(
            provider=provider, reason="photo_unclear", acting_user=officer_for(provider)
        )
    assert error.value.code == "illegal_transition"
    assert state(provider) == before


# --- who may decide ----------------------------------------------------------------------------


def _other_district_officer():  # type: ignore[no-untyped-def]
    return user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR"))


@pytest.mark.parametrize(
    "who",
    [
        "other_district",
        "self",
        "citizen",
        "agent",
        "auditor",
    ],
)
def test_only_the_districts_officer_or_an_administrator_decides(who):
    provider = pending_provider()
    user = {
        "other_district": _other_district_officer,
        "self": lambda: provider.user,
        "citizen": lambda: user_with_roles(Role.CITIZEN),
        "agent": lambda: user_with_roles(Role.AGENT),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
    }[who]()
    before = state(provider)
    for attempt in (
        lambda: approve(provider, user),
        lambda: services.verification_request_changes(
            provider=provider, reason="photo_unclear", acting_user=user
        ),
        lambda: services.verification_reject(
            provider=provider, reason="duplicate", acting_user=user
        ),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert state(provider) == before


def test_an_administrator_decides_anywhere():
    provider = pending_provider(district=district("KANPUR NAGAR"))
    approve(provider, user_with_roles(Role.ADMINISTRATOR))
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED


def test_an_officer_cannot_decide_about_themself():
    provider = pending_provider()
    officer = provider.user
    from sevamitra.accounts.models import RoleGrant

    RoleGrant.objects.create(user=officer, role=Role.DISTRICT_OFFICER, district=provider.district)
    with pytest.raises(PermissionDenied):
        approve(provider, officer)


def test_the_decision_keeps_documents_checked_when_a_document_is_erased():
    provider = pending_provider(offers=[("cook", "200", "0")])
    police_document(provider, timezone.localdate() + dt.timedelta(days=50))
    decision = approve(provider, officer_for(provider))
    Document.objects.filter(provider=provider, kind="identity").delete()
    assert [d.kind for d in decision.documents_checked.all()] == ["police"]
