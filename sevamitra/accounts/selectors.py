"""Reads about accounts: who holds which role, where."""

from django.db.models import QuerySet

from sevamitra.accounts.models import OtpChallenge, RoleGrant, User

# Attribute on a User instance holding its grants for the life of that instance (one request).
_GRANTS_ATTR = "_sevamitra_role_grants"


def _grants(user) -> frozenset[tuple[str, int | None]]:
    """(role, district_id) pairs the user holds; one query per user instance."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return frozenset()
    cached = getattr(user, _GRANTS_ATTR, None)
    if cached is None:
        pairs = RoleGrant.objects.filter(user_id=user.pk).values_list("role", "district_id")
        cached = frozenset(pairs)
        setattr(user, _GRANTS_ATTR, cached)
    return cached


def forget_user_roles(user) -> None:
    """Drop the cached roles of this instance (after a grant or a revocation)."""
    if user is not None and hasattr(user, _GRANTS_ATTR):
        delattr(user, _GRANTS_ATTR)


def user_roles(user) -> set[str]:
    """The roles the user holds (an anonymous visitor holds none)."""
    return {role for role, _district in _grants(user)}


def user_districts(user, role: str) -> set[int]:
    """Ids of the districts to which the user's grants of `role` are limited."""
    return {district for held, district in _grants(user) if held == role and district is not None}


def role_grants_of(*, user: User) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(user=user)
        .select_related("district", "granted_by")
        .order_by("role", "district__name_en")
    )


def otp_challenge_latest_open(*, phone: str) -> OtpChallenge | None:
    """The newest challenge for the number that has not been used (without locking it)."""
    return (
        OtpChallenge.objects.filter(phone=phone, consumed_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
