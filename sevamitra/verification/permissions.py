"""Who may work the verification queue, decide on a Sevamitra and set the verification
policy (built on accounts.permissions, THE policy module)."""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts


def can_use_verification_queue(user) -> bool:  # type: ignore[no-untyped-def]
    """District officers (of any district) and administrators; not read-only users."""
    if permissions.is_read_only(user):
        return False
    if permissions.is_administrator(user):
        return True
    return Role.DISTRICT_OFFICER in permissions.roles_of(user)


def queue_districts(user) -> set[int] | None:  # type: ignore[no-untyped-def]
    """The district ids whose providers the user's queue holds; None: every district."""
    if permissions.is_administrator(user):
        return None
    return user_districts(user, Role.DISTRICT_OFFICER)


def can_see_verification(user, provider) -> bool:  # type: ignore[no-untyped-def]
    """The officer's page of one provider: the officer of the provider's district, or an
    administrator (never about oneself)."""
    return can_use_verification_queue(user) and permissions.can_verify_provider(user, provider)


def can_decide_verification(user, provider) -> bool:  # type: ignore[no-untyped-def]
    """Approve, ask for changes or reject: the same people (accounts.permissions)."""
    return permissions.can_verify_provider(user, provider)


def can_resubmit_verification(user, provider) -> bool:  # type: ignore[no-untyped-def]
    """Send the registration again after changes were asked for: the provider (or an
    administrator on their behalf)."""
    return permissions.can_edit_provider(user, provider)


def can_edit_verification_policy(user) -> bool:  # type: ignore[no-untyped-def]
    return permissions.is_administrator(user) and not permissions.is_read_only(user)
