"""What every page's header needs to know about the visitor: which areas to link to."""

from django.http import HttpRequest

from sevamitra.accounts.models import Role
from sevamitra.accounts.permissions import roles_of


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else set()
    return {
        "nav": {
            "provider": Role.PROVIDER in roles,
            "agent": Role.AGENT in roles,
            "gov": Role.DEPARTMENT_OFFICER in roles,
            "officer": bool(roles & {Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}),
            "audit": bool(roles & {Role.AUDITOR, Role.ADMINISTRATOR}),
            "back_office": bool(user is not None and user.is_authenticated and user.is_staff),
        }
    }
