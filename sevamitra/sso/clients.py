"""Rules for registering a sibling portal as a client (the service, the admin and the command
all apply them): redirect URIs over HTTPS — plain http only to this computer (loopback) and only
where the settings allow it (development, tests) — and scopes that exist, openid among them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from oauth2_provider.settings import oauth2_settings

from sevamitra.sso.scopes import normalise, scope_names

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{3,100}")


def http_allowed() -> bool:
    return "http" in oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be registered as a redirect URI (in the user's language), or None."""
    try:
        parts = urlsplit(uri)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return _("%(uri)s is not a valid address.") % {"uri": uri}
    if not hostname or parts.scheme not in ("https", "http"):
        return _("%(uri)s is not a valid web address (https://…).") % {"uri": uri}
    if parts.username is not None or parts.password is not None or "#" in uri:
        return _("%(uri)s must not contain a user name, a password or a #fragment.") % {"uri": uri}
    if parts.scheme == "http":
        if hostname not in LOOPBACK_HOSTS:
            return _("%(uri)s must use https:// (http:// only for this computer).") % {"uri": uri}
        if not http_allowed():
            return _("%(uri)s must use https:// on this server.") % {"uri": uri}
    return None


def redirect_uri_problems(uris: list[str]) -> list[str]:
    if not uris:
        return [_("Give at least one redirect URI.")]
    return [problem for uri in uris if (problem := redirect_uri_problem(uri))]


def scope_problems(scopes: list[str]) -> list[str]:
    names = normalise(scopes)
    problems = []
    unknown = [name for name in names if name not in scope_names()]
    if unknown:
        problems.append(_("Unknown scopes: %(names)s.") % {"names": ", ".join(unknown)})
    if "openid" not in names:
        problems.append(_("The openid scope is required: it is what signs the person in."))
    return problems


def client_id_problem(client_id: str) -> str | None:
    if client_id and not CLIENT_ID.fullmatch(client_id):
        return _("A client ID is 3 to 100 letters, digits, dots, dashes or underscores.")
    return None
