"""Single sign-on URLs.

django-oauth-toolkit reverses its own URL names in the "oauth2_provider" namespace (the
discovery document, the issuer), so its endpoints live in that namespace at the top level, not
nested under "sso". The discovery document is at the site root: the issuer is the site itself
(`<issuer>/.well-known/openid-configuration`), the other endpoints under /o/.
"""

from django.urls import include, path, re_path
from oauth2_provider import views as dot

from sevamitra.sso import views

provider_patterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(
        ".well-known/oauth-authorization-server",
        dot.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path("o/authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("o/token/", views.TokenView.as_view(), name="token"),
    path("o/revoke_token/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("o/.well-known/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("o/userinfo/", views.UserInfoView.as_view(), name="user-info"),
]

person_patterns = [
    path("my/connected-portals/", views.connected_portals, name="connected_portals"),
    path(
        "my/connected-portals/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]

urlpatterns = [
    path("", include((provider_patterns, "oauth2_provider"))),
    path("", include((person_patterns, "sso"))),
]
