"""Why an OpenID Connect / OAuth 2.0 request was refused, in a few stable words for the audit
trail ("reason" next to the protocol's "error").

oauthlib answers a refused request with the error the specification names (invalid_grant, …)
but not its cause. The validator knows the cause (an expired code, a replayed one, a wrong
client secret): it notes it here for the duration of one request (a context variable, so
threads and requests do not mix), and the view that writes the audit entry collects it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from oauthlib.oauth2.rfc6749 import errors
from oauthlib.openid.connect.core import exceptions as oidc_errors


@dataclass
class Noted:
    reason: str
    application: Any = None  # oauth2_provider.models.Application
    user: Any = None
    redeemed: Any = None  # sevamitra.sso.models.RedeemedCode


_noted: ContextVar[Noted | None] = ContextVar("sso_refusal", default=None)


def reset() -> None:
    _noted.set(None)


def note(reason: str, *, application: Any = None, user: Any = None, redeemed: Any = None) -> None:
    """Remember why the current request is being refused (the first cause noted wins)."""
    if _noted.get() is None:
        _noted.set(Noted(reason=reason, application=application, user=user, redeemed=redeemed))


def collect() -> Noted | None:
    """The cause noted during this request, and forget it."""
    noted = _noted.get()
    _noted.set(None)
    return noted


# Refusals at the authorization endpoint: oauthlib's error class → reason. The first four are
# fatal (never redirected: the client or its redirect URI cannot be trusted).
AUTHORIZE_REASONS: list[tuple[type[errors.OAuth2Error], str]] = [
    (errors.MissingClientIdError, "client_missing"),
    (errors.InvalidClientIdError, "client_unknown"),
    (errors.MissingRedirectURIError, "redirect_uri_missing"),
    (errors.InvalidRedirectURIError, "redirect_uri_invalid"),
    (errors.MismatchingRedirectURIError, "redirect_uri_not_registered"),
    (errors.MissingCodeChallengeError, "pkce_challenge_missing"),
    (errors.UnsupportedCodeChallengeMethodError, "pkce_method_not_s256"),
    (errors.InvalidScopeError, "scope_not_allowed"),
    (errors.UnauthorizedClientError, "response_type_not_allowed"),
    (errors.UnsupportedResponseTypeError, "response_type_unsupported"),
    (errors.MissingResponseTypeError, "response_type_missing"),
]

# Answers that are the protocol working as meant, not a refused request: not audited.
NOT_REFUSALS = (errors.AccessDeniedError, oidc_errors.LoginRequired, oidc_errors.ConsentRequired)


def authorize_reason(error: errors.OAuth2Error) -> str:
    for cls, reason in AUTHORIZE_REASONS:
        if isinstance(error, cls):
            return reason
    return error.error or "invalid_request"


def token_reason(error: str, *, grant_type: str, description: str = "") -> str:
    """The reason for a token-endpoint refusal nothing was noted for, from the error and the
    grant type (the validator notes every cause it can see; the rest is oauthlib's own)."""
    if error == "invalid_grant" and grant_type == "authorization_code":
        # The code itself was valid (else the validator would have noted why): PKCE failed.
        return "pkce_verifier_mismatch"
    if error == "invalid_request" and "verifier" in description.lower():
        return "pkce_verifier_missing"
    if error == "invalid_request" and "redirect" in description.lower():
        return "redirect_uri_mismatch"
    return {
        "unsupported_grant_type": "grant_type_unsupported",
        "unauthorized_client": "grant_type_not_allowed",
        "invalid_scope": "scope_not_allowed",
        "invalid_client": "client_authentication_failed",
    }.get(error, error or "invalid_request")


def userinfo_reason(error: str) -> str:
    return {"insufficient_scope": "scope_openid_missing"}.get(error, error or "invalid_token")
