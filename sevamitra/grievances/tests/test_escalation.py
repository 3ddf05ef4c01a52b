"""Escalation: complaints unresolved past their deadline go to the district officers — only
past the deadline, only once — by the hourly sweep."""

import datetime as dt

import pytest

from sevamitra.audit.models import AuditEntry
from sevamitra.grievances import tasks
from sevamitra.grievances.models import ComplaintStatus, EscalationCause
from sevamitra.grievances.services.complaints import (
    complaint_respond,
    complaint_withdraw,
    complaints_escalate_overdue,
)
from sevamitra.grievances.services.decisions import complaint_decide
from sevamitra.grievances.tests import factories as f
from sevamitra.notifications.models import Message
from sevamitra.tasks import registry

pytestmark = pytest.mark.django_db


def test_the_sweep_is_a_periodic_job_every_hour():
    assert registry.periodic_jobs()["grievances.escalate"] == dt.timedelta(hours=1)
    assert registry.get("grievances.escalate").func is tasks.escalate


def test_not_before_the_deadline(complaint, officer):
    assert complaints_escalate_overdue(now=complaint.due_at - dt.timedelta(seconds=1)) == 0
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN
    assert complaint.escalated_at is None
    assert not Message.objects.filter(user=officer).exists()
    assert not AuditEntry.objects.filter(action="complaint.escalated").exists()


def test_past_the_deadline_to_the_districts_officers_once(complaint, officer, provider):
    other_officer = f.officer_of(provider.district)
    elsewhere = f.officer_of(f.new_provider(district=f.district_named("AGRA")).district)
    at = complaint.due_at
    assert complaints_escalate_overdue(now=at) == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.escalated_at == at
    assert complaint.escalation_cause == EscalationCause.OVERDUE
    for person in (officer, other_officer):
        assert Message.objects.get(user=person, event="complaint.escalated").reference == (
            f"complaint:{complaint.pk}"
        )
    assert not Message.objects.filter(user=elsewhere).exists()
    # Both sides are told it is with the officer now.
    assert Message.objects.filter(user=complaint.customer, event="complaint.escalated").count() == 1
    entry = AuditEntry.objects.get(action="complaint.escalated")
    assert entry.actor_id is None
    assert entry.after == {
        "status": "escalated",
        "escalated_at": entry.after["escalated_at"],
        "escalation_cause": "overdue",
    }
    # Once: the next sweeps change nothing.
    messages = Message.objects.count()
    assert complaints_escalate_overdue(now=at + dt.timedelta(hours=1)) == 0
    assert complaints_escalate_overdue(now=at + dt.timedelta(days=9)) == 0
    assert Message.objects.count() == messages
    assert AuditEntry.objects.filter(action="complaint.escalated").count() == 1


def test_an_answered_complaint_still_escalates_if_unresolved(complaint, now):
    complaint_respond(
        complaint=complaint,
        text="I did the work well.",
        acting_user=complaint.provider.user,
        now=now,
    )
    assert complaints_escalate_overdue(now=complaint.due_at) == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.responded_at == now


def test_decided_or_closed_complaints_are_left_alone(provider, officer, now):
    decided = f.filed(f.new_booking(provider), now=now)
    complaint_decide(
        complaint=decided,
        outcome="dismissed",
        reason="No fault found.",
        acting_user=officer,
        now=now,
    )
    closed = f.filed(f.new_booking(provider), now=now)
    complaint_withdraw(complaint=closed, acting_user=closed.customer, now=now)
    assert complaints_escalate_overdue(now=now + dt.timedelta(days=30)) == 0
    decided.refresh_from_db()
    closed.refresh_from_db()
    assert (decided.status, closed.status) == (ComplaintStatus.RESOLVED, ComplaintStatus.WITHDRAWN)


def test_the_periodic_job_runs_the_sweep(provider, now):
    long_ago = now - dt.timedelta(days=12)
    overdue = f.filed(f.new_booking(provider, starts_at=long_ago), now=now - dt.timedelta(days=11))
    fresh = f.filed(f.new_booking(provider), now=now)
    tasks.escalate()
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert (overdue.status, fresh.status) == (ComplaintStatus.ESCALATED, ComplaintStatus.OPEN)


def test_the_overdue_are_escalated_oldest_first_each_on_its_own(provider, now):
    long_ago = now - dt.timedelta(days=12)
    first = f.filed(
        f.new_booking(provider, starts_at=long_ago),
        type="behaviour",
        now=now - dt.timedelta(days=9),
    )
    second = f.filed(
        f.new_booking(provider, starts_at=long_ago), type="no_show", now=now - dt.timedelta(days=8)
    )
    assert complaints_escalate_overdue(now=now) == 2
    entries = list(AuditEntry.objects.filter(action="complaint.escalated").order_by("seq"))
    assert [e.object_id for e in entries] == [str(first.pk), str(second.pk)]
