"""Appeals against a warning or a suspension, to a named appellate officer (rules:
services/__init__)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.accounts.permissions import require
from sevamitra.audit.services import audit_change, audit_record
from sevamitra.grievances import notify, selectors
from sevamitra.grievances import permissions as can
from sevamitra.grievances.models import (
    APPEAL_TRANSITIONS,
    SANCTION_TRANSITIONS,
    Appeal,
    AppealStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from sevamitra.grievances.services._common import (
    GrievanceError,
    IllegalTransition,
    clean_text,
    now_or,
    reinstate_if_free,
)


@transaction.atomic
def appeal_file(
    *, sanction: Sanction, grounds: str, acting_user: User, now: dt.datetime | None = None
) -> Appeal:
    """The Sevamitra appeals a warning or suspension within the appeal window; the appeal is
    assigned at once to a named appellate officer (selectors.appellate_officer_for)."""
    now = now_or(now)
    sanction = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("provider", "provider__user")
        .get(pk=sanction.pk)
    )
    require(can.can_appeal(acting_user, sanction))
    if Appeal.objects.filter(sanction=sanction).exists():
        raise GrievanceError(
            _("This decision has already been appealed."), code="already_appealed", status=409
        )
    if sanction.status == SanctionStatus.OVERTURNED:
        raise GrievanceError(
            _("This decision has already been overturned."), code="already_overturned", status=409
        )
    if now > sanction.appeal_due_at:
        raise GrievanceError(
            _("The time to appeal ended on %(date)s.")
            % {"date": timezone.localtime(sanction.appeal_due_at).strftime("%d/%m/%Y")},
            code="appeal_too_late",
            status=409,
        )
    grounds = clean_text(grounds, field="grounds", required=_("Write why the decision is wrong."))
    officer = selectors.appellate_officer_for(sanction=sanction)
    if officer is None:
        raise GrievanceError(
            _("No appellate officer is available now. Please call the helpline."),
            code="no_appellate_officer",
            status=409,
        )
    days = selectors.grievance_settings().appeal_decision_days
    appeal = Appeal.objects.create(
        sanction=sanction,
        provider=sanction.provider,
        grounds=grounds,
        filed_at=now,
        due_at=now + dt.timedelta(days=days),
        appellate_officer=officer,
    )
    notify.appeal_assigned(appeal)
    audit_record(
        actor=acting_user,
        action="appeal.filed",
        obj=appeal,
        after={
            "sanction_id": sanction.pk,
            "sanction_kind": sanction.kind,
            "appellate_officer_id": officer.pk,
            "status": appeal.status,
            "due_at": appeal.due_at,
            "grounds_length": len(grounds),
        },
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    decision: str,
    reason: str,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Appeal:
    """The named appellate officer upholds or overturns the decision, with reasons.
    Overturning a suspension reinstates the provider (by this officer) when nothing else of
    the grievance process holds them; an overturned warning no longer counts."""
    now = now_or(now)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("sanction", "sanction__provider", "provider", "provider__user")
        .get(pk=appeal.pk)
    )
    require(can.can_decide_appeal(acting_user, appeal))
    if decision not in (AppealStatus.UPHELD, AppealStatus.OVERTURNED):
        raise GrievanceError(_("Choose uphold or overturn."), code="invalid", field="decision")
    if decision not in APPEAL_TRANSITIONS[appeal.status]:
        raise IllegalTransition(_("This appeal is already decided."), code="appeal_decided")
    reason = clean_text(reason, field="reason", required=_("Write the reasons for the decision."))

    before = {"status": appeal.status, "decided_at": None}
    appeal.status, appeal.decision_reason, appeal.decided_at = decision, reason, now
    appeal.save(update_fields=["status", "decision_reason", "decided_at"])
    sanction = Sanction.objects.select_for_update(of=("self",)).get(pk=appeal.sanction_id)
    sanction_before = {"status": sanction.status, "ended_at": sanction.ended_at}
    reinstated = False
    if decision == AppealStatus.OVERTURNED:
        if SanctionStatus.OVERTURNED not in SANCTION_TRANSITIONS[sanction.status]:
            raise IllegalTransition(_("This decision has already been overturned."))
        sanction.status = SanctionStatus.OVERTURNED
        sanction.ended_at = sanction.ended_at or now
        sanction.save(update_fields=["status", "ended_at"])
        if sanction.kind == SanctionKind.SUSPENSION:
            reinstated = reinstate_if_free(appeal.provider, acting_user=acting_user, now=now)
    notify.appeal_decided(appeal)
    audit_record(
        actor=acting_user,
        action="appeal.decided",
        obj=appeal,
        before=before,
        after={
            "status": appeal.status,
            "decided_at": appeal.decided_at,
            "reason_given": True,
            "provider_reinstated": reinstated,
        },
    )
    if decision == AppealStatus.OVERTURNED:
        audit_change(
            actor=acting_user, action="sanction.overturned", obj=sanction, before=sanction_before
        )
    return appeal
