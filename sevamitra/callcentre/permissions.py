"""Who may work the call-centre console, and where.

The policy for everything else (who may register a caller, book for one, change a caller's
booking) stays in accounts.permissions and bookings.permissions; this module only adds what
is particular to calls. An agent may be limited to districts (RoleGrant.district): such an
agent serves callers at pincodes of those districts only.
"""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role, RoleGrant
from sevamitra.geo import pincodes


def can_take_calls(user) -> bool:  # type: ignore[no-untyped-def]
    """Holders of the agent role (not read-only ones)."""
    return Role.AGENT in permissions.roles_of(user) and not permissions.is_read_only(user)


def agent_district_codes(user) -> frozenset[str] | None:  # type: ignore[no-untyped-def]
    """The district codes (as geo.District.code) an agent is limited to; None when the agent
    holds an unscoped grant (the whole state). Cached on the user instance (one request)."""
    if hasattr(user, "_callcentre_districts"):
        cached: frozenset[str] | None = user._callcentre_districts
        return cached
    codes = list(
        RoleGrant.objects.filter(user_id=user.pk, role=Role.AGENT).values_list(
            "district__code", flat=True
        )
    )
    result = None if (not codes or None in codes) else frozenset(codes)
    user._callcentre_districts = result
    return result


def can_serve_pincode(user, pincode: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the agent may book at this pincode: anywhere, or in the agent's districts."""
    districts = agent_district_codes(user)
    if districts is None:
        return True
    info = pincodes.pincode_info(pincode)
    return info is not None and info.district.upper() in districts
