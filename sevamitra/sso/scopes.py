"""The scopes a sibling portal may ask for: what each one says to the person on the consent
screen, and which claims it releases (in the ID token and at userinfo).

`OAUTH2_PROVIDER["SCOPES"]` in the settings names the scopes that exist; this module gives
them their words and claims (a test checks that both list the same scopes). Which of them a
client may ask for is its `ClientPolicy.allowed_scopes`, set by the administrator.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings

# scope → (what the consent screen says, in plain words; the claims it releases)
SCOPES: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "openid": (
        _("Know that it is you: an account number that stays the same every time you sign in"),
        ("sub",),
    ),
    "profile": (_("Your name and the language you use"), ("name", "locale")),
    "phone": (
        _("Your mobile number, which Sevamitra has verified"),
        ("phone_number", "phone_number_verified"),
    ),
    "district": (_("Your district"), ("district",)),
    "roles": (
        _("Your roles at Sevamitra (for example citizen, Sevamitra or officer)"),
        ("roles",),
    ),
}

# claim → the scope that releases it (DOT's OAuth2Validator.oidc_claim_scope)
CLAIM_SCOPE: dict[str, str] = {
    claim: scope for scope, (_text, claims) in SCOPES.items() for claim in claims
}

DEFAULT_SCOPES = ["openid"]


def scope_names() -> list[str]:
    """The scopes that exist, in the order of the settings."""
    return list(oauth2_settings.SCOPES)


def describe(scopes: list[str] | set[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """[{name, text}] of `scopes` in the settings' order, for the pages."""
    wanted = set(scopes)
    return [
        {"name": name, "text": SCOPES[name][0]}
        for name in scope_names()
        if name in wanted and name in SCOPES
    ]


def normalise(scopes: str | list[str] | set[str] | tuple[str, ...]) -> list[str]:
    """Scope names without repeats, in the settings' order; unknown names are kept at the end
    (so that a check can refuse them by name)."""
    names = scopes.split() if isinstance(scopes, str) else list(scopes)
    known = [name for name in scope_names() if name in names]
    unknown = sorted({name for name in names if name not in known})
    return known + unknown


class PortalScopes(BaseScopes):
    """DOT's scopes backend: every scope exists, a client may ask only for its allowed ones."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(SCOPES[name][0]) for name in scope_names() if name in SCOPES}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        if application is None:
            return scope_names()
        from sevamitra.sso.selectors import allowed_scopes

        allowed = allowed_scopes(application=application)
        return [name for name in scope_names() if name in allowed]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return list(DEFAULT_SCOPES)
