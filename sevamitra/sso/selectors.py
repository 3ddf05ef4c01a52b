"""Reads for single sign-on: clients' policies, people's consents, and the claims about a
person that a sibling portal may receive."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from oauth2_provider.models import Application

from sevamitra.accounts.models import Address, RoleGrant, User
from sevamitra.accounts.selectors import user_roles
from sevamitra.geo.models import District
from sevamitra.sso.models import ClientPolicy, Consent, RedeemedCode


def code_hash(code: str) -> str:
    """How a redeemed authorization code is remembered (never the code itself)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def policy_of(*, application: Application | None) -> ClientPolicy | None:
    """The client's policy (cached on the instance, as Django caches a one-to-one)."""
    if application is None or application.pk is None:
        return None
    try:
        return application.sevamitra_policy  # type: ignore[attr-defined]
    except ClientPolicy.DoesNotExist:
        return None


def allowed_scopes(*, application: Application | None) -> set[str]:
    """The scopes the administrator allowed this client to ask for (none without a policy)."""
    policy = policy_of(application=application)
    return set(policy.scope_list) if policy is not None else set()


def application_by_client_id(client_id: str | None) -> Application | None:
    if not client_id or len(client_id) > 255 or "\x00" in client_id:
        return None
    return Application.objects.filter(client_id=client_id).first()


def consent_active(*, user: User, application: Application) -> Consent | None:
    return Consent.objects.filter(
        user_id=user.pk, application_id=application.pk, withdrawn_at__isnull=True
    ).first()


def consents_of(*, user: User) -> QuerySet[Consent]:
    """The person's active consents, newest first, with each portal's names."""
    return (
        Consent.objects.filter(user_id=user.pk, withdrawn_at__isnull=True)
        .select_related("application", "application__sevamitra_policy")
        .order_by("-granted_at", "-pk")
    )


def person_sso_data(user: User) -> list[dict[str, Any]]:
    """The person's consents to sibling portals, for the privacy download."""
    consents = (
        Consent.objects.filter(user_id=user.pk)
        .select_related("application")
        .order_by("granted_at", "pk")
    )
    return [
        {
            "portal": consent.application.name,
            "shared": sorted(consent.scope_set),
            "allowed_on": consent.granted_at.isoformat(),
            "withdrawn_on": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        }
        for consent in consents
    ]


def consent_get_for(*, user: User, consent_id: int) -> Consent | None:
    """One of the person's active consents (someone else's: None)."""
    return (
        Consent.objects.filter(pk=consent_id, user_id=user.pk, withdrawn_at__isnull=True)
        .select_related("application")
        .first()
    )


def redeemed_code(*, code: str) -> RedeemedCode | None:
    return RedeemedCode.objects.filter(code_hash=code_hash(code)).first()


# --- Claims ----------------------------------------------------------------------------------


def district_of(*, user: User) -> District | None:
    """The person's district: a Sevamitra's own district; else the one district their role is
    limited to (officers, agents); else the district of their newest saved address."""
    from sevamitra.geo.pincodes import pincode_info
    from sevamitra.providers.models import Provider

    provider = Provider.objects.filter(user_id=user.pk).select_related("district").first()
    if provider is not None:
        return provider.district
    scoped = {
        grant.district
        for grant in RoleGrant.objects.filter(user_id=user.pk, district__isnull=False)
        .select_related("district")
        .order_by("pk")
    }
    if len(scoped) == 1:
        return scoped.pop()
    pincode = (
        Address.objects.filter(user_id=user.pk)
        .order_by("-created_at", "-pk")
        .values_list("pincode", flat=True)
        .first()
    )
    info = pincode_info(pincode) if pincode else None
    if info is None or not info.district:
        return None
    return District.objects.filter(code=info.district).first()


def district_claim(*, user: User) -> dict[str, str] | None:
    """{"code", "name", "name_hi"} of the person's district, or None when it is not known."""
    district = district_of(user=user)
    if district is None:
        return None
    return {"code": district.code, "name": district.name_en, "name_hi": district.name_hi}


def roles_claim(*, user: User) -> list[str]:
    """The person's roles (codes, e.g. "citizen", "provider"), sorted."""
    return sorted(user_roles(user)) if user.is_active else []


def locale_claim(*, user: User) -> str:
    """The person's language as a BCP 47 tag for India ("hi-IN", "en-IN")."""
    return f"{user.preferred_language or 'hi'}-IN"


def phone_claim(*, user: User) -> str:
    """The account's mobile number in E.164 (the number the person signs in with)."""
    return f"+91{user.phone}"


def person_claims(*, user: User, scopes: set[str] | list[str]) -> dict[str, Any]:
    """The claims of the given scopes about the person (besides `sub`); an empty value is left
    out, as OpenID Connect asks."""
    wanted = set(scopes)
    claims: dict[str, Any] = {}
    if "profile" in wanted:
        claims["name"] = user.name or None
        claims["locale"] = locale_claim(user=user)
    if "phone" in wanted:
        claims["phone_number"] = phone_claim(user=user)
        claims["phone_number_verified"] = True
    if "district" in wanted:
        claims["district"] = district_claim(user=user)
    if "roles" in wanted:
        claims["roles"] = roles_claim(user=user)
    return {key: value for key, value in claims.items() if value is not None}
