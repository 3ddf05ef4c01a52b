"""Who may issue, see and pay invoices of government orders (built on accounts.permissions).

- Issue: the provider themself (the supplier issues a GST invoice; the portal generates it in
  their name), or the finance officer of the ordering office on the provider's behalf (for a
  Sevamitra without a phone that can open pages); `issued_by` records who pressed the button.
- Record a payment: the finance officer of the ordering office only — never the provider.
- See an invoice and its PDF: the provider, any officer of the ordering office, the approving
  officers of the offices above it, administrators and auditors.
"""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.procurement.models import OfficePost, OfficerPost


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _may_write(user) -> bool:
    return _active(user) and not permissions.is_read_only(user)


def holds_post(user, office, post: str) -> bool:
    """`user` holds the active `post` in exactly `office`."""
    if not _active(user):
        return False
    return OfficePost.objects.filter(user=user, office=office, post=post, active=True).exists()


def is_officer_of(user, office) -> bool:
    """Any active post in `office`, or the approving post in an office above it."""
    if not _active(user):
        return False
    above = [o.pk for o in office.ancestors()[1:]]
    return OfficePost.objects.filter(user=user, active=True, office=office).exists() or (
        bool(above)
        and OfficePost.objects.filter(
            user=user, active=True, post=OfficerPost.APPROVING, office_id__in=above
        ).exists()
    )


def is_provider_user(user, provider) -> bool:
    return _active(user) and provider.user_id == user.pk


def can_issue_invoice(user, provider, requisition) -> bool:
    if not _may_write(user):
        return False
    return is_provider_user(user, provider) or holds_post(
        user, requisition.office, OfficerPost.FINANCE
    )


def can_record_payment(user, invoice) -> bool:
    if not _may_write(user) or is_provider_user(user, invoice.provider):
        return False
    return holds_post(user, invoice.requisition.office, OfficerPost.FINANCE)


def can_view_invoice(user, invoice) -> bool:
    if not _active(user):
        return False
    if is_provider_user(user, invoice.provider) or permissions.is_administrator(user):
        return True
    if Role.AUDITOR in permissions.roles_of(user):
        return True
    return is_officer_of(user, invoice.requisition.office)
