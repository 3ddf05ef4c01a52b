"""Who may do what with complaints, sanctions and appeals (built on accounts.permissions).

- The customer files a complaint about their own booking, replies, closes it.
- The Sevamitra concerned answers it and appeals a sanction.
- The district officers of the provider's district (and administrators) see their district's
  complaints, record hearings and decide; never about themselves (can_verify_provider).
- The named appellate officer decides an appeal, and sees the complaint behind it.
- Auditors read through the audit trail only; they hold no write here.
"""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.grievances.models import Appeal, Complaint, Sanction


def _active(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user is not None and user.is_authenticated and user.is_active)


def _may_write(user) -> bool:  # type: ignore[no-untyped-def]
    return _active(user) and not permissions.is_read_only(user)


def is_grievance_officer(user) -> bool:  # type: ignore[no-untyped-def]
    """District officers (of any district) and administrators: the officer pages."""
    if not _active(user):
        return False
    return permissions.is_administrator(user) or bool(user_districts(user, Role.DISTRICT_OFFICER))


def is_officer_for(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    """A district officer of the provider's district, or an administrator."""
    if not _active(user):
        return False
    if permissions.is_administrator(user):
        return True
    return complaint.provider.district_id in user_districts(user, Role.DISTRICT_OFFICER)


def can_file_complaint(user, booking) -> bool:  # type: ignore[no-untyped-def]
    """Only the booking's own customer."""
    return _may_write(user) and booking.customer_id == user.pk


def can_view_complaint(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    """The complainant, the provider concerned, the officers of the provider's district,
    administrators, and the appellate officer of an appeal about it. Also its photos."""
    if not _active(user):
        return False
    if user.pk in (complaint.customer_id, complaint.provider.user_id):
        return True
    return is_officer_for(user, complaint) or is_appellate_officer_of(user, complaint)


def is_appellate_officer_of(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    """The named appellate officer of an appeal against a sanction of this complaint."""
    if not _active(user):
        return False
    return Appeal.objects.filter(sanction__complaint=complaint, appellate_officer=user).exists()


def can_reply(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    return _may_write(user) and complaint.customer_id == user.pk


def can_respond(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    return _may_write(user) and complaint.provider.user_id == user.pk


def can_decide(user, complaint: Complaint) -> bool:  # type: ignore[no-untyped-def]
    """Hearing notes and decisions: who may verify or suspend the provider."""
    return permissions.can_verify_provider(user, complaint.provider)


def can_lift(user, sanction: Sanction) -> bool:  # type: ignore[no-untyped-def]
    return permissions.can_verify_provider(user, sanction.provider)


def can_appeal(user, sanction: Sanction) -> bool:  # type: ignore[no-untyped-def]
    return _may_write(user) and sanction.provider.user_id == user.pk


def may_hear_appeals_for(user, provider, *, decided_by_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Appellate authority over a sanction: an administrator, or a district officer of the
    provider's district — never the officer who decided, never the provider."""
    if not _may_write(user) or user.pk in (decided_by_id, provider.user_id):
        return False
    return permissions.can_verify_provider(user, provider)


def can_decide_appeal(user, appeal: Appeal) -> bool:  # type: ignore[no-untyped-def]
    """The named appellate officer only, while they still hold the authority."""
    if appeal.appellate_officer_id != user.pk:
        return False
    return may_hear_appeals_for(
        user, appeal.sanction.provider, decided_by_id=appeal.sanction.imposed_by_id
    )
