"""Writes of the verification workflow: the district officer's decisions (approve, ask for
changes, reject), the Sevamitra sending the registration again, the administrator's policy,
and the sweeps (police certificate reminders, re-verification falling due and lapsing).

Rules (see also providers.models.VERIFICATION_TRANSITIONS):
- Approval needs the officer to tick the documents they checked: an identity document and,
  for each service the Sevamitra offers that needs police verification, a police certificate
  valid today. Otherwise it is refused with a message naming what is missing (the officer
  asks for changes instead: the Sevamitra can then add the certificate, or drop the service).
- Approving issues a new ID badge in the same transaction and sets the next re-verification
  from the policy: due after `reverify_months`, lapsing `grace_days` later. Dates already set
  are kept when the policy changes; the new policy applies from the next approval.
- A verified Sevamitra whose re-verification is due is approved again the same way; one whose
  `verified_until` has passed goes back to "pending" (unbookable) until approved.
Every function writes its audit entry last; an officer's note is free text and is recorded
only as given or not.
"""

import calendar
import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_record, snapshot
from sevamitra.badges.services import badge_issue
from sevamitra.core.errors import DomainError
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.providers.models import (
    VERIFICATION_TRANSITIONS,
    Document,
    DocumentKind,
    Provider,
    VerificationStatus,
)
from sevamitra.providers.services import provider_set_status
from sevamitra.verification import notify, permissions
from sevamitra.verification.models import (
    NOTE_MAX_LENGTH,
    OFFICER_REASONS,
    Decision,
    ReasonCode,
    ReminderKind,
    VerificationDecision,
    VerificationPolicy,
    VerificationReminder,
    parse_reminder_days,
)
from sevamitra.verification.selectors import police_categories, verification_policy_get

