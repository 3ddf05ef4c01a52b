"""What the grievance services share: errors, text checks, status moves, and the provider's
standing (suspend for a grievance, reinstate when nothing holds them any more)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sevamitra.accounts.models import User
from sevamitra.core.errors import DomainError
from sevamitra.grievances import notify, selectors
from sevamitra.grievances.models import (
    COMPLAINT_TRANSITIONS,
    OPEN_STATUSES,
    Complaint,
    ComplaintStatus,
    ComplaintType,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.services import provider_set_status

# The reason code of the portal's own suspension on a safety complaint. Marked for
# translation so that pages showing a provider's status reason can translate it.
SAFETY_SUSPENSION_REASON = gettext_noop("safety complaint pending review")
TEXT_MAX = 2000


class GrievanceError(DomainError):
    code = "grievance_refused"


class IllegalTransition(GrievanceError):
    code = "illegal_transition"
    status = 409


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def clean_text(value: str, *, field: str, required: str) -> str:
    """Free text a person wrote: required, at most TEXT_MAX characters, no Aadhaar number."""
    value = (value or "").strip()
    if not value:
        raise GrievanceError(required, code="required", field=field)
    if len(value) > TEXT_MAX:
        raise GrievanceError(
            _("Write at most %(n)d characters.") % {"n": TEXT_MAX}, code="too_long", field=field
        )
    refuse_aadhaar(value, field=field)
    return value


def move(complaint: Complaint, to: str) -> None:
    """Change the complaint's status along COMPLAINT_TRANSITIONS (the caller saves)."""
    if to not in COMPLAINT_TRANSITIONS[complaint.status]:
        if complaint.status not in OPEN_STATUSES:
            raise IllegalTransition(_("This complaint is closed."), code="complaint_closed")
        raise IllegalTransition(
            _("A complaint that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": ComplaintStatus(complaint.status).label,
                "new": ComplaintStatus(to).label,
            }
        )
    complaint.status = to


def locked_complaint(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("booking", "customer", "provider", "provider__user")
        .get(pk=complaint.pk)
    )


# --- the provider's standing -------------------------------------------------------------------


def suspended_by_grievance(provider: Provider) -> bool:
    """Whether the provider's current suspension is one this app made (the interim safety
    suspension of a complaint, or a sanction's): matched on the time of the status change,
    so any later change by someone else (an officer's own suspension) is never undone here."""
    at = provider.status_changed_at
    if provider.verification_status != VerificationStatus.SUSPENDED or at is None:
        return False
    return (
        Complaint.objects.filter(provider=provider, interim_suspended_at=at).exists()
        or Sanction.objects.filter(provider=provider, applied_at=at).exists()
    )


def grievance_holds(provider: Provider) -> bool:
    """Whether anything of this app keeps the provider suspended: an open safety complaint,
    or a suspension in force."""
    return (
        Complaint.objects.filter(
            provider=provider, type=ComplaintType.SAFETY, status__in=OPEN_STATUSES
        ).exists()
        or Sanction.objects.filter(
            provider=provider, kind=SanctionKind.SUSPENSION, status=SanctionStatus.ACTIVE
        ).exists()
    )


def _coming(provider: Provider, now: dt.datetime) -> list:  # type: ignore[type-arg]
    days = selectors.grievance_settings().safety_notice_days
    return selectors.upcoming_bookings(provider=provider, now=now, days=days)


def suspend_for_grievance(
    provider: Provider,
    *,
    reason: str,
    acting_user: User | None,
    now: dt.datetime,
    pending_review: bool,
) -> dt.datetime | None:
    """Suspend the provider; the time of the status change this app now answers for. The
    customers of their coming bookings are told not to let them work.

    Already suspended by this app: that suspension is kept and adopted (its time returned).
    Suspended for another reason, or not verified at all (e.g. pending re-verification, not
    bookable either): nothing changes, None — whoever decides that status decides when they
    work again, and reinstating here would skip their verification.
    """
    provider = Provider.objects.get(pk=provider.pk)
    if provider.verification_status != VerificationStatus.VERIFIED:
        return provider.status_changed_at if suspended_by_grievance(provider) else None
    provider = provider_set_status(
        provider=provider,
        status=VerificationStatus.SUSPENDED,
        reason=reason,
        acting_user=acting_user,
    )
    notify.suspension_to_customers(_coming(provider, now), pending_review=pending_review)
    return provider.status_changed_at


def reinstate_if_free(provider: Provider, *, acting_user: User | None, now: dt.datetime) -> bool:
    """Reinstate the provider if their suspension is this app's and nothing of this app holds
    them any more; tells the customers of their coming bookings. Whether it did."""
    provider = Provider.objects.get(pk=provider.pk)
    if not suspended_by_grievance(provider) or grievance_holds(provider):
        return False
    provider_set_status(
        provider=provider,
        status=VerificationStatus.VERIFIED,
        reason="",
        acting_user=acting_user,
    )
    notify.reinstated_to_customers(_coming(provider, now))
    return True
