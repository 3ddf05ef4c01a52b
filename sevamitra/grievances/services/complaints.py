"""Complaints: filed by the customer, answered by the Sevamitra, replied to, heard by the
officer, closed by the customer, escalated past their deadline (rules: services/__init__)."""

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_change, audit_record
from sevamitra.bookings.models import Booking
from sevamitra.core import uploads
from sevamitra.grievances import notify, selectors
from sevamitra.grievances import permissions as can
from sevamitra.grievances.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEntry,
    ComplaintStatus,
    ComplaintType,
    EntryKind,
    EscalationCause,
)
from sevamitra.grievances.services._common import (
    SAFETY_SUSPENSION_REASON,
    GrievanceError,
    clean_text,
    locked_complaint,
    move,
    now_or,
    suspend_for_grievance,
)

C = ComplaintStatus
MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_SIDE = 2000
# Types about the work itself: they can be made once its time has come.
AFTER_START_TYPES = frozenset({ComplaintType.NO_SHOW, ComplaintType.QUALITY})


def _check_booking(booking: Booking, complaint_type: str, now: dt.datetime) -> None:
    settings = selectors.grievance_settings()
    if not selectors.booking_was_confirmed(booking):
        raise GrievanceError(
            _("You can complain only about a booking that was confirmed."),
            code="booking_not_confirmed",
        )
    if complaint_type in AFTER_START_TYPES and now < booking.starts_at:
        raise GrievanceError(
            _("You can make this complaint once the time of the booking has come."),
            code="too_early",
            field="type",
        )
    if now > booking.ends_at + dt.timedelta(days=settings.filing_window_days):
        raise GrievanceError(
            _("Complaints can be made up to %(days)d days after the booking. Call the helpline.")
            % {"days": settings.filing_window_days},
            code="too_late",
        )
    if Complaint.objects.filter(
        booking=booking, type=complaint_type, status__in=[C.OPEN, C.RESPONDED, C.ESCALATED]
    ).exists():
        raise GrievanceError(
            _("You already have an open complaint of this kind about this booking."),
            code="already_open",
            field="type",
        )


def _attachment_contents(files: Sequence[File | None]) -> list[tuple[bytes, str]]:
    """Each file checked by its bytes before anything is written (field photo_1, photo_2…)."""
    present = [(index, f) for index, f in enumerate(files, start=1) if f]
    if len(present) > MAX_ATTACHMENTS:
        raise GrievanceError(
            _("Send at most %(n)d photos or documents.") % {"n": MAX_ATTACHMENTS},
            code="too_many_files",
            field="photo_1",
        )
    return [
        uploads.document_content(upload, field=f"photo_{index}", max_side=ATTACHMENT_MAX_SIDE)
        for index, upload in present
    ]


@transaction.atomic
def complaint_file(
    *,
    booking: Booking,
    type: str,
    text: str,
    files: Sequence[File | None] = (),
    acting_user: User,
    now: dt.datetime | None = None,
) -> Complaint:
    """The customer complains about their booking. A safety complaint goes to the district
    officers at once and suspends the provider in this transaction."""
    now = now_or(now)
    require(can.can_file_complaint(acting_user, booking))
    if type not in ComplaintType.values:
        raise GrievanceError(_("Choose what the complaint is about."), code="invalid", field="type")
    text = clean_text(text, field="text", required=_("Write what happened."))
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("provider", "provider__user", "customer")
        .get(pk=booking.pk)
    )
    _check_booking(booking, type, now)
    contents = _attachment_contents(files)

    settings = selectors.grievance_settings()
    deadline = dt.timedelta(days=settings.deadline_days(type))
    complaint = Complaint.objects.create(
        booking=booking,
        customer=booking.customer,
        provider=booking.provider,
        type=type,
        text=text,
        filed_at=now,
        due_at=now + deadline,
        response_due_at=now + min(deadline, dt.timedelta(days=settings.response_days)),
    )
    for content, extension in contents:
        attachment = ComplaintAttachment(complaint=complaint, created_at=now)
        name = f"{complaint.pk}-{uuid.uuid4().hex[:16]}.{extension}"
        attachment.file.save(name, ContentFile(content), save=False)
        attachment.save()

    suspended = False
    if type == ComplaintType.SAFETY:
        move(complaint, C.ESCALATED)
        complaint.escalated_at, complaint.escalation_cause = now, EscalationCause.SAFETY
        complaint.interim_suspended_at = suspend_for_grievance(
            booking.provider,
            reason=SAFETY_SUSPENSION_REASON,
            acting_user=None,
            now=now,
            pending_review=True,
        )
        suspended = True
        complaint.save(
            update_fields=["status", "escalated_at", "escalation_cause", "interim_suspended_at"]
        )
        notify.complaint_to_officers(
            complaint, selectors.district_officers(district_id=booking.provider.district_id)
        )
    notify.complaint_filed(complaint, suspended=suspended)
    audit_record(
        actor=acting_user,
        action="complaint.filed",
        obj=complaint,
        after={
            "booking_id": booking.pk,
            "provider_id": booking.provider_id,
            "type": type,
            "status": complaint.status,
            "due_at": complaint.due_at,
            "response_due_at": complaint.response_due_at,
            "attachments": len(contents),
            "text_length": len(text),
            "provider_suspended": complaint.interim_suspended_at is not None,
        },
    )
    if type == ComplaintType.SAFETY:
        audit_record(
            actor=None,
            action="complaint.escalated",
            obj=complaint,
            before={"status": C.OPEN},
            after={"status": C.ESCALATED, "cause": EscalationCause.SAFETY},
        )
    return complaint


