"""The officer's decision: both sides heard first, reasons always, refunds within what was
paid, a warning before a suspension (except on safety), suspensions that end."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role, RoleGrant
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.models import BookingStatus, Payment
from sevamitra.core.errors import DomainError
from sevamitra.grievances import tasks
from sevamitra.grievances.models import (
    ComplaintStatus,
    Outcome,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from sevamitra.grievances.services.complaints import complaint_respond
from sevamitra.grievances.services.decisions import (
    complaint_decide,
    sanction_lift,
    sanctions_end_expired,
)
from sevamitra.grievances.tests import factories as f
from sevamitra.notifications.models import Message
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.services import provider_set_status
from sevamitra.tasks import registry

pytestmark = pytest.mark.django_db
REASON = "Heard both sides; the wiring was left unsafe."


def answered(complaint, now):
    complaint_respond(
        complaint=complaint,
        text="I finished the work.",
        acting_user=complaint.provider.user,
        now=now,
    )
    complaint.refresh_from_db()
    return complaint


def decide(complaint, officer, now, outcome="warning", **kwargs):
    kwargs.setdefault("reason", REASON)
    return complaint_decide(
        complaint=complaint, outcome=outcome, acting_user=officer, now=now, **kwargs
    )


def warned(provider, officer, now):
    """A warning on record for the provider, decided on another complaint."""
    complaint = answered(f.filed(f.new_booking(provider), type="behaviour", now=now), now)
    decide(complaint, officer, now, "warning")
    return Sanction.objects.get(complaint=complaint)


def assert_undecided(complaint):
    complaint.refresh_from_db()
    assert complaint.is_open
    assert complaint.outcome == ""
    assert not Sanction.objects.filter(complaint=complaint).exists()
    assert not AuditEntry.objects.filter(action="complaint.resolved").exists()


# --- both sides heard ----------------------------------------------------------------------


def test_dismissed_at_any_time(complaint, officer, now):
    decide(complaint, officer, now, "dismissed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert (complaint.outcome, complaint.outcome_reason) == (Outcome.DISMISSED, REASON)
    assert (complaint.decided_by, complaint.resolved_at) == (officer, now)


@pytest.mark.parametrize("outcome", ["warning", "refund"])
def test_no_sanction_before_the_provider_could_answer(complaint, officer, now, outcome):
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, outcome, refund_amount=Decimal("100"))
    assert error.value.code == "provider_not_heard"
    assert_undecided(complaint)


def test_after_the_provider_answered(complaint, officer, now):
    answered(complaint, now)
    decide(complaint, officer, now, "warning")
    assert Sanction.objects.get(complaint=complaint).kind == SanctionKind.WARNING


def test_after_the_time_to_answer_has_passed(complaint, officer):
    decide(complaint, officer, complaint.response_due_at, "warning")
    complaint.refresh_from_db()
    assert complaint.outcome == Outcome.WARNING


def test_a_written_reason_is_required(complaint, officer, now):
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "dismissed", reason="  ")
    assert (error.value.code, error.value.field) == ("required", "reason")
    assert_undecided(complaint)


def test_the_reason_is_not_copied_into_the_audit_trail(complaint, officer, now):
    decide(complaint, officer, now, "dismissed")
    entry = AuditEntry.objects.get(action="complaint.resolved")
    assert entry.after["reason_given"] is True
    assert REASON not in str(entry.after)
    assert entry.actor_id == officer.pk


def test_a_closed_complaint_is_not_decided_again(complaint, officer, now):
    decide(complaint, officer, now, "dismissed")
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "warning")
    assert error.value.code == "complaint_closed"
    assert not Sanction.objects.exists()


# --- who decides ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["customer", "provider", "other_district_officer", "agent", "auditor", "stranger"]
)
def test_only_the_districts_officers_and_administrators_decide(complaint, now, who):
    people = {
        "customer": lambda: complaint.customer,
        "provider": lambda: complaint.provider.user,
        "other_district_officer": lambda: f.officer_of(f.district_named("AGRA")),
        "agent": lambda: user_with_roles(Role.AGENT),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
        "stranger": UserFactory,
    }
    with pytest.raises(DomainError) as error:
        decide(complaint, people[who](), now, "dismissed")
    assert error.value.code == "permission_denied"
    assert_undecided(complaint)


def test_an_officer_who_is_the_provider_does_not_decide_about_themself(provider, now):
    officer_provider = f.new_provider(district=provider.district)
    RoleGrant.objects.create(
        user=officer_provider.user, role=Role.DISTRICT_OFFICER, district=provider.district
    )
    complaint = f.filed(f.new_booking(officer_provider), now=now)
    with pytest.raises(DomainError):
        decide(complaint, officer_provider.user, now, "dismissed")
    assert_undecided(complaint)


def test_an_administrator_decides_anywhere(complaint, now):
    decide(complaint, f.administrator(), now, "dismissed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED


# --- refunds --------------------------------------------------------------------------------


def test_a_refund_up_to_what_was_paid(provider, officer, now):
    booking = f.new_booking(provider, total="350.00")
    Payment.objects.create(
        booking=booking, method="upi", amount=Decimal("350.00"), recorded_by=booking.customer
    )
    complaint = answered(f.filed(booking, type="overcharge", now=now), now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "refund", refund_amount=Decimal("350.01"))
    assert (error.value.code, error.value.field) == ("refund_over_limit", "refund_amount")
    assert_undecided(complaint)
    decide(complaint, officer, now, "refund", refund_amount=Decimal("350"))
    complaint.refresh_from_db()
    assert complaint.refund_amount == Decimal("350.00")
    assert not Sanction.objects.exists()  # a refund order is no sanction
    customer_text = Message.objects.get(user=booking.customer, event="complaint.resolved").body
    assert "350.00" in customer_text


def test_a_cancelled_bookings_refund_is_at_most_its_fee(provider, officer, now):
    booking = f.new_booking(
        provider,
        status=BookingStatus.CANCELLED,
        cancellation_fee="100.00",
        confirmed_before=True,
    )
    complaint = answered(f.filed(booking, type="overcharge", now=now), now)
    with pytest.raises(DomainError):
        decide(complaint, officer, now, "refund", refund_amount=Decimal("100.50"))
    decide(complaint, officer, now, "refund", refund_amount=Decimal("100"))
    complaint.refresh_from_db()
    assert complaint.refund_amount == Decimal("100.00")


def test_no_refund_where_nothing_was_paid_or_charged(provider, officer, now):
    booking = f.new_booking(provider, status=BookingStatus.NO_SHOW)
    complaint = answered(f.filed(booking, type="no_show", now=now), now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "refund", refund_amount=Decimal("1"))
    assert error.value.code == "refund_over_limit"
    assert_undecided(complaint)


def test_a_refund_needs_an_amount_and_a_dismissal_none(complaint, officer, now):
    answered(complaint, now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "refund")
    assert (error.value.code, error.value.field) == ("required", "refund_amount")
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "dismissed", refund_amount=Decimal("10"))
    assert error.value.field == "refund_amount"
    assert_undecided(complaint)


def test_a_refund_can_come_with_a_warning(complaint, officer, now):
    decide(answered(complaint, now), officer, now, "warning", refund_amount=Decimal("50"))
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.refund_amount) == (Outcome.WARNING, Decimal("50.00"))


# --- warnings and suspensions ---------------------------------------------------------------


def test_a_warning_is_recorded_with_its_appeal_window(complaint, officer, now):
    decide(answered(complaint, now), officer, now, "warning")
    warning = Sanction.objects.get()
    assert (warning.kind, warning.status, warning.provider) == (
        SanctionKind.WARNING,
        SanctionStatus.ACTIVE,
        complaint.provider,
    )
    assert warning.reason == REASON
    assert warning.appeal_due_at == now + dt.timedelta(days=15)
    assert warning.suspended_until is None
    entry = AuditEntry.objects.get(action="sanction.warning_issued")
    assert entry.object_id == str(warning.pk)
    assert entry.after["reason_given"] is True
    provider_text = Message.objects.get(
        user=complaint.provider.user, event="complaint.resolved"
    ).body
    appeal_by = timezone.localtime(now + dt.timedelta(days=15)).strftime("%d/%m/%Y")
    assert appeal_by in provider_text
    assert Provider.objects.get(pk=complaint.provider_id).verification_status == "verified"


def test_a_warning_first_no_suspension_without_one(complaint, officer, now):
    answered(complaint, now)
    until = timezone.localdate(now) + dt.timedelta(days=10)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "suspension", suspended_until=until)
    assert error.value.code == "warning_first"
    assert_undecided(complaint)
    assert Provider.objects.get(pk=complaint.provider_id).verification_status == "verified"


def test_with_a_warning_on_record_a_suspension(provider, officer, now):
    warned(provider, officer, now - dt.timedelta(days=100))
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    until = timezone.localdate(now) + dt.timedelta(days=10)
    decide(complaint, officer, now, "suspension", suspended_until=until)
    suspension = Sanction.objects.get(complaint=complaint)
    assert (suspension.kind, suspension.suspended_until) == (SanctionKind.SUSPENSION, until)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == REASON
    assert provider.status_changed_by == officer
    assert suspension.applied_at == provider.status_changed_at
    entry = AuditEntry.objects.get(action="sanction.suspension_imposed")
    assert entry.after["suspended_until"] == until.isoformat()
    assert entry.after["provider_suspended"] is True


def test_a_warning_older_than_a_year_does_not_count(provider, officer, now):
    warned(provider, officer, now - dt.timedelta(days=366))
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "suspension", until_review=True)
    assert error.value.code == "warning_first"


def test_an_overturned_warning_does_not_count(provider, officer, now):
    warning = warned(provider, officer, now)
    Sanction.objects.filter(pk=warning.pk).update(status=SanctionStatus.OVERTURNED)
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "suspension", until_review=True)
    assert error.value.code == "warning_first"


@pytest.mark.parametrize(
    ("days", "until_review"),
    [(None, False), (10, True), (0, False), (-1, False), (366, False)],
)
def test_a_suspension_has_a_last_day_within_a_year_or_lasts_until_review(
    provider, officer, now, days, until_review
):
    warned(provider, officer, now)
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    until = None if days is None else timezone.localdate(now) + dt.timedelta(days=days)
    with pytest.raises(DomainError) as error:
        decide(
            complaint, officer, now, "suspension", suspended_until=until, until_review=until_review
        )
    assert error.value.field == "suspended_until"
    complaint.refresh_from_db()
    assert complaint.is_open
    assert not Sanction.objects.filter(kind="suspension").exists()


def test_only_a_suspension_has_an_end(complaint, officer, now):
    answered(complaint, now)
    with pytest.raises(DomainError) as error:
        decide(complaint, officer, now, "warning", until_review=True)
    assert error.value.field == "suspended_until"
    assert_undecided(complaint)


def test_a_suspension_ends_after_its_last_day_and_the_provider_works_again(provider, officer, now):
    warned(provider, officer, now)
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    until = timezone.localdate(now) + dt.timedelta(days=3)
    decide(complaint, officer, now, "suspension", suspended_until=until)
    last_day = now + dt.timedelta(days=3)
    assert sanctions_end_expired(now=last_day) == 0
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    day_after = now + dt.timedelta(days=4)
    assert sanctions_end_expired(now=day_after) == 1
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert provider.status_changed_by is None  # the portal, on the rule
    suspension = Sanction.objects.get(complaint=complaint)
    assert (suspension.status, suspension.ended_at) == (SanctionStatus.ENDED, day_after)
    assert AuditEntry.objects.filter(action="sanction.ended").count() == 1
    assert Message.objects.filter(user=provider.user, event="sanction.ended").count() == 1
    assert sanctions_end_expired(now=day_after + dt.timedelta(hours=1)) == 0  # once


def test_the_end_of_suspensions_is_a_periodic_job():
    assert registry.periodic_jobs()["grievances.end_suspensions"] == dt.timedelta(hours=1)
    assert registry.get("grievances.end_suspensions").func is tasks.end_suspensions


def test_a_suspension_until_review_is_lifted_by_an_officer(provider, officer, now):
    warned(provider, officer, now)
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    decide(complaint, officer, now, "suspension", until_review=True)
    suspension = Sanction.objects.get(complaint=complaint)
    assert sanctions_end_expired(now=now + dt.timedelta(days=400)) == 0  # no end date
    with pytest.raises(DomainError) as error:
        sanction_lift(sanction=suspension, reason="", acting_user=officer, now=now)
    assert error.value.code == "required"
    with pytest.raises(DomainError) as error:
        sanction_lift(sanction=suspension, reason="Reviewed.", acting_user=complaint.customer)
    assert error.value.code == "permission_denied"
    suspension.refresh_from_db()
    assert suspension.status == SanctionStatus.ACTIVE
    sanction_lift(sanction=suspension, reason="Training done.", acting_user=officer, now=now)
    suspension.refresh_from_db()
    provider.refresh_from_db()
    assert suspension.status == SanctionStatus.ENDED
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert AuditEntry.objects.get(action="sanction.lifted").after == {
        "status": "ended",
        "ended_at": AuditEntry.objects.get(action="sanction.lifted").after["ended_at"],
    }


def test_a_warning_cannot_be_lifted(provider, officer, now):
    warning = warned(provider, officer, now)
    with pytest.raises(DomainError) as error:
        sanction_lift(sanction=warning, reason="No.", acting_user=officer, now=now)
    assert error.value.code == "not_a_suspension"


def test_the_end_of_a_suspension_never_undoes_another_officers_suspension(provider, officer, now):
    warned(provider, officer, now)
    complaint = answered(f.filed(f.new_booking(provider), now=now), now)
    decide(complaint, officer, now, "suspension", until_review=True)
    # Meanwhile the officer suspends the provider on another ground (e.g. documents).
    provider_set_status(provider=provider, status="verified", reason="", acting_user=officer)
    provider_set_status(
        provider=provider,
        status="suspended",
        reason="Police certificate expired.",
        acting_user=officer,
    )
    sanction_lift(
        sanction=Sanction.objects.get(complaint=complaint),
        reason="Reviewed.",
        acting_user=officer,
        now=now,
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    assert provider.status_reason == "Police certificate expired."


def test_nothing_here_blocks_a_provider_for_good():
    """Due process: no code path of this app sets a final status ("not accepted"), and every
    suspension has an end date or is lifted after review."""
    package = Path(__file__).resolve().parents[1]
    sources = [
        p.read_text(encoding="utf-8")
        for p in package.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts
    ]
    assert sources
    assert not any("REJECTED" in text or '"rejected"' in text for text in sources)
