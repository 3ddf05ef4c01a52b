"""Our OAuth2Validator for django-oauth-toolkit (OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]).

On top of DOT's checks:
- claims: only those of the scopes granted *and* still allowed to the client (scopes.py);
- PKCE: S256 only ("plain" or a challenge without a method is refused at the authorization
  endpoint with invalid_request, RFC 7636 §4.4.1);
- a person whose account is no longer active gets no code exchanged and no token honoured;
- the authorization code's tokens are remembered (RedeemedCode) so a replay revokes them;
- why a request failed is noted for the view that writes the refusal's audit entry
  (refusals.note): oauthlib only returns the error, not its cause.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import AccessToken, Application, Grant
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from sevamitra.sso import refusals, selectors, services
from sevamitra.sso.scopes import CLAIM_SCOPE


def _application(client: Any) -> Application | None:
    return client if isinstance(client, Application) else None


class PortalValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **CLAIM_SCOPE}

    # --- Claims ------------------------------------------------------------------------------

    def get_discovery_claims(self, request) -> list[str]:
        return list(CLAIM_SCOPE)

    def get_oidc_claims(self, token, token_handler, request) -> dict[str, Any]:
        granted = set(request.scopes or [])
        allowed = selectors.allowed_scopes(application=_application(request.client))
        claims = {"sub": str(request.user.pk)}
        claims.update(selectors.person_claims(user=request.user, scopes=granted & allowed))
        return claims

    # --- Authorization endpoint ----------------------------------------------------------------

    def is_pkce_required(self, client_id, request) -> bool:
        # Called before oauthlib looks at the challenge: refuse anything but S256 here, so the
        # client hears invalid_request at once instead of after the person has consented.
        challenge = getattr(request, "code_challenge", None)
        method = getattr(request, "code_challenge_method", None)
        if challenge is not None and method != "S256":
            raise errors.UnsupportedCodeChallengeMethodError(
                description='Only the "S256" code_challenge_method is supported.', request=request
            )
        return True

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        # Sibling portals sign people in: every request is an OpenID Connect one.
        if "openid" not in scopes:
            raise errors.InvalidScopeError(
                description="The openid scope is required.", request=request
            )
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    def validate_silent_login(self, request) -> bool:
        # The view sends a visitor who is not signed in to login_required before oauthlib runs.
        return True

    def validate_silent_authorization(self, request) -> bool:
        # The view knows the person and their consents; it answers consent_required itself.
        return True

    # --- Token endpoint ------------------------------------------------------------------------

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        ok = super().authenticate_client(request, *args, **kwargs)
        if not ok:
            refusals.note("client_authentication_failed", application=_application(request.client))
        return ok

    def authenticate_client_id(self, client_id, request, *args, **kwargs) -> bool:
        ok = super().authenticate_client_id(client_id, request, *args, **kwargs)
        if not ok:
            application = _application(request.client)
            reason = "client_unknown" if application is None else "client_authentication_failed"
            refusals.note(reason, application=application)
        return ok

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        application = _application(client)
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            if not request.user.is_active:
                refusals.note("user_inactive", application=application, user=request.user)
                return False
            return True
        grant = Grant.objects.filter(code=code, application=client).select_related("user").first()
        if grant is not None:
            refusals.note("code_expired", application=application, user=grant.user)
            return False
        redeemed = selectors.redeemed_code(code=code)
        if (
            redeemed is not None
            and application is not None
            and redeemed.application_id == application.pk
        ):
            refusals.note("code_replayed", application=application, redeemed=redeemed)
        else:
            refusals.note("code_unknown", application=application)
        return False

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        request.sso_access_token = access_token
        return access_token

    def _create_refresh_token(
        self, request, refresh_token_code, access_token, previous_refresh_token
    ):
        refresh_token = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous_refresh_token
        )
        request.sso_token_family = refresh_token.token_family
        return refresh_token

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs) -> None:
        try:
            super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        except errors.InvalidGrantError:
            # Another request exchanged the same code a moment ago: a replay. The tokens just
            # made for this request are never handed out.
            issued = getattr(request, "sso_access_token", None)
            if issued is not None:
                services.tokens_revoke_issued(access_token=issued)
            refusals.note(
                "code_replayed",
                application=_application(request.client),
                redeemed=selectors.redeemed_code(code=code),
                user=request.user,
            )
            raise
        services.code_redeemed_record(
            code=code,
            application=request.client,
            user=request.user,
            access_token=getattr(request, "sso_access_token", None),
            token_family=getattr(request, "sso_token_family", None),
        )

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:
        ok = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if ok and not request.user.is_active:
            refusals.note("user_inactive", application=_application(client), user=request.user)
            return False
        if not ok:
            refusals.note("refresh_token_invalid", application=_application(client))
        return ok

    # --- Resource endpoints (userinfo) -----------------------------------------------------------

    def validate_bearer_token(self, token, scopes, request) -> bool:
        ok = super().validate_bearer_token(token, scopes, request)
        if ok and not request.user.is_active:
            request.oauth2_error = {"error": "invalid_token"}
            refusals.note(
                "user_inactive", application=_application(request.client), user=request.user
            )
            return False
        if not ok:
            if not token:
                refusals.note("token_missing")
            else:
                found: AccessToken | None = self._load_access_token(token)
                if found is None:
                    refusals.note("token_unknown")
                else:
                    reason = "token_expired" if found.is_expired() else "token_invalid"
                    refusals.note(reason, application=found.application, user=found.user)
        return ok
