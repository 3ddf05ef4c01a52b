"""Writes of linked profiles: link and unlink an employment-exchange registration; give,
withdraw and keep up to date the consent to share one's Sevamitra work history.

Linking looks the registration up through the portal's adapter (outside any transaction: the
exchange may be slow) and refuses, with a message the person can act on:
- a number that cannot be one, or that the exchange does not know;
- a registration already linked, to this account or to another (whose is never said);
- an account already linked to another registration of the same portal;
- a registration whose mobile number is not the account's (verified at sign-in): a person can
  only link their own registration;
- the exchange not answering; too many look-ups in an hour (EMPLOYMENT_LOOKUP_RATE).
Every refusal is audited as `employment.link_refused` with its reason code (never the number
or anything the exchange said), and writes nothing else.

Sharing signs a work-history record (selectors.work_history_record, sso.keys.sign_jws) and
queues its delivery (`employment.work_history_send`) in the same transaction; the queue retries
with back-off. Withdrawing (or unlinking, or erasure) stops further sending and queues the
withdrawal notice to the exchange (`employment.work_history_withdrawal_send`). Active shares
are signed again every EMPLOYMENT_RECORD_REFRESH_DAYS by the periodic `employment.
work_history_refresh` and sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts import ratelimit
from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_record
from sevamitra.employment import selectors
from sevamitra.employment.adapters import AdapterError, JobSeekerRecord, get_adapter
from sevamitra.employment.errors import (
    EmploymentError,
    ExchangeUnavailable,
    LinkRefused,
    ShareRefused,
)
from sevamitra.employment.models import EmploymentLink, WorkHistoryShare
from sevamitra.employment.permissions import can_act_for
from sevamitra.providers.models import Provider
from sevamitra.tasks.registry import PermanentError
from sevamitra.tasks.services import job_enqueue

logger = logging.getLogger(__name__)

SEND_JOB = "employment.work_history_send"
WITHDRAWAL_JOB = "employment.work_history_withdrawal_send"
DEFAULT_LOOKUP_RATE = "20/3600"
DEFAULT_REFRESH_DAYS = 7
REFRESH_BATCH = 500


# --- linking ---------------------------------------------------------------------------------


def _refusal(*, user: User, acting_user: User, portal: str, code: str) -> EmploymentError:
    """Audit a refused link (reason code only) in its own transaction; the error to raise."""
    messages = {
        "invalid_number": _(
            "Enter your registration number as it is on your employment-exchange card: "
            "letters and digits, for example UPLKO2024000105."
        ),
        "unknown": _(
            "The employment exchange has no registration with this number. Check the number "
            "on your registration card."
        ),
        "already_linked_self": _("This registration is already linked to your account."),
        "account_has_link": _(
            "Your account is already linked to another employment-exchange registration. "
            "Unlink it first."
        ),
        "linked_elsewhere": _(
            "This registration is already linked to another account. If it is yours, please "
            "call the helpline."
        ),
        "mobile_mismatch": _(
            "This registration has a different mobile number. You can only link your own "
            "registration: ask the employment exchange to change the mobile number of your "
            "registration to the one you signed in with, then try again."
        ),
        "exchange_unavailable": _(
            "The employment exchange is not answering. Please try again later."
        ),
        "too_many_lookups": _("Too many tries. Please try again in an hour."),
    }
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action="employment.link_refused",
            object_type="accounts.user",
            object_id=user.pk,
            after={"portal": portal, "reason": code},
        )
    if code == "exchange_unavailable":
        return ExchangeUnavailable(messages[code], code=code)
    status = {"too_many_lookups": 429, "already_linked_self": 409}.get(code, 400)
    if code in ("account_has_link", "linked_elsewhere"):
        status = 409
    return LinkRefused(messages[code], code=code, field="registration_number", status=status)


def _conflict(*, user: User, portal: str, number: str) -> str | None:
    """Why this account cannot link `number` given the links that exist now, if it cannot."""
    mine = selectors.active_link(user, portal)
    if mine is not None:
        return "already_linked_self" if mine.registration_number == number else "account_has_link"
    if selectors.number_linked_elsewhere(portal=portal, registration_number=number, user=user):
        return "linked_elsewhere"
    return None


def employment_link_preview(
    *, user: User, portal: str, registration_number: str, acting_user: User
) -> JobSeekerRecord:
    """The registration `registration_number` as the exchange holds it, if this account may
    link it (what "link" would import, shown before the person confirms). Refusals are
    audited and raise LinkRefused / ExchangeUnavailable."""
    require(can_act_for(acting_user, user))
    get_adapter(portal)  # an unknown portal is a programming error (KeyError), not a refusal
    number = selectors.normalize_registration_number(registration_number)
    if number is None:
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code="invalid_number")
    conflict = _conflict(user=user, portal=portal, number=number)
    if conflict:
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code=conflict)
    rate = getattr(settings, "EMPLOYMENT_LOOKUP_RATE", DEFAULT_LOOKUP_RATE)
    if not ratelimit.hit(f"employment:lookup:{user.pk}", rate).allowed:
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code="too_many_lookups")
    try:
        record = get_adapter(portal).lookup_jobseeker(number)
    except AdapterError as exc:
        logger.warning("employment link: %s lookup failed: %s", portal, exc)
        raise _refusal(
            user=user, acting_user=acting_user, portal=portal, code="exchange_unavailable"
        ) from exc
    if record is None:
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code="unknown")
    if record.mobile != user.phone:
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code="mobile_mismatch")
    return record


def employment_link(
    *, user: User, portal: str, registration_number: str, acting_user: User
) -> EmploymentLink:
    """Link the person's registration to their account, importing what the exchange holds
    (see the module docstring for the refusals). Audited as `employment.linked`."""
    record = employment_link_preview(
        user=user, portal=portal, registration_number=registration_number, acting_user=acting_user
    )
    number = record.registration_number
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = EmploymentLink.objects.create(
                    user=user,
                    portal=portal,
                    registration_number=number,
                    imported=selectors.snapshot(record),
                )
        except IntegrityError:
            link = None  # linked a moment ago, here or elsewhere: refused below
        else:
            audit_record(
                actor=acting_user,
                action="employment.linked",
                obj=link,
                after={"portal": portal, "user": user.pk},
            )
    if link is None:
        code = _conflict(user=user, portal=portal, number=number) or "linked_elsewhere"
        raise _refusal(user=user, acting_user=acting_user, portal=portal, code=code)
    return link


def employment_unlink(
    *, link: EmploymentLink, acting_user: User, now: dt.datetime | None = None
) -> EmploymentLink:
    """Unlink a registration; an active work-history share with its portal is withdrawn (the
    exchange is told). The imported details stay with the unlinked row (the person's data
    download shows them; erasure deletes them)."""
    require(can_act_for(acting_user, link.user))
    now = now or timezone.now()
    with transaction.atomic():
        link = EmploymentLink.objects.select_for_update().get(pk=link.pk)
        if link.unlinked_at is not None:
            raise LinkRefused(
                _("This registration is not linked to your account any more."),
                code="not_linked",
                status=409,
            )
        share = (
            WorkHistoryShare.objects.select_for_update()
            .filter(user_id=link.user_id, portal=link.portal, withdrawn_at__isnull=True)
            .first()
        )
        if share is not None:
            _withdraw(share, registration_number=link.registration_number, now=now)
        link.unlinked_at = now
        link.save(update_fields=["unlinked_at"])
        audit_record(
            actor=acting_user,
            action="employment.unlinked",
            obj=link,
            before={"unlinked": False},
            after={"unlinked": True, "share_withdrawn": share.pk if share else None},
        )
    return link


# --- sharing the work history ----------------------------------------------------------------


def work_history_share(
    *,
    user: User,
    portal: str,
    consent: bool,
    acting_user: User,
    now: dt.datetime | None = None,
) -> WorkHistoryShare:
    """With the person's consent, sign their work-history record and queue its delivery to
    `portal`. Needs a Sevamitra profile and an active link to that portal. Sharing again while
    a share is active changes nothing and returns it."""
    require(can_act_for(acting_user, user))
    if consent is not True:
        raise ShareRefused(
            _("Tick the box to agree to share your work history."),
            code="no_consent",
            field="consent",
        )
    if not Provider.objects.filter(user=user).exists():
        raise ShareRefused(
            _("Only a Sevamitra has a work history to share. Become a Sevamitra first."),
            code="not_a_sevamitra",
            status=409,
        )
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            EmploymentLink.objects.select_for_update()
            .filter(user=user, portal=portal, unlinked_at__isnull=True)
            .first()
        )
        if link is None:
            raise ShareRefused(
                _("Link your employment-exchange registration first."),
                code="not_linked",
                status=409,
            )
        existing = WorkHistoryShare.objects.filter(
            user=user, portal=portal, withdrawn_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        record = selectors.sign_record(selectors.work_history_record(user, portal=portal, now=now))
        share = WorkHistoryShare.objects.create(
            user=user,
            portal=portal,
            link=link,
            consented_at=now,
            record=record,
            record_issued_at=now,
        )
        job_enqueue(name=SEND_JOB, payload={"share_id": share.pk})
        audit_record(
            actor=acting_user,
            action="work_history.shared",
            obj=share,
            after={"portal": portal, "link": link.pk},
        )
    return share


def _withdraw(share: WorkHistoryShare, *, registration_number: str, now: dt.datetime) -> None:
    """End a share (locked by the caller) and queue the notice to the exchange."""
    share.withdrawn_at = now
    share.save(update_fields=["withdrawn_at"])
    job_enqueue(
        name=WITHDRAWAL_JOB,
        payload={
            "share_id": share.pk,
            "portal": share.portal,
            "registration_number": registration_number,
        },
    )


def work_history_withdraw(
    *, share: WorkHistoryShare, acting_user: User, now: dt.datetime | None = None
) -> WorkHistoryShare:
    """Withdraw consent: no record is sent after this, and the exchange is told to drop it."""
    require(can_act_for(acting_user, share.user))
    now = now or timezone.now()
    with transaction.atomic():
        share = WorkHistoryShare.objects.select_for_update().get(pk=share.pk)
        if share.withdrawn_at is not None:
            raise ShareRefused(
                _("You have already withdrawn this consent."), code="already_withdrawn", status=409
            )
        number = (
            EmploymentLink.objects.filter(shares=share)
            .values_list("registration_number", flat=True)
            .first()
        )
        _withdraw(share, registration_number=number or "", now=now)
        audit_record(
            actor=acting_user,
            action="work_history.withdrawn",
            obj=share,
            before={"withdrawn": False},
            after={"withdrawn": True, "portal": share.portal},
        )
    return share


def work_history_refresh_due(*, now: dt.datetime | None = None) -> int:
    """Sign again, and send again, every active share whose record is older than
    EMPLOYMENT_RECORD_REFRESH_DAYS (the periodic sweep); how many were refreshed."""
    now = now or timezone.now()
    days = getattr(settings, "EMPLOYMENT_RECORD_REFRESH_DAYS", DEFAULT_REFRESH_DAYS)
    cutoff = now - dt.timedelta(days=days)
    due = WorkHistoryShare.objects.filter(withdrawn_at__isnull=True, record_issued_at__lt=cutoff)
    refreshed = 0
    for pk in list(due.order_by("record_issued_at").values_list("pk", flat=True)[:REFRESH_BATCH]):
        with transaction.atomic():
            share = due.select_for_update().filter(pk=pk).first()
            if share is None:
                continue  # withdrawn or refreshed meanwhile
            try:
                claims = selectors.work_history_record(share.user, portal=share.portal, now=now)
            except LookupError:
                continue  # no Sevamitra or no link any more: nothing to vouch for
            before = share.record_issued_at
            share.record = selectors.sign_record(claims)
            share.record_issued_at = now
            share.save(update_fields=["record", "record_issued_at"])
            job_enqueue(name=SEND_JOB, payload={"share_id": share.pk})
            audit_record(
                actor=None,
                action="work_history.refreshed",
                obj=share,
                before={"record_issued_at": before},
                after={"record_issued_at": now},
            )
            refreshed += 1
    return refreshed


# --- delivery (the queue's jobs, tasks.py) ---------------------------------------------------


def work_history_deliver(*, share_id: int) -> None:
    """Send the share's current record to the exchange, unless consent has been withdrawn
    (checked when the job runs, so a withdrawal stops sends already queued). Raises to be
    retried; idempotent (the exchange takes the same record twice)."""
    share = WorkHistoryShare.objects.select_related("link").filter(pk=share_id).first()
    if share is None or share.withdrawn_at is not None or not share.record or share.link is None:
        return
    issued = share.record_issued_at
    try:
        get_adapter(share.portal).push_work_history(share.link.registration_number, share.record)
    except NotImplementedError as exc:
        raise PermanentError(str(exc)) from exc
    except AdapterError as exc:
        WorkHistoryShare.objects.filter(pk=share_id).update(last_error=str(exc)[:300])
        raise
    WorkHistoryShare.objects.filter(
        pk=share_id, record_issued_at=issued, withdrawn_at__isnull=True
    ).update(sent_at=timezone.now(), last_error="")


def work_history_withdrawal_deliver(
    *, share_id: int, portal: str, registration_number: str
) -> None:
    """Tell the exchange that consent was withdrawn (drop the record). Idempotent."""
    if not registration_number:
        return
    try:
        get_adapter(portal).withdraw_work_history(registration_number)
    except NotImplementedError as exc:
        raise PermanentError(str(exc)) from exc
    WorkHistoryShare.objects.filter(pk=share_id).update(withdrawal_sent_at=timezone.now())


def work_history_delivery_give_up(*, error: str = "", share_id: int, **_payload: Any) -> None:
    """The queue gave up on a delivery: keep the reason where the person's page shows it."""
    lines = str(error).strip().splitlines() or [""]
    WorkHistoryShare.objects.filter(pk=share_id).update(last_error=lines[-1][:300])


# --- erasure (privacy.services.person_erase) -------------------------------------------------


def employment_person_erase(*, user: User, now: dt.datetime | None = None) -> int:
    """Part of erasing a person (inside privacy.person_erase's transaction, whose
    `person.erased` entry records it): active shares are withdrawn (the exchange is told),
    every share's record is emptied and every link, with its imported details, is deleted.
    Returns the number of links deleted."""
    now = now or timezone.now()
    shares = WorkHistoryShare.objects.select_for_update().filter(user=user)
    numbers: dict[int | None, str] = dict(
        EmploymentLink.objects.filter(user=user).values_list("pk", "registration_number")
    )
    for share in shares.filter(withdrawn_at__isnull=True):
        _withdraw(share, registration_number=numbers.get(share.link_id, ""), now=now)
    shares.update(record="", link=None, last_error="")
    deleted, _by_model = EmploymentLink.objects.filter(user=user).delete()
    return deleted