logger = logging.getLogger(__name__)
S = VerificationStatus
_DATES = ("verified_on", "reverification_due_on", "verified_until")
# A lapsed certificate's notice is still sent this many days late (a worker was down).
LAPSE_NOTICE_DAYS = 7
_OFFICER_REASON_CODES = frozenset(code for code, _label in OFFICER_REASONS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("The note can be at most %(n)d characters long.") % {"n": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    refuse_aadhaar(note, field="note")
    return note


def _clean_reason(reason: str, note: str) -> str:
    if reason not in _OFFICER_REASON_CODES:
        raise DomainError(
            _("Choose a reason from the list: the Sevamitra sees it in their language."),
            code="reason_required",
            field="reason",
        )
    if reason == ReasonCode.OTHER and not note:
        raise DomainError(
            _("With “Other”, write a note saying what is wrong."),
            code="note_required",
            field="note",
        )
    return reason


def _checked_documents(provider: Provider, documents: Iterable[Document | int]) -> list[Document]:
    """The provider's own documents among those ticked (anything else is refused)."""
    ids = {d.pk if isinstance(d, Document) else d for d in documents}
    found = list(Document.objects.filter(provider=provider, pk__in=ids))
    if len(found) != len(ids):
        raise DomainError(
            _("Tick only this Sevamitra's documents."), code="invalid_document", field="documents"
        )
    return found


def _require_approvable(provider: Provider, documents: list[Document], today: dt.date) -> None:
    """An identity document and, for each service needing it, a police certificate valid
    today, among the documents the officer checked."""
    if not any(d.kind == DocumentKind.IDENTITY for d in documents):
        if provider.documents.filter(kind=DocumentKind.IDENTITY).exists():
            message = _("Check the identity document and tick it before approving.")
        else:
            message = _(
                "There is no identity document yet: ask for changes so that the Sevamitra adds one."
            )
        raise DomainError(message, code="identity_not_checked", field="documents")
    needing = police_categories(provider=provider)
    valid_police = any(
        d.kind == DocumentKind.POLICE_VERIFICATION
        and d.expires_on is not None
        and d.expires_on >= today
        for d in documents
    )
    if needing and not valid_police:
        raise DomainError(
            _(
                "These services need a police verification certificate valid today: "
                "%(services)s. Tick the valid certificate you checked, or ask for changes."
            )
            % {"services": ", ".join(str(c.name) for c in needing)},
            code="police_verification_needed",
            field="documents",
            extra={"categories": [c.slug for c in needing]},
        )


def _lock(provider: Provider) -> Provider:
    return (
        Provider.objects.select_for_update(of=("self",))
        .select_related("user", "district")
        .get(pk=provider.pk)
    )


def _refuse(provider: Provider, decision: str) -> DomainError:
    return DomainError(
        _("A Sevamitra who is “%(current)s” cannot get the decision “%(decision)s”.")
        % {
            "current": S(provider.verification_status).label,
            "decision": Decision(decision).label,
        },
        code="illegal_transition",
        status=409,
    )


def _record(
    *,
    provider: Provider,
    decision: str,
    reason: str = "",
    note: str = "",
    documents: Iterable[Document] = (),
    acting_user: User | None,
) -> VerificationDecision:
    record = VerificationDecision.objects.create(
        provider=provider, decision=decision, reason=reason, note=note, decided_by=acting_user
    )
    if documents:
        record.documents_checked.set(documents)
    return record


def _audit(
    *,
    acting_user: User | None,
    action: str,
    record: VerificationDecision,
    status_before: str,
    provider: Provider,
    extra: dict | None = None,  # type: ignore[type-arg]
) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        obj=record,
        before={"verification_status": status_before},
        after={
            "provider_id": provider.pk,
            "verification_status": provider.verification_status,
            "decision": record.decision,
            "reason": record.reason,
            "note_given": bool(record.note),
            "documents_checked": sorted(d.pk for d in record.documents_checked.all()),
            **(extra or {}),
        },
    )


@transaction.atomic
def verification_approve(
    *,
    provider: Provider,
    documents_checked: Iterable[Document | int],
    note: str = "",
    acting_user: User,
    today: dt.date | None = None,
) -> VerificationDecision:
    """Approve a pending Sevamitra (or re-verify a verified one): status verified, the next
    re-verification dates from the policy, a new ID badge, the Sevamitra told by SMS."""
    require(permissions.can_decide_verification(acting_user, provider))
    today = today or timezone.localdate()
    note = _clean_note(note)
    locked = _lock(provider)
    status_before = locked.verification_status
    if status_before not in (S.PENDING, S.VERIFIED):
        raise _refuse(locked, Decision.APPROVED)
    documents = _checked_documents(locked, documents_checked)
    _require_approvable(locked, documents, today)
    if status_before == S.PENDING:
        provider_set_status(provider=locked, status=S.VERIFIED, acting_user=acting_user)
    dates_before = snapshot(locked, _DATES)
    policy = verification_policy_get()
    locked.verified_on = today
    locked.reverification_due_on = add_months(today, policy.reverify_months)
    locked.verified_until = locked.reverification_due_on + dt.timedelta(days=policy.grace_days)
    locked.save(update_fields=[*_DATES, "updated_at"])
    record = _record(
        provider=locked,
        decision=Decision.APPROVED,
        note=note,
        documents=documents,
        acting_user=acting_user,
    )
    badge = badge_issue(provider=locked, acting_user=acting_user)
    notify.decision_made(record)
    _audit(
        acting_user=acting_user,
        action="verification.approved",
        record=record,
        status_before=status_before,
        provider=locked,
        extra={
            "dates_before": dates_before,
            **snapshot(locked, _DATES),
            "badge_id": badge.pk,
            "reverification": status_before == S.VERIFIED,
        },
    )
    _copy_status(locked, provider)
    return record


def _copy_status(source: Provider, target: Provider) -> None:
    """Let the caller's instance show the new state (it was changed through a locked copy)."""
    if source is not target:
        for name in (
            "verification_status",
            "status_reason",
            "status_changed_at",
            "status_changed_by_id",
            *_DATES,
        ):
            setattr(target, name, getattr(source, name))


def _decide_against(
    *,
    provider: Provider,
    decision: str,
    status: str,
    reason: str,
    note: str,
    documents_checked: Iterable[Document | int],
    acting_user: User,
) -> VerificationDecision:
    require(permissions.can_decide_verification(acting_user, provider))
    note = _clean_note(note)
    reason = _clean_reason(reason, note)
    locked = _lock(provider)
    status_before = locked.verification_status
    if status not in _allowed_from(status_before):
        raise _refuse(locked, decision)
    documents = _checked_documents(locked, documents_checked)
    # The provider's status keeps the reason's code; its words come from ReasonCode, in the
    # language of whoever reads them.
    provider_set_status(provider=locked, status=status, reason=reason, acting_user=acting_user)
    record = _record(
        provider=locked,
        decision=decision,
        reason=reason,
        note=note,
        documents=documents,
        acting_user=acting_user,
    )
    notify.decision_made(record)
    _audit(
        acting_user=acting_user,
        action=f"verification.{decision}",
        record=record,
        status_before=status_before,
        provider=locked,
    )
    _copy_status(locked, provider)
    return record


def _allowed_from(status: str) -> frozenset[str]:
    return VERIFICATION_TRANSITIONS.get(status, frozenset())


@transaction.atomic
def verification_request_changes(
    *,
    provider: Provider,
    reason: str,
    note: str = "",
    documents_checked: Iterable[Document | int] = (),
    acting_user: User,
) -> VerificationDecision:
    """Ask a pending Sevamitra for changes, with a standard reason (and a note): they see it
    on their page and by SMS, make the changes and send the registration again."""
    return _decide_against(
        provider=provider,
        decision=Decision.CHANGES_REQUESTED,
        status=S.CHANGES_REQUESTED,
        reason=reason,
        note=note,
        documents_checked=documents_checked,
        acting_user=acting_user,
    )


@transaction.atomic
def verification_reject(
    *,
    provider: Provider,
    reason: str,
    note: str = "",
    documents_checked: Iterable[Document | int] = (),
    acting_user: User,
) -> VerificationDecision:
    """Refuse a registration (pending, or waiting for changes) for good, with a reason."""
    return _decide_against(
        provider=provider,
        decision=Decision.REJECTED,
        status=S.REJECTED,
        reason=reason,
        note=note,
        documents_checked=documents_checked,
        acting_user=acting_user,
    )


@transaction.atomic
def verification_resubmit(*, provider: Provider, acting_user: User) -> VerificationDecision:
    """The Sevamitra has made the changes asked for: back to pending, in the queue again."""
    require(permissions.can_resubmit_verification(acting_user, provider))
    locked = _lock(provider)
    status_before = locked.verification_status
    if status_before != S.CHANGES_REQUESTED:
        raise DomainError(
            _("Your registration is not waiting for changes."),
            code="illegal_transition",
            status=409,
        )
    provider_set_status(provider=locked, status=S.PENDING, acting_user=acting_user)
    record = _record(provider=locked, decision=Decision.RESUBMITTED, acting_user=acting_user)
    _audit(
        acting_user=acting_user,
        action="verification.resubmitted",
        record=record,
        status_before=status_before,
        provider=locked,
    )
    _copy_status(locked, provider)
    return record


# --- the administrator's policy --------------------------------------------------------------


@transaction.atomic
def verification_policy_update(
    *,
    acting_user: User,
    reverify_months: int | None = None,
    grace_days: int | None = None,
    police_reminder_days: str | None = None,
) -> VerificationPolicy:
    """Change the verification policy (administrators). Dates already set on providers are
    kept; the new interval and grace apply from each provider's next approval."""
    require(permissions.can_edit_verification_policy(acting_user))
    policy, _created = VerificationPolicy.objects.select_for_update().get_or_create(
        pk=VerificationPolicy.SINGLETON_PK
    )
    fields = ("reverify_months", "grace_days", "police_reminder_days")
    before = snapshot(policy, fields)
    if reverify_months is not None:
        if not 1 <= reverify_months <= 120:
            raise DomainError(
                _("Re-verify every 1 to 120 months."),
                code="invalid_policy",
                field="reverify_months",
            )
        policy.reverify_months = reverify_months
    if grace_days is not None:
        if not 0 <= grace_days <= 365:
            raise DomainError(
                _("The grace period is 0 to 365 days."), code="invalid_policy", field="grace_days"
            )
        policy.grace_days = grace_days
    if police_reminder_days is not None:
        try:
            days = parse_reminder_days(police_reminder_days)
        except ValueError as exc:
            raise DomainError(
                _(
                    "Write up to six different numbers of days from 1 to 365, separated by "
                    "commas, for example 30,7,1."
                ),
                code="invalid_policy",
                field="police_reminder_days",
            ) from exc
        policy.police_reminder_days = ",".join(str(day) for day in days)
    policy.updated_at = timezone.now()
    policy.updated_by = acting_user
    policy.save()
    audit_record(
        actor=acting_user,
        action="verification_policy.updated",
        obj=policy,
        before=before,
        after=snapshot(policy, fields),
    )
    return policy


# --- sweeps (verification/tasks.py runs them) ------------------------------------------------


def _reminder_threshold(days_left: int, days: list[int]) -> int | None:
    """The reminder due for a certificate with `days_left` (0: its last valid day): the
    smallest configured day count not below it, so that a certificate added late gets the
    nearest reminder only; 0 once it has lapsed (within LAPSE_NOTICE_DAYS)."""
    if -LAPSE_NOTICE_DAYS <= days_left < 0:
        return 0
    fitting = [day for day in days if day >= days_left >= 0]
    return min(fitting) if fitting else None


def verification_police_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind Sevamitras whose services need police verification that their certificate
    ends soon (the policy's days before), and tell them the day after it lapsed; each
    reminder once (VerificationReminder). Returns the number of texts queued."""
    today = today or timezone.localdate()
    days = verification_policy_get().reminder_days
    newer = Document.objects.filter(
        provider=OuterRef("provider"),
        kind=DocumentKind.POLICE_VERIFICATION,
        expires_on__gt=OuterRef("expires_on"),
    )
    candidates = (
        Document.objects.filter(
            kind=DocumentKind.POLICE_VERIFICATION,
            expires_on__gte=today - dt.timedelta(days=LAPSE_NOTICE_DAYS),
            expires_on__lte=today + dt.timedelta(days=max(days)),
            provider__verification_status__in=[S.PENDING, S.VERIFIED, S.CHANGES_REQUESTED],
            provider__offers__is_active=True,
            provider__offers__category__police_verification_required=True,
        )
        .exclude(Exists(newer))
        .select_related("provider", "provider__user")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for document in candidates:
        assert document.expires_on is not None  # the database requires it for police
        threshold = _reminder_threshold((document.expires_on - today).days, days)
        if threshold is None:
            continue
        with transaction.atomic():
            _reminder, created = VerificationReminder.objects.get_or_create(
                kind=ReminderKind.POLICE_EXPIRY,
                document=document,
                days_before=threshold,
                defaults={"provider": document.provider, "due_on": document.expires_on},
            )
            if not created:
                continue
            categories = police_categories(provider=document.provider)
            if threshold == 0:
                notify.police_lapsed(
                    document.provider, expired_on=document.expires_on, categories=categories
                )
            else:
                notify.police_expiring(
                    document.provider, expires_on=document.expires_on, categories=categories
                )
            sent += 1
    return sent


def verification_reverification_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Tell verified Sevamitras whose re-verification has fallen due (once per due date), and
    move those past `verified_until` back to pending (unbookable until approved again).
    Idempotent. Returns {"notified": n, "lapsed": n}."""
    today = today or timezone.localdate()
    notified = lapsed = 0
    due = Provider.objects.filter(
        verification_status=S.VERIFIED, reverification_due_on__lte=today
    ).select_related("user")
    for provider in due.filter(verified_until__gte=today).order_by("pk"):
        with transaction.atomic():
            assert provider.reverification_due_on is not None
            _notice, created = VerificationReminder.objects.get_or_create(
                kind=ReminderKind.REVERIFICATION_DUE,
                provider=provider,
                due_on=provider.reverification_due_on,
                days_before=0,
            )
            if created:
                notify.reverification_due(provider)
                notified += 1
    for provider in due.filter(verified_until__lt=today).order_by("pk"):
        try:
            verification_lapse(provider=provider)
        except DomainError:  # changed meanwhile (suspended, or approved again)
            logger.info("provider %s no longer lapses", provider.pk)
            continue
        lapsed += 1
    return {"notified": notified, "lapsed": lapsed}


@transaction.atomic
def verification_lapse(*, provider: Provider, today: dt.date | None = None) -> VerificationDecision:
    """The portal itself: a verified Sevamitra past `verified_until` goes back to pending,
    with the reason "re-verification is due", and is told by SMS."""
    today = today or timezone.localdate()
    locked = _lock(provider)
    status_before = locked.verification_status
    if not (
        status_before == S.VERIFIED
        and locked.verified_until is not None
        and locked.verified_until < today
    ):
        raise DomainError(
            _("This Sevamitra's verification has not lapsed."),
            code="not_lapsed",
            status=409,
        )
    provider_set_status(
        provider=locked,
        status=S.PENDING,
        reason=ReasonCode.REVERIFICATION_DUE,
        acting_user=None,
    )
    record = _record(
        provider=locked,
        decision=Decision.LAPSED,
        reason=ReasonCode.REVERIFICATION_DUE,
        acting_user=None,
    )
    notify.decision_made(record)
    _audit(
        acting_user=None,
        action="verification.lapsed",
        record=record,
        status_before=status_before,
        provider=locked,
        extra=snapshot(locked, _DATES),
    )
    _copy_status(locked, provider)
    return record
