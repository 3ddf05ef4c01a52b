"""Deploy checks of single sign-on (`manage.py check --deploy`): an issuer that is not the
site's https root is an error; http redirect URIs allowed (loopback) is a warning; behind
TLS without OIDC_ISSUER is a warning (the worker signs work-history records with no request to
take the issuer from). A signing key from a file is fine for one node; docs/sso.md says what a
cluster needs."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def oidc_deploy(app_configs, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    config = settings.OAUTH2_PROVIDER
    issuer = config.get("OIDC_ISS_ENDPOINT", "")
    if issuer and (urlsplit(issuer).scheme != "https" or urlsplit(issuer).path not in ("", "/")):
        messages.append(
            checks.Error(
                "OIDC_ISSUER must be the site's root over https.",
                hint="e.g. https://sevamitra.up.gov.in (no path: the discovery document is at "
                "<issuer>/.well-known/openid-configuration).",
                id="sso.E001",
            )
        )
    if not issuer and getattr(settings, "HTTPS", False):
        messages.append(
            checks.Warning(
                "OIDC_ISSUER is not set: ID tokens take the issuer from each request, and the "
                "work-history records signed by the worker would carry a wrong one.",
                hint="Set OIDC_ISSUER to the portal's public root URL, e.g. "
                "https://sevamitra.up.gov.in",
                id="sso.W002",
            )
        )
    if "http" in config.get("ALLOWED_REDIRECT_URI_SCHEMES", []):
        messages.append(
            checks.Warning(
                "Sibling portals may register http redirect URIs on this computer (loopback).",
                hint="Unset OIDC_ALLOW_HTTP_LOOPBACK (and DJANGO_DEBUG) in production.",
                id="sso.W001",
            )
        )
    return messages
