"""Who may see a badge card and issue badges and uniforms (built on accounts.permissions)."""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts


def can_view_badge_card(user, provider) -> bool:
    """The provider themself, the district officer of the provider's district, administrators."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if provider.user_id == user.pk or permissions.is_administrator(user):
        return True
    return provider.district_id in user_districts(user, Role.DISTRICT_OFFICER)


def can_issue_badge(user, provider) -> bool:
    """The district officer of the provider's district; administrators (never oneself)."""
    return permissions.can_verify_provider(user, provider)


def can_issue_uniform(user, provider) -> bool:
    return permissions.can_verify_provider(user, provider)
