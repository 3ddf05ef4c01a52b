"""Appeals: within the window, to a named appellate officer other than the one who decided,
decided only by that officer; overturning a suspension reinstates the provider."""

import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import DomainError
from sevamitra.grievances.models import Appeal, AppealStatus, Sanction, SanctionStatus
from sevamitra.grievances.services.appeals import appeal_decide, appeal_file
from sevamitra.grievances.services.complaints import complaint_respond
from sevamitra.grievances.services.decisions import complaint_decide
from sevamitra.grievances.tests import factories as f
from sevamitra.notifications.models import Message
from sevamitra.providers.models import VerificationStatus

pytestmark = pytest.mark.django_db
GROUNDS = "The customer's photos are of another house."


def sanction_of(provider, officer, now, outcome="warning", **kwargs):
    booking = f.new_booking(provider, starts_at=now - dt.timedelta(days=2))
    complaint = f.filed(booking, now=now)
    complaint_respond(complaint=complaint, text="Not my work.", acting_user=provider.user, now=now)
    complaint_decide(
        complaint=complaint,
        outcome=outcome,
        reason="Found at fault.",
        acting_user=officer,
        now=now,
        **kwargs,
    )
    return Sanction.objects.get(complaint=complaint)


def suspension_of(provider, officer, now):
    sanction_of(provider, officer, now - dt.timedelta(days=1))  # the warning first
    return sanction_of(provider, officer, now, "suspension", until_review=True)


@pytest.fixture
def admin_officer():
    return f.administrator(name="Appellate Sharma")


@pytest.fixture
def warning(provider, officer, now):
    return sanction_of(provider, officer, now)


def appeal(sanction, now, **kwargs):
    kwargs.setdefault("grounds", GROUNDS)
    return appeal_file(sanction=sanction, acting_user=sanction.provider.user, now=now, **kwargs)


def test_an_appeal_goes_to_a_named_administrator(warning, admin_officer, now):
    made = appeal(warning, now + dt.timedelta(days=1))
    assert made.appellate_officer == admin_officer
    assert made.status == AppealStatus.PENDING
    assert made.due_at == now + dt.timedelta(days=31)
    assert made.grounds == GROUNDS
    assert Message.objects.get(user=admin_officer).event == "appeal.filed"
    entry = AuditEntry.objects.get(action="appeal.filed")
    assert entry.after["appellate_officer_id"] == admin_officer.pk
    assert GROUNDS not in str(entry.after)


def test_without_an_administrator_another_officer_of_the_district(warning, officer, provider, now):
    colleague = f.officer_of(provider.district)
    f.officer_of(f.district_named("AGRA"))  # another district's: never
    assert appeal(warning, now).appellate_officer == colleague
    assert officer != colleague


def test_never_the_officer_who_decided(provider, now):
    deciding_admin = f.administrator()
    warning = sanction_of(provider, deciding_admin, now)
    other_admin = f.administrator()
    assert appeal(warning, now).appellate_officer == other_admin


def test_the_least_busy_appellate_officer(provider, officer, now):
    first, second = f.administrator(), f.administrator()
    a = appeal(sanction_of(provider, officer, now), now)
    b = appeal(sanction_of(provider, officer, now), now)
    assert {a.appellate_officer, b.appellate_officer} == {first, second}


def test_read_only_accounts_never_hear_appeals(warning, now):
    auditor = user_with_roles(Role.ADMINISTRATOR, Role.AUDITOR)
    with pytest.raises(DomainError) as error:
        appeal(warning, now)
    assert error.value.code == "no_appellate_officer"
    assert not Appeal.objects.exists()
    assert auditor.pk


def test_within_the_appeal_window(warning, admin_officer, now):
    with pytest.raises(DomainError) as error:
        appeal(warning, warning.appeal_due_at + dt.timedelta(seconds=1))
    assert error.value.code == "appeal_too_late"
    assert not Appeal.objects.exists()
    assert appeal(warning, warning.appeal_due_at).status == AppealStatus.PENDING


def test_once_and_only_by_the_provider(warning, admin_officer, now):
    with pytest.raises(DomainError) as error:
        appeal_file(sanction=warning, grounds=GROUNDS, acting_user=admin_officer, now=now)
    assert error.value.code == "permission_denied"
    appeal(warning, now)
    with pytest.raises(DomainError) as error:
        appeal(warning, now)
    assert error.value.code == "already_appealed"
    assert Appeal.objects.count() == 1


