"""Who may do what: the one policy module. Every check takes the acting user first.

Rules that hold everywhere:
- An inactive or anonymous user holds no role.
- A superuser counts as an administrator.
- An auditor is read-only: holding the auditor role takes away every write, even one another
  role would allow (superusers excepted: that flag is set from the command line only).
- Nobody verifies or suspends themselves.
"""

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts, user_roles
from sevamitra.providers.models import VerificationStatus


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def roles_of(user) -> set[str]:
    return user_roles(user) if _active(user) else set()


def is_administrator(user) -> bool:
    return _active(user) and (user.is_superuser or Role.ADMINISTRATOR in user_roles(user))


def is_read_only(user) -> bool:
    return _active(user) and not user.is_superuser and Role.AUDITOR in user_roles(user)


def _may_write(user) -> bool:
    return _active(user) and not is_read_only(user)


def _is_district_officer_for(user, district_id: int | None) -> bool:
    return district_id is not None and district_id in user_districts(user, Role.DISTRICT_OFFICER)


# --- Providers -----------------------------------------------------------------------------


def can_view_provider(user, provider) -> bool:
    """A verified provider is public. Otherwise: the provider, the district officer of the
    provider's district, administrators and auditors."""
    if provider.verification_status == VerificationStatus.VERIFIED:
        return True
    if not _active(user):
        return False
    if provider.user_id == user.pk or is_administrator(user):
        return True
    if Role.AUDITOR in user_roles(user):
        return True
    return _is_district_officer_for(user, provider.district_id)


def can_edit_provider(user, provider) -> bool:
    """The provider, for their own profile; administrators."""
    if not _may_write(user):
        return False
    return provider.user_id == user.pk or is_administrator(user)


def can_verify_provider(user, provider) -> bool:
    """Verify or suspend: the district officer of the provider's district; administrators."""
    if not _may_write(user) or provider.user_id == user.pk:
        return False
    return is_administrator(user) or _is_district_officer_for(user, provider.district_id)


# --- Users and roles -----------------------------------------------------------------------


def can_view_user(user, other) -> bool:
    """Oneself; call-centre agents (to serve callers); administrators; auditors."""
    if not _active(user):
        return False
    if other.pk == user.pk or is_administrator(user):
        return True
    return bool(roles_of(user) & {Role.AGENT, Role.AUDITOR})


def can_edit_user(user, other) -> bool:
    """Oneself (name, language); administrators."""
    if not _may_write(user):
        return False
    return other.pk == user.pk or is_administrator(user)


def can_create_user(user) -> bool:
    """Register someone else (a caller, by phone): call-centre agents; administrators."""
    if not _may_write(user):
        return False
    return is_administrator(user) or Role.AGENT in user_roles(user)


def can_manage_roles(user) -> bool:
    return _may_write(user) and is_administrator(user)


def can_view_audit(user) -> bool:
    return is_administrator(user) or Role.AUDITOR in roles_of(user)


def require(allowed: bool) -> None:
    """Raise the permission_denied domain error unless `allowed`."""
    if not allowed:
        raise NotPermitted()
