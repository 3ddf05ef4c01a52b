"""Test data of single sign-on: sibling portals registered through the service."""

from __future__ import annotations

from sevamitra.sso import services

PHONE = "9812300011"
ALL_SCOPES = ["openid", "profile", "phone", "district", "roles"]


def portal_client(
    *,
    redirect_uris: list[str] | None = None,
    scopes: list[str] | None = None,
    public: bool = False,
    name_en: str = "Rojgar Sangam",
    name_hi: str = "रोज़गार संगम",
    client_id: str = "",
):
    """(application, secret) of a registered sibling portal."""
    return services.client_register(
        name_en=name_en,
        name_hi=name_hi,
        redirect_uris=redirect_uris or ["https://rojgar.example.in/oidc/callback"],
        scopes=scopes or ALL_SCOPES,
        public=public,
        client_id=client_id,
        acting_user=None,
    )
