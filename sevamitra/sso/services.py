"""Writes of single sign-on: registering a sibling portal, a person's consent and its
withdrawal, and the audit entry of every refused OpenID Connect / OAuth 2.0 request.

Tokens and codes themselves are credentials issued and checked by django-oauth-toolkit; like
sign-in codes they are not domain state and are not audited one by one. What is audited: a
client registered (sso.client_registered), consent given or widened (sso.consent_granted) or
withdrawn (sso.consent_withdrawn, revoking the portal's tokens), and each refusal (sso.refused:
the protocol's error and our reason, never a code, token or secret).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    AccessToken,
    Application,
    Grant,
    IDToken,
    RefreshToken,
    clear_expired,
    revoke_access_token,
)
from oauth2_provider.settings import oauth2_settings

from sevamitra.accounts.errors import DomainError, InvalidInput
from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_record
from sevamitra.core.errors import PermissionDenied
from sevamitra.sso import clients
from sevamitra.sso.models import ClientPolicy, Consent, RedeemedCode
from sevamitra.sso.scopes import normalise
from sevamitra.sso.selectors import allowed_scopes, code_hash

APPLICATION_TYPE = "oauth2_provider.application"
AUDIT_TEXT_MAX = 64


def _actor(user: Any) -> User | None:
    return user if getattr(user, "is_authenticated", False) else None


# --- Clients ---------------------------------------------------------------------------------


def client_register(
    *,
    name_en: str,
    name_hi: str,
    redirect_uris: list[str],
    scopes: list[str],
    public: bool = False,
    client_id: str = "",
    acting_user: User | None,
) -> tuple[Application, str]:
    """Register a sibling portal; returns the client and its secret in clear ("" for a public
    client), which is shown once and stored only hashed. acting_user None: an operator at the
    command line (recorded as the system)."""
    name_en, name_hi = name_en.strip(), name_hi.strip()
    uris = [uri.strip() for uri in redirect_uris if uri.strip()]
    scope_list = normalise(scopes)
    problems = []
    if not name_en or not name_hi:
        problems.append(_("Give the portal's name in Hindi and in English."))
    if len(name_en) > 120 or len(name_hi) > 120:
        problems.append(_("A portal's name is at most 120 characters."))
    problems += clients.redirect_uri_problems(uris)
    problems += clients.scope_problems(scope_list)
    if problem := clients.client_id_problem(client_id):
        problems.append(problem)
    elif client_id and Application.objects.filter(client_id=client_id).exists():
        problems.append(_("A client with this client ID is already registered."))
    if problems:
        raise InvalidInput(" ".join(problems))

    secret = "" if public else generate_client_secret()
    with transaction.atomic():
        application = Application(
            name=name_en,
            client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(uris),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
            client_secret=secret,
            hash_client_secret=True,
        )
        if client_id:
            application.client_id = client_id
        application.save()
        ClientPolicy.objects.create(
            application=application,
            name_en=name_en,
            name_hi=name_hi,
            allowed_scopes=" ".join(scope_list),
        )
        audit_record(
            actor=_actor(acting_user),
            action="sso.client_registered",
            obj=application,
            after={
                "client_type": application.client_type,
                "redirect_uris": uris,
                "scopes": scope_list,
            },
        )
    return application, secret


# --- Consent ---------------------------------------------------------------------------------


def consent_grant(
    *, user: User, application: Application, scopes: list[str], acting_user: User
) -> Consent:
    """Record that the person allows the portal these scopes (widening an earlier consent).
    Only the person themselves consents; only scopes the portal may ask for."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("Only the person themselves can give consent."))
    wanted = normalise(scopes)
    allowed = allowed_scopes(application=application)
    if not wanted or "openid" not in wanted or not set(wanted) <= allowed:
        raise InvalidInput(_("This portal may not ask for that."))
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _consent_grant_once(user=user, application=application, wanted=wanted)
        except IntegrityError:
            # A second click created the consent a moment ago: widen that one instead.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _consent_grant_once(*, user: User, application: Application, wanted: list[str]) -> Consent:
    now = timezone.now()
    consent = (
        Consent.objects.select_for_update()
        .filter(user_id=user.pk, application_id=application.pk, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        consent = Consent.objects.create(
            user=user,
            application=application,
            scopes=" ".join(wanted),
            granted_at=now,
            updated_at=now,
        )
        audit_record(
            actor=user,
            action="sso.consent_granted",
            obj=consent,
            after={"application": application.pk, "scopes": wanted},
        )
        return consent
    before = normalise(consent.scopes)
    merged = normalise(set(before) | set(wanted))
    if merged != before:
        consent.scopes = " ".join(merged)
        consent.updated_at = now
        consent.save(update_fields=["scopes", "updated_at"])
        audit_record(
            actor=user,
            action="sso.consent_granted",
            obj=consent,
            before={"scopes": before},
            after={"application": application.pk, "scopes": merged},
        )
    return consent


def consent_withdraw(*, consent: Consent, acting_user: User) -> int:
    """Withdraw the person's consent to a portal and revoke every token and code the portal
    holds for them; returns how many tokens were revoked. The portal must ask again."""
    if acting_user.pk != consent.user_id:
        raise PermissionDenied(_("Only the person themselves can withdraw their consent."))
    with transaction.atomic():
        locked = Consent.objects.select_for_update().filter(pk=consent.pk).first()
        if locked is None or locked.withdrawn_at is not None:
            raise DomainError(_("This consent has already been withdrawn."), code="withdrawn")
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        revoked = _revoke_tokens(user_id=locked.user_id, application_id=locked.application_id)
        audit_record(
            actor=acting_user,
            action="sso.consent_withdrawn",
            obj=locked,
            before={"scopes": normalise(locked.scopes)},
            after={"application": locked.application_id, "tokens_revoked": revoked},
        )
    consent.withdrawn_at = locked.withdrawn_at
    return revoked


def sso_person_erase(*, user: User) -> int:
    """Part of erasing a person (inside privacy.person_erase's transaction, whose
    `person.erased` entry records it): every active consent is withdrawn and every token, code
    and ID token any portal holds for them is revoked. Returns the consents withdrawn."""
    now = timezone.now()
    active = Consent.objects.select_for_update().filter(user_id=user.pk, withdrawn_at__isnull=True)
    withdrawn = 0
    for consent in active:
        _revoke_tokens(user_id=user.pk, application_id=consent.application_id)
        withdrawn += 1
    active.update(withdrawn_at=now)
    for application_id in set(
        AccessToken.objects.filter(user_id=user.pk).values_list("application_id", flat=True)
    ) | set(RefreshToken.objects.filter(user_id=user.pk).values_list("application_id", flat=True)):
        _revoke_tokens(user_id=user.pk, application_id=application_id)
    return withdrawn


def _revoke_tokens(*, user_id: int, application_id: int) -> int:
    """Revoke the person's refresh and access tokens at the portal and drop unused codes."""
    now = timezone.now()
    refresh = RefreshToken.objects.filter(
        user_id=user_id, application_id=application_id, revoked__isnull=True
    ).update(revoked=now, updated=now)
    access = AccessToken.objects.filter(user_id=user_id, application_id=application_id)
    revoked = refresh + access.count()
    access.delete()
    Grant.objects.filter(user_id=user_id, application_id=application_id).delete()
    IDToken.objects.filter(user_id=user_id, application_id=application_id).delete()
    return revoked


# --- Refusals and code replay ----------------------------------------------------------------


def refusal_record(
    *,
    reason: str,
    error: str,
    application: Application | None = None,
    user: Any = None,
    client_id: str = "",
) -> None:
    """The audit entry of a refused request: the protocol's error and our reason, the client
    when known (an unknown client's id, cut short, in its place) and the person when known."""
    after = {"error": (error or "")[:AUDIT_TEXT_MAX], "reason": reason[:AUDIT_TEXT_MAX]}
    if application is None and client_id:
        after["client_id"] = client_id[:AUDIT_TEXT_MAX]
    with transaction.atomic():
        audit_record(
            actor=_actor(user),
            action="sso.refused",
            obj=application,
            object_type="" if application is not None else APPLICATION_TYPE,
            after=after,
        )


def code_replay_refuse(*, redeemed: RedeemedCode, error: str = "invalid_grant") -> int:
    """An authorization code came back after it was exchanged: revoke the tokens it gave (RFC
    6749 §4.1.2) and record the refusal. Returns how many tokens were revoked."""
    with transaction.atomic():
        locked = (
            RedeemedCode.objects.select_for_update()
            .select_related("application", "user")
            .filter(pk=redeemed.pk)
            .first()
        )
        if locked is None:
            return 0
        access_ids = {locked.access_token_id} - {None}
        refresh = RefreshToken.objects.none()
        if locked.token_family is not None:
            refresh = RefreshToken.objects.filter(token_family=locked.token_family)
            access_ids |= set(
                refresh.exclude(access_token__isnull=True).values_list("access_token_id", flat=True)
            )
        revoked = refresh.filter(revoked__isnull=True).count()
        revoked += AccessToken.objects.filter(pk__in=access_ids).count()
        if locked.token_family is not None:
            RefreshToken.revoke_family(locked.token_family)
        AccessToken.objects.filter(pk__in=access_ids).delete()
        locked.replayed_at = timezone.now()
        locked.save(update_fields=["replayed_at"])
        audit_record(
            actor=locked.user,
            action="sso.refused",
            obj=locked.application,
            after={"error": error, "reason": "code_replayed", "tokens_revoked": revoked},
        )
    return revoked


def code_redeemed_record(
    *,
    code: str,
    application: Application,
    user: User,
    access_token: AccessToken | None,
    token_family: uuid.UUID | None,
) -> RedeemedCode:
    """Remember that `code` was exchanged and for which tokens (its hash, never the code)."""
    return RedeemedCode.objects.create(
        code_hash=code_hash(code),
        application=application,
        user=user,
        access_token=access_token,
        token_family=token_family,
    )


def tokens_revoke_issued(*, access_token: AccessToken) -> None:
    """Revoke tokens made for a request that is then refused (never handed out)."""
    revoke_access_token(access_token)


def tokens_prune(*, now=None) -> int:
    """Delete expired tokens and codes (django-oauth-toolkit's clear_expired) and the memory
    of codes whose tokens can no longer be alive; returns how many code records went."""
    now = now or timezone.now()
    clear_expired()
    lifetime = (oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS or 0) + (
        oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS or 0
    )
    cutoff = now - timedelta(seconds=max(lifetime, 86400))
    deleted, _detail = RedeemedCode.objects.filter(redeemed_at__lt=cutoff).delete()
    return deleted