def _add_entry(complaint: Complaint, *, kind: str, text: str, author: User, now: dt.datetime):  # type: ignore[no-untyped-def]
    return ComplaintEntry.objects.create(
        complaint=complaint, kind=kind, text=text, author=author, created_at=now
    )


def _still_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise GrievanceError(_("This complaint is closed."), code="complaint_closed", status=409)


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, text: str, acting_user: User, now: dt.datetime | None = None
) -> ComplaintEntry:
    """The Sevamitra gives their side (any number of times while the complaint is open)."""
    now = now_or(now)
    complaint = locked_complaint(complaint)
    require(can.can_respond(acting_user, complaint))
    _still_open(complaint)
    text = clean_text(text, field="text", required=_("Write your answer."))
    before = {"status": complaint.status, "responded_at": complaint.responded_at}
    entry = _add_entry(complaint, kind=EntryKind.RESPONSE, text=text, author=acting_user, now=now)
    if complaint.status == C.OPEN:
        move(complaint, C.RESPONDED)
    complaint.responded_at = complaint.responded_at or now
    complaint.save(update_fields=["status", "responded_at"])
    notify.responded(complaint)
    audit_record(
        actor=acting_user,
        action="complaint.responded",
        obj=complaint,
        before=before,
        after={
            "status": complaint.status,
            "responded_at": complaint.responded_at,
            "entry_id": entry.pk,
            "text_length": len(text),
        },
    )
    return entry


@transaction.atomic
def complaint_reply(
    *, complaint: Complaint, text: str, acting_user: User, now: dt.datetime | None = None
) -> ComplaintEntry:
    """The customer answers the Sevamitra (or adds what they forgot)."""
    now = now_or(now)
    complaint = locked_complaint(complaint)
    require(can.can_reply(acting_user, complaint))
    _still_open(complaint)
    text = clean_text(text, field="text", required=_("Write your reply."))
    entry = _add_entry(complaint, kind=EntryKind.REPLY, text=text, author=acting_user, now=now)
    notify.replied(complaint)
    audit_record(
        actor=acting_user,
        action="complaint.replied",
        obj=complaint,
        after={"entry_id": entry.pk, "text_length": len(text)},
    )
    return entry


@transaction.atomic
def complaint_record_hearing(
    *, complaint: Complaint, text: str, acting_user: User, now: dt.datetime | None = None
) -> ComplaintEntry:
    """The officer's notes of hearing both sides (seen by officers only)."""
    now = now_or(now)
    complaint = locked_complaint(complaint)
    require(can.can_decide(acting_user, complaint))
    _still_open(complaint)
    text = clean_text(text, field="text", required=_("Write the notes of the hearing."))
    entry = _add_entry(complaint, kind=EntryKind.HEARING, text=text, author=acting_user, now=now)
    audit_record(
        actor=acting_user,
        action="complaint.hearing_recorded",
        obj=complaint,
        after={"entry_id": entry.pk, "text_length": len(text)},
    )
    return entry


@transaction.atomic
def complaint_withdraw(
    *, complaint: Complaint, acting_user: User, now: dt.datetime | None = None
) -> Complaint:
    """The customer closes their complaint. Not a safety complaint: the officer decides it
    (a withdrawal may be made under pressure, and the provider's suspension needs a review)."""
    now = now_or(now)
    complaint = locked_complaint(complaint)
    require(can.can_reply(acting_user, complaint))
    _still_open(complaint)
    if complaint.type == ComplaintType.SAFETY:
        raise GrievanceError(
            _("A safety complaint cannot be withdrawn: the district officer will decide it."),
            code="safety_not_withdrawable",
            status=409,
        )
    before = {"status": complaint.status, "withdrawn_at": None}
    move(complaint, C.WITHDRAWN)
    complaint.withdrawn_at = now
    complaint.save(update_fields=["status", "withdrawn_at"])
    notify.withdrawn(complaint)
    audit_change(actor=acting_user, action="complaint.withdrawn", obj=complaint, before=before)
    return complaint


def _escalate_one(complaint_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("provider", "provider__user", "customer")
            .filter(pk=complaint_id, status__in=[C.OPEN, C.RESPONDED], due_at__lte=now)
            .first()
        )
        if complaint is None:  # decided, closed or escalated meanwhile
            return False
        before = {"status": complaint.status, "escalated_at": None, "escalation_cause": ""}
        move(complaint, C.ESCALATED)
        complaint.escalated_at, complaint.escalation_cause = now, EscalationCause.OVERDUE
        complaint.save(update_fields=["status", "escalated_at", "escalation_cause"])
        notify.complaint_to_officers(
            complaint, selectors.district_officers(district_id=complaint.provider.district_id)
        )
        notify.escalated_to_parties(complaint)
        audit_change(actor=None, action="complaint.escalated", obj=complaint, before=before)
        return True


def complaints_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Send every complaint unresolved past its deadline to the district officers; each one
    in its own transaction, once (an escalated complaint is not picked again). How many."""
    now = now_or(now)
    due = list(
        Complaint.objects.filter(status__in=[C.OPEN, C.RESPONDED], due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_escalate_one(pk, now) for pk in due)
