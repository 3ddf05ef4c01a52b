"""Audit completeness of verification (audit/tests/test_completeness.py): each decision, the
Sevamitra's re-submission, the policy change and the lapse write their audit entries."""

import datetime as dt

from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.providers.models import Provider
from sevamitra.verification import services
from sevamitra.verification.tests.factories import officer_for, pending_provider


def _pending():  # type: ignore[no-untyped-def]
    provider = pending_provider()
    return provider, officer_for(provider)


def _changes_requested() -> Provider:
    provider, officer = _pending()
    services.verification_request_changes(
        provider=provider, reason="photo_unclear", acting_user=officer
    )
    return provider


def _overdue() -> Provider:
    provider, officer = _pending()
    services.verification_approve(
        provider=provider, documents_checked=provider.documents.all(), acting_user=officer
    )
    past = timezone.localdate() - dt.timedelta(days=3)
    Provider.objects.filter(pk=provider.pk).update(
        reverification_due_on=past - dt.timedelta(days=30), verified_until=past
    )
    provider.refresh_from_db()
    return provider


TABLE = CaseTable(
    modules=["sevamitra.verification.services"],
    cases={
        "verification_approve": Case(
            "verification.approved",
            lambda given: services.verification_approve(
                provider=given[0],
                documents_checked=given[0].documents.all(),
                acting_user=given[1],
            ),
            _pending,
        ),
        "verification_request_changes": Case(
            "verification.changes_requested",
            lambda given: services.verification_request_changes(
                provider=given[0], reason="name_mismatch", note="नाम", acting_user=given[1]
            ),
            _pending,
        ),
        "verification_reject": Case(
            "verification.rejected",
            lambda given: services.verification_reject(
                provider=given[0], reason="duplicate", acting_user=given[1]
            ),
            _pending,
        ),
        "verification_resubmit": Case(
            "verification.resubmitted",
            lambda p: services.verification_resubmit(provider=p, acting_user=p.user),
            _changes_requested,
        ),
        "verification_policy_update": Case(
            "verification_policy.updated",
            lambda admin: services.verification_policy_update(
                acting_user=admin, reverify_months=12, police_reminder_days="15,3"
            ),
            lambda: user_with_roles(Role.ADMINISTRATOR),
        ),
        "verification_lapse": Case(
            "verification.lapsed",
            lambda p: services.verification_lapse(provider=p),
            _overdue,
        ),
        "verification_reverification_sweep": Case(
            "verification.lapsed",
            lambda p: services.verification_reverification_sweep(),
            _overdue,
        ),
    },
    exempt={
        "add_months": "computes a date; writes nothing",
        "verification_police_reminders_send": "queues reminder texts in the outbox and records "
        "which were sent (notification bookkeeping): no change of domain state",
    },
)
