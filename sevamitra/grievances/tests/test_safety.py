"""A safety complaint suspends the provider at once, pending the district officer's review,
and the officer clears them (reinstated) or sanctions them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sevamitra.audit.models import AuditEntry
from sevamitra.badges.selectors import Verdict, badge_check
from sevamitra.badges.tests.factories import issued_badge
from sevamitra.bookings.models import BookingStatus
from sevamitra.core.errors import DomainError
from sevamitra.grievances.models import (
    ComplaintStatus,
    EscalationCause,
    Sanction,
    SanctionKind,
)
from sevamitra.grievances.services._common import SAFETY_SUSPENSION_REASON
from sevamitra.grievances.services.complaints import complaint_withdraw
from sevamitra.grievances.services.decisions import complaint_decide
from sevamitra.grievances.tests import factories as f
from sevamitra.notifications.models import Message
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.services import provider_set_status
from sevamitra.providers.tests.factories import LUCKNOW, category, local
from sevamitra.search.params import SearchQuery
from sevamitra.search.selectors import search_offers

pytestmark = pytest.mark.django_db


def search_electricians(now):
    day = timezone.localdate(now) + dt.timedelta(days=1)
    query = SearchQuery(
        category=category("electrician"),
        lat=LUCKNOW[0],
        lng=LUCKNOW[1],
        pincode=None,
        start=local(day, "10:00"),
        end=local(day, "11:00"),
        limit=10,
        offset=0,
    )
    return list(search_offers(query, now=now))


def safety(booking, now):
    return f.filed(booking, type="safety", text="He threatened my mother.", now=now)


def test_the_provider_is_suspended_at_once_and_the_officers_told(provider, booking, officer, now):
    complaint = safety(booking, now)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == SAFETY_SUSPENSION_REASON
    assert provider.status_changed_by is None  # the portal itself, on the rule
    assert complaint.interim_suspended_at == provider.status_changed_at
    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.escalated_at == now
    assert complaint.escalation_cause == EscalationCause.SAFETY
    assert complaint.due_at == now + dt.timedelta(days=2)
    assert Message.objects.get(user=officer).event == "complaint.escalated"
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["complaint.filed", "complaint.escalated"]
    assert AuditEntry.objects.filter(
        object_type="providers.provider", object_id=str(provider.pk)
    ).exists()


def test_the_provider_drops_out_of_search_and_the_badge_says_suspended(provider, booking, now):
    badge = issued_badge(provider)
    assert [offer.provider_id for offer in search_electricians(now)] == [provider.pk]
    assert badge_check(badge.token).verdict == Verdict.VALID
    safety(booking, now)
    assert search_electricians(now) == []
    assert badge_check(badge.token).verdict == Verdict.SUSPENDED


def test_customers_of_the_next_days_are_told_bookings_stay(provider, booking, now):
    soon = f.new_booking(
        provider, status=BookingStatus.CONFIRMED, starts_at=now + dt.timedelta(days=2)
    )
    requested = f.new_booking(
        provider, status=BookingStatus.REQUESTED, starts_at=now + dt.timedelta(days=6)
    )
    later = f.new_booking(
        provider, status=BookingStatus.CONFIRMED, starts_at=now + dt.timedelta(days=8)
    )
    other = f.new_booking(status=BookingStatus.CONFIRMED, starts_at=now + dt.timedelta(days=2))
    safety(booking, now)
    told = set(
        Message.objects.filter(event="provider.suspended_notice").values_list(
            "reference", flat=True
        )
    )
    assert told == {f"booking:{soon.pk}", f"booking:{requested.pk}"}
    body = Message.objects.get(reference=f"booking:{soon.pk}").body
    assert "1800-000-000" in body
    for made in (soon, requested, later, other):
        made.refresh_from_db()
    assert [soon.status, requested.status, later.status] == ["confirmed", "requested", "confirmed"]


def test_a_safety_complaint_cannot_be_withdrawn(booking, now):
    complaint = safety(booking, now)
    with pytest.raises(DomainError) as error:
        complaint_withdraw(complaint=complaint, acting_user=booking.customer, now=now)
    assert error.value.code == "safety_not_withdrawable"
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED


def test_a_refused_filing_suspends_nobody(provider, booking, now):
    fake = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(DomainError):
        f.filed(booking, type="safety", files=[fake], now=now)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert not Message.objects.exists()


def test_cleared_the_provider_is_reinstated_and_customers_told(provider, booking, officer, now):
    soon = f.new_booking(
        provider, status=BookingStatus.CONFIRMED, starts_at=now + dt.timedelta(days=3)
    )
    complaint = safety(booking, now)
    complaint_decide(
        complaint=complaint,
        outcome="dismissed",
        reason="Heard both; the customer's son confirmed no threat.",
        acting_user=officer,
        now=now,
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert provider.status_changed_by == officer
    assert Message.objects.filter(
        reference=f"booking:{soon.pk}", event="provider.reinstated_notice"
    ).exists()
    assert search_electricians(now + dt.timedelta(minutes=1))


def test_a_warning_on_a_safety_complaint_also_reinstates(provider, booking, officer, now):
    complaint = safety(booking, now)
    complaint_decide(
        complaint=complaint,
        outcome="warning",
        reason="Rude words, no danger.",
        acting_user=officer,
        now=complaint.response_due_at,
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED


def test_a_safety_finding_suspends_without_a_warning_first(provider, booking, officer, now):
    complaint = safety(booking, now)
    provider.refresh_from_db()
    interim = provider.status_changed_at
    complaint_decide(
        complaint=complaint,
        outcome="suspension",
        reason="Threat confirmed by two witnesses.",
        until_review=True,
        acting_user=officer,
        now=complaint.response_due_at,
    )
    suspension = Sanction.objects.get()
    assert (suspension.kind, suspension.safety_finding) == (SanctionKind.SUSPENSION, True)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    # The interim suspension is kept and becomes the sanction's.
    assert suspension.applied_at == interim == provider.status_changed_at


def test_while_another_safety_complaint_is_open_the_provider_stays_suspended(
    provider, officer, now
):
    first = safety(f.new_booking(provider), now)
    second = safety(f.new_booking(provider), now)
    assert second.interim_suspended_at == first.interim_suspended_at
    complaint_decide(
        complaint=first, outcome="dismissed", reason="No.", acting_user=officer, now=now
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    complaint_decide(
        complaint=second, outcome="dismissed", reason="No.", acting_user=officer, now=now
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED


def test_a_provider_suspended_for_another_reason_is_not_reinstated(provider, booking, officer, now):
    provider_set_status(
        provider=provider, status="suspended", reason="Documents expired.", acting_user=officer
    )
    complaint = safety(booking, now)
    assert complaint.interim_suspended_at is None
    complaint_decide(
        complaint=complaint, outcome="dismissed", reason="No.", acting_user=officer, now=now
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == "Documents expired."
