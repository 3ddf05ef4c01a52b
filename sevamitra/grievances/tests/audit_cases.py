"""Audit completeness of grievances (audit/tests/test_completeness.py): every service writes
its audit entry; the shared helpers say why they write none of their own."""

import datetime as dt

from django.utils import timezone

from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.grievances.models import Complaint, Sanction
from sevamitra.grievances.services import _common, appeals, complaints, decisions, rules
from sevamitra.grievances.tests import factories as f


def _complaint():  # type: ignore[no-untyped-def]
    complaint = f.filed(f.new_booking())
    return complaint, f.officer_of(complaint.provider.district)


def _answered():  # type: ignore[no-untyped-def]
    complaint, officer = _complaint()
    complaints.complaint_respond(
        complaint=complaint, text="My side.", acting_user=complaint.provider.user
    )
    return complaint, officer


def _overdue():  # type: ignore[no-untyped-def]
    now = timezone.now()
    booking = f.new_booking(starts_at=now - dt.timedelta(days=20))
    return f.filed(booking, now=now - dt.timedelta(days=15))


def _sanction(outcome: str = "warning"):  # type: ignore[no-untyped-def]
    """A warning, or a suspension until review on a safety complaint (no warning needed)."""

    def build():  # type: ignore[no-untyped-def]
        kind = "safety" if outcome == "suspension" else "quality"
        complaint = f.filed(f.new_booking(), type=kind)
        officer = f.officer_of(complaint.provider.district)
        complaints.complaint_respond(
            complaint=complaint, text="My side.", acting_user=complaint.provider.user
        )
        decisions.complaint_decide(
            complaint=complaint,
            outcome=outcome,
            reason="Found at fault.",
            until_review=outcome == "suspension",
            acting_user=officer,
        )
        return Sanction.objects.get(complaint=complaint), officer

    return build


def _appealable():  # type: ignore[no-untyped-def]
    sanction, _officer = _sanction()()
    f.administrator()  # the appellate officer
    return sanction


def _appeal():  # type: ignore[no-untyped-def]
    sanction = _appealable()
    appeal = appeals.appeal_file(
        sanction=sanction, grounds="Wrong.", acting_user=sanction.provider.user
    )
    return appeal, appeal.appellate_officer


def _past_its_last_day():  # type: ignore[no-untyped-def]
    sanction, _officer = _sanction("suspension")()
    Sanction.objects.filter(pk=sanction.pk).update(suspended_until=timezone.localdate())


def _cleared_safety():  # type: ignore[no-untyped-def]
    """A provider suspended on a safety complaint that has just been decided (no hold)."""
    complaint = f.filed(f.new_booking(), type="safety")
    officer = f.officer_of(complaint.provider.district)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="resolved", outcome="dismissed", decided_by=officer, resolved_at=timezone.now()
    )
    return complaint.provider, officer


HELPER = "a helper of the grievance services, run inside their transactions; "
TABLE = CaseTable(
    modules=[
        "sevamitra.grievances.services",
        "sevamitra.grievances.services._common",
        "sevamitra.grievances.services.appeals",
        "sevamitra.grievances.services.complaints",
        "sevamitra.grievances.services.decisions",
        "sevamitra.grievances.services.rules",
    ],
    cases={
        "complaint_file": Case(
            "complaint.filed",
            lambda booking: f.filed(booking),
            f.new_booking,
        ),
        "complaint_respond": Case(
            "complaint.responded",
            lambda given: complaints.complaint_respond(
                complaint=given[0], text="My side.", acting_user=given[0].provider.user
            ),
            _complaint,
        ),
        "complaint_reply": Case(
            "complaint.replied",
            lambda given: complaints.complaint_reply(
                complaint=given[0], text="Still broken.", acting_user=given[0].customer
            ),
            _complaint,
        ),
        "complaint_record_hearing": Case(
            "complaint.hearing_recorded",
            lambda given: complaints.complaint_record_hearing(
                complaint=given[0], text="Heard both.", acting_user=given[1]
            ),
            _complaint,
        ),
        "complaint_withdraw": Case(
            "complaint.withdrawn",
            lambda given: complaints.complaint_withdraw(
                complaint=given[0], acting_user=given[0].customer
            ),
            _complaint,
        ),
        "complaints_escalate_overdue": Case(
            "complaint.escalated",
            lambda _complaint: complaints.complaints_escalate_overdue(),
            _overdue,
        ),
        "complaint_decide": Case(
            "sanction.warning_issued",
            lambda given: decisions.complaint_decide(
                complaint=given[0], outcome="warning", reason="At fault.", acting_user=given[1]
            ),
            _answered,
        ),
        "sanction_lift": Case(
            "sanction.lifted",
            lambda given: decisions.sanction_lift(
                sanction=given[0], reason="Reviewed.", acting_user=given[1]
            ),
            _sanction("suspension"),
        ),
        "sanctions_end_expired": Case(
            "sanction.ended",
            lambda _none: decisions.sanctions_end_expired(
                now=timezone.now() + dt.timedelta(days=2)
            ),
            _past_its_last_day,
        ),
        "appeal_file": Case(
            "appeal.filed",
            lambda sanction: appeals.appeal_file(
                sanction=sanction, grounds="Wrong.", acting_user=sanction.provider.user
            ),
            _appealable,
        ),
        "appeal_decide": Case(
            "appeal.decided",
            lambda given: appeals.appeal_decide(
                appeal=given[0], decision="upheld", reason="Proven.", acting_user=given[1]
            ),
            _appeal,
        ),
        "grievance_settings_update": Case(
            "grievance_settings.updated",
            lambda admin: rules.grievance_settings_update(
                changes={"quality_days": 9}, acting_user=admin
            ),
            f.administrator,
        ),
        "suspend_for_grievance": Case(
            "provider.suspended",
            lambda provider: _common.suspend_for_grievance(
                provider,
                reason=_common.SAFETY_SUSPENSION_REASON,
                acting_user=None,
                now=timezone.now(),
                pending_review=True,
            ),
            f.new_provider,
        ),
        "reinstate_if_free": Case(
            "provider.reinstated",
            lambda given: _common.reinstate_if_free(
                given[0], acting_user=given[1], now=timezone.now()
            ),
            _cleared_safety,
        ),
    },
    exempt={
        "now_or": HELPER + "reads the clock",
        "clean_text": HELPER + "checks text",
        "move": HELPER + "changes a status in memory; its caller saves and audits it",
        "locked_complaint": HELPER + "reads (locks) a row",
        "suspended_by_grievance": HELPER + "reads",
        "grievance_holds": HELPER + "reads",
    },
)