def test_grounds_are_required(warning, admin_officer, now):
    with pytest.raises(DomainError) as error:
        appeal(warning, now, grounds=" ")
    assert (error.value.code, error.value.field) == ("required", "grounds")
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["deciding_officer", "another_admin", "provider"])
def test_only_the_named_officer_decides(warning, admin_officer, officer, now, who):
    made = appeal(warning, now)
    people = {
        "deciding_officer": officer,
        "another_admin": f.administrator(),
        "provider": warning.provider.user,
    }
    with pytest.raises(DomainError) as error:
        appeal_decide(
            appeal=made, decision="overturned", reason="x", acting_user=people[who], now=now
        )
    assert error.value.code == "permission_denied"
    made.refresh_from_db()
    warning.refresh_from_db()
    assert (made.status, warning.status) == (AppealStatus.PENDING, SanctionStatus.ACTIVE)


def test_upheld_with_reasons(warning, admin_officer, now):
    made = appeal(warning, now)
    with pytest.raises(DomainError) as error:
        appeal_decide(appeal=made, decision="upheld", reason="", acting_user=admin_officer)
    assert error.value.field == "reason"
    appeal_decide(
        appeal=made,
        decision="upheld",
        reason="The photos match.",
        acting_user=admin_officer,
        now=now,
    )
    made.refresh_from_db()
    warning.refresh_from_db()
    assert (made.status, made.decided_at) == (AppealStatus.UPHELD, now)
    assert warning.status == SanctionStatus.ACTIVE
    assert Message.objects.get(user=warning.provider.user, event="appeal.decided")
    with pytest.raises(DomainError) as error:
        appeal_decide(
            appeal=made, decision="overturned", reason="Changed my mind.", acting_user=admin_officer
        )
    assert error.value.code == "appeal_decided"


def test_an_overturned_warning_no_longer_counts(warning, admin_officer, officer, provider, now):
    made = appeal(warning, now)
    appeal_decide(
        appeal=made,
        decision="overturned",
        reason="Wrong house.",
        acting_user=admin_officer,
        now=now,
    )
    warning.refresh_from_db()
    assert warning.status == SanctionStatus.OVERTURNED
    assert AuditEntry.objects.get(action="sanction.overturned").after["status"] == "overturned"
    complaint = f.filed(f.new_booking(provider), now=now)
    with pytest.raises(DomainError) as error:
        complaint_decide(
            complaint=complaint,
            outcome="suspension",
            reason="Again.",
            until_review=True,
            acting_user=officer,
            now=complaint.response_due_at,
        )
    assert error.value.code == "warning_first"


def test_overturning_a_suspension_reinstates_the_provider(provider, officer, admin_officer, now):
    suspension = suspension_of(provider, officer, now)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED
    made = appeal(suspension, now)
    appeal_decide(
        appeal=made, decision="overturned", reason="Not proven.", acting_user=admin_officer, now=now
    )
    provider.refresh_from_db()
    suspension.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert provider.status_changed_by == admin_officer
    assert suspension.status == SanctionStatus.OVERTURNED
    assert AuditEntry.objects.get(action="appeal.decided").after["provider_reinstated"] is True


def test_upholding_a_suspension_keeps_it(provider, officer, admin_officer, now):
    suspension = suspension_of(provider, officer, now)
    appeal_decide(
        appeal=appeal(suspension, now),
        decision="upheld",
        reason="Proven.",
        acting_user=admin_officer,
        now=now,
    )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.SUSPENDED


def test_an_ended_suspension_can_still_be_appealed_to_clear_the_record(
    provider, officer, admin_officer, now
):
    sanction_of(provider, officer, now - dt.timedelta(days=1))
    until = timezone.localdate(now) + dt.timedelta(days=1)
    suspension = sanction_of(provider, officer, now, "suspension", suspended_until=until)
    from sevamitra.grievances.services.decisions import sanctions_end_expired

    assert sanctions_end_expired(now=now + dt.timedelta(days=2)) == 1
    made = appeal(suspension, now + dt.timedelta(days=3))
    appeal_decide(
        appeal=made, decision="overturned", reason="Not proven.", acting_user=admin_officer
    )
    suspension.refresh_from_db()
    assert suspension.status == SanctionStatus.OVERTURNED
