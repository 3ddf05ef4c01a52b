"""Who may act on a booking. A citizen sees and changes only their bookings, a provider only
theirs; an agent any booking, but only through the agent role; auditors only read."""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.bookings.models import Booking


def _agent(user) -> bool:  # type: ignore[no-untyped-def]
    return Role.AGENT in permissions.roles_of(user) and not permissions.is_read_only(user)


def capacity(user, *, customer_id: int | None, provider_user_id: int | None = None) -> str:  # type: ignore[no-untyped-def]
    """The role `user` acts in on a customer's booking (or hold, or series), as the audit trail
    names it: the customer → citizen, the booking's Sevamitra → provider, an agent for a
    caller → agent; "" for anyone else (the audit trail then names the roles they hold) and
    for nobody (the system)."""
    if user is None:
        return ""
    if user.pk == customer_id:
        return Role.CITIZEN
    if provider_user_id is not None and user.pk == provider_user_id:
        return Role.PROVIDER
    if _agent(user):
        return Role.AGENT
    return ""


def book_for(user, customer) -> bool:  # type: ignore[no-untyped-def]
    """Book (or hold) for `customer`: themself, or an agent for a caller."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if permissions.is_read_only(user):
        return False
    return user.pk == customer.pk or _agent(user) or permissions.is_administrator(user)


def act_as_customer(user, booking: Booking) -> bool:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False) or permissions.is_read_only(user):
        return False
    return booking.customer_id == user.pk or _agent(user)


def act_as_provider(user, booking: Booking) -> bool:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False) or permissions.is_read_only(user):
        return False
    return booking.provider.user_id == user.pk


def can_view(user, booking: Booking) -> bool:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False):
        return False
    roles = permissions.roles_of(user)
    return (
        booking.customer_id == user.pk
        or booking.provider.user_id == user.pk
        or Role.AGENT in roles
        or Role.AUDITOR in roles
        or permissions.is_administrator(user)
    )
