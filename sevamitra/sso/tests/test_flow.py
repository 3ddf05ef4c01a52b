"""The OpenID Connect flow end to end, over HTTP on loopback, with Authlib as the sibling
portal: discovery, sign-in with mobile number and code, consent, code → tokens with PKCE, the ID
token's signature against our JWKS and its claims, userinfo, and "sign in once"."""

from __future__ import annotations

import pytest
import requests
from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

from sevamitra.accounts.models import Address, RoleGrant
from sevamitra.audit.models import AuditEntry
from sevamitra.geo.models import District
from sevamitra.sso.models import Consent, RedeemedCode
from sevamitra.sso.tests.factories import PHONE, portal_client
from sevamitra.sso.tests.oidc import Portal, query_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_discovery_document_describes_exactly_this_provider(live_server, portal):
    base = live_server.url
    doc = portal.discovery

    assert doc["issuer"] == base
    assert doc["authorization_endpoint"] == f"{base}/o/authorize/"
    assert doc["token_endpoint"] == f"{base}/o/token/"
    assert doc["userinfo_endpoint"] == f"{base}/o/userinfo/"
    assert doc["jwks_uri"] == f"{base}/o/.well-known/jwks.json"
    assert doc["revocation_endpoint"] == f"{base}/o/revoke_token/"
    assert doc["response_types_supported"] == ["code"]
    assert doc["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["scopes_supported"] == ["openid", "profile", "phone", "district", "roles"]
    assert sorted(doc["claims_supported"]) == sorted(
        ["sub", "name", "locale", "phone_number", "phone_number_verified", "district", "roles"]
    )
    assert doc["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert doc["prompt_values_supported"] == ["none", "login", "consent"]
    # The trailing-slash form answers the same document.
    again = requests.get(f"{base}/.well-known/openid-configuration/", timeout=10).json()
    assert again == doc


def test_oauth_server_metadata_names_the_same_issuer(live_server, portal):
    meta = requests.get(f"{live_server.url}/.well-known/oauth-authorization-server", timeout=10)

    assert meta.status_code == 200
    assert meta.json()["issuer"] == portal.discovery["issuer"]
    assert meta.json()["code_challenge_methods_supported"] == ["S256"]


def test_jwks_publishes_the_signing_key(portal):
    from sevamitra.sso.keys import key_id

    keys = portal.jwks()["keys"]

    assert [(k["kty"], k["alg"], k["use"], k["kid"]) for k in keys] == [
        ("RSA", "RS256", "sig", key_id())
    ]
    assert "d" not in keys[0] and "p" not in keys[0]  # public part only


def test_first_sign_in_end_to_end(portal, browser_at, registered, live_server):
    application, _secret = registered
    district = District.objects.create(code="LUCKNOW", name_en="Lucknow", name_hi="लखनऊ")
    browser = browser_at()

    # The portal sends the person to Sevamitra; not signed in, they are asked to sign in.
    start = browser.get(portal.authorization_url())
    assert start.status_code == 302
    assert start.headers["Location"].startswith("/accounts/signin/?next=/o/authorize/%3F")
    signed_in = browser.sign_in(PHONE, next_url=query_of(start.headers["Location"])["next"])
    # Their first sign-in created the account; they add an address in Lucknow (226001).
    from sevamitra.accounts.models import User

    user = User.objects.get(phone=PHONE)
    User.objects.filter(pk=user.pk).update(name="Asha Verma", preferred_language="en")
    Address.objects.create(user=user, label="Home", line="12, Hazratganj", pincode="226001")

    # Back at the authorization endpoint: the consent screen, naming the portal and each scope.
    consent_page = browser.get(signed_in.headers["Location"])
    assert consent_page.status_code == 200
    html = consent_page.text
    assert "रोज़गार संगम" in html and "Rojgar Sangam" in html
    assert (
        "form-action 'self' " + live_server.url in consent_page.headers["Content-Security-Policy"]
    )
    assert Grant.objects.count() == 0

    answered = browser.answer_consent(consent_page, allow=True)
    assert answered.status_code == 302
    location = answered.headers["Location"]
    assert location.startswith(portal.redirect_uri + "?")
    params = query_of(location)
    assert params["state"] == portal.state
    assert params["iss"] == portal.discovery["issuer"]  # RFC 9207
    consent = Consent.objects.get(user=user, application=application)
    assert consent.scopes == "openid profile phone district roles"
    entry = AuditEntry.objects.filter(action="sso.consent_granted").get()
    assert (entry.actor_id, entry.object_id) == (user.pk, str(consent.pk))
    assert entry.after == {
        "application": application.pk,
        "scopes": ["openid", "profile", "phone", "district", "roles"],
    }

    # The portal exchanges the code (with its PKCE verifier) and checks the ID token.
    token = portal.fetch_token(location)
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 600
    assert set(token["scope"].split()) == {"openid", "profile", "phone", "district", "roles"}
    assert token["refresh_token"]
    claims = portal.id_token_claims(token)
    assert claims["iss"] == live_server.url
    assert claims["aud"] == application.client_id
    assert claims["sub"] == str(user.pk)
    assert claims["nonce"] == portal.nonce
    assert claims["exp"] - claims["iat"] == 600
    assert claims["name"] == "Asha Verma"
    assert claims["locale"] == "en-IN"
    assert claims["phone_number"] == f"+91{PHONE}"
    assert claims["phone_number_verified"] is True
    assert claims["district"] == {"code": "LUCKNOW", "name": "Lucknow", "name_hi": "लखनऊ"}
    assert claims["roles"] == ["citizen"]
    assert claims.header["kid"] == portal.jwks()["keys"][0]["kid"]
    assert district.pk

    # Userinfo gives the same claims about the person.
    info = portal.userinfo(token["access_token"])
    assert info.status_code == 200
    assert info.json() == {
        "sub": str(user.pk),
        "name": "Asha Verma",
        "locale": "en-IN",
        "phone_number": f"+91{PHONE}",
        "phone_number_verified": True,
        "district": {"code": "LUCKNOW", "name": "Lucknow", "name_hi": "लखनऊ"},
        "roles": ["citizen"],
    }
    # Tokens are stored hashed, the code is spent and remembered by its hash only.
    stored = AccessToken.objects.get()
    assert stored.token == "" and stored.token_checksum
    assert Grant.objects.count() == 0
    assert RedeemedCode.objects.get().code_hash != query_of(location)["code"]
    assert not AuditEntry.objects.filter(action="sso.refused").exists()


def test_only_the_claims_of_the_granted_scopes(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)

    page = browser.get(portal.authorization_url(scope="openid phone"))
    answered = browser.answer_consent(page, allow=True)
    token = portal.fetch_token(answered.headers["Location"])
    claims = portal.id_token_claims(token)
    info = portal.userinfo(token["access_token"]).json()

    registered_claims = {"iss", "sub", "aud", "exp", "iat", "auth_time", "jti", "nonce", "at_hash"}
    assert set(claims) - registered_claims == {"phone_number", "phone_number_verified"}
    assert info == {
        "sub": str(person.pk),
        "phone_number": f"+91{PHONE}",
        "phone_number_verified": True,
    }
    assert token["scope"] == "openid phone"


def test_openid_alone_gives_only_the_subject(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)

    answered = browser.answer_consent(
        browser.get(portal.authorization_url(scope="openid")), allow=True
    )
    token = portal.fetch_token(answered.headers["Location"])

    assert portal.userinfo(token["access_token"]).json() == {"sub": str(person.pk)}
    assert "name" not in portal.id_token_claims(token)


def test_district_and_roles_of_an_officer(portal, browser_at, person):
    kanpur = District.objects.create(
        code="KANPUR NAGAR", name_en="Kanpur Nagar", name_hi="कानपुर नगर"
    )
    RoleGrant.objects.create(user=person, role="district_officer", district=kanpur)
    browser = browser_at()
    browser.sign_in(PHONE)

    page = browser.get(portal.authorization_url(scope="openid district roles"))
    token = portal.fetch_token(browser.answer_consent(page, allow=True).headers["Location"])

    assert portal.userinfo(token["access_token"]).json() == {
        "sub": str(person.pk),
        "district": {"code": "KANPUR NAGAR", "name": "Kanpur Nagar", "name_hi": "कानपुर नगर"},
        "roles": ["citizen", "district_officer"],
    }


def test_signed_in_once_the_next_time_goes_straight_back(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)
    first = browser.answer_consent(browser.get(portal.authorization_url()), allow=True)
    first_sub = portal.id_token_claims(portal.fetch_token(first.headers["Location"]))["sub"]

    # Next time (consent on record, still signed in at Sevamitra): no screen, straight back.
    again = browser.get(portal.authorization_url())
    assert again.status_code == 302
    assert again.headers["Location"].startswith(portal.redirect_uri + "?code=")
    token = portal.fetch_token(again.headers["Location"])
    assert portal.id_token_claims(token)["sub"] == first_sub  # stable per person
    assert Consent.objects.count() == 1
    assert AuditEntry.objects.filter(action="sso.consent_granted").count() == 1


def test_a_second_portal_needs_its_own_consent_but_no_new_sign_in(
    portal, browser_at, person, live_server, callback
):
    other_app, other_secret = portal_client(
        redirect_uris=[callback], name_en="Sewayojan", name_hi="सेवायोजन", scopes=["openid"]
    )
    other = Portal(live_server.url, other_app.client_id, other_secret, callback, scope="openid")
    browser = browser_at()
    browser.sign_in(PHONE)
    browser.answer_consent(browser.get(portal.authorization_url()), allow=True)

    page = browser.get(other.authorization_url())

    assert page.status_code == 200  # the consent screen, not the sign-in page
    assert "सेवायोजन" in page.text
    token = other.fetch_token(browser.answer_consent(page, allow=True).headers["Location"])
    assert other.id_token_claims(token)["sub"] == str(person.pk)


def test_asking_for_more_scopes_asks_again_and_widens_the_consent(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)
    browser.answer_consent(
        browser.get(portal.authorization_url(scope="openid profile")), allow=True
    )

    page = browser.get(portal.authorization_url(scope="openid profile phone"))

    assert page.status_code == 200
    assert "It now asks for more" in page.text or "अब और" in page.text
    browser.answer_consent(page, allow=True)
    consent = Consent.objects.get()
    assert consent.scopes == "openid profile phone"
    widened = AuditEntry.objects.filter(action="sso.consent_granted").order_by("seq").last()
    assert widened.before == {"scopes": ["openid", "profile"]}
    assert widened.after["scopes"] == ["openid", "profile", "phone"]
    # Fewer scopes than allowed: no screen.
    fewer = browser.get(portal.authorization_url(scope="openid"))
    assert fewer.status_code == 302 and "code=" in fewer.headers["Location"]


def test_prompt_consent_shows_the_screen_again(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)
    browser.answer_consent(browser.get(portal.authorization_url()), allow=True)

    again = browser.get(portal.authorization_url(prompt="consent"))

    assert again.status_code == 200
    assert browser.consent_form(again)


def test_prompt_none_without_consent_answers_consent_required(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)

    answer = browser.get(portal.authorization_url(prompt="none"))

    assert answer.status_code == 302
    params = query_of(answer.headers["Location"])
    assert (params["error"], params["state"]) == ("consent_required", portal.state)
    assert not AuditEntry.objects.filter(action="sso.refused").exists()


def test_prompt_none_not_signed_in_answers_login_required(portal, browser_at):
    answer = browser_at().get(portal.authorization_url(prompt="none"))

    assert answer.status_code == 302
    assert query_of(answer.headers["Location"])["error"] == "login_required"


def test_after_our_sign_in_form_a_page_takes_the_person_back(portal, browser_at, person):
    """A 302 to the portal right after our sign-in form would be checked by the browser against
    that form's CSP (form-action 'self'): when the request comes from our own pages, a page
    with a link and an immediate refresh takes the person on instead."""
    browser = browser_at()
    browser.sign_in(PHONE)
    browser.answer_consent(browser.get(portal.authorization_url()), allow=True)

    page = browser.get(portal.authorization_url(), headers={"Sec-Fetch-Site": "same-origin"})

    assert page.status_code == 200
    assert 'http-equiv="refresh"' in page.text
    assert portal.redirect_uri + "?code=" in page.text
    link = page.text.split('class="btn" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert portal.id_token_claims(portal.fetch_token(link))["sub"] == str(person.pk)


def test_public_client_with_pkce_and_no_secret(live_server, browser_at, person, callback):
    application, secret = portal_client(redirect_uris=[callback], public=True, client_id="demo-app")
    public = Portal(live_server.url, application.client_id, "", callback, scope="openid profile")
    browser = browser_at()
    browser.sign_in(PHONE)

    answered = browser.answer_consent(browser.get(public.authorization_url()), allow=True)
    token = public.fetch_token(answered.headers["Location"])

    assert secret == ""
    assert public.id_token_claims(token)["name"] == "Asha Verma"


def test_refresh_token_gives_new_tokens_and_the_old_one_is_spent(portal, browser_at, person):
    browser = browser_at()
    browser.sign_in(PHONE)
    token = portal.fetch_token(
        browser.answer_consent(browser.get(portal.authorization_url()), allow=True).headers[
            "Location"
        ]
    )

    refresh = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    fresh = portal.token_request(refresh)
    assert fresh.status_code == 200
    assert portal.userinfo(token["access_token"]).status_code == 401  # the old one is gone
    assert portal.userinfo(fresh.json()["access_token"]).status_code == 200

    reused = portal.token_request(refresh)

    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # A reused refresh token revokes the whole family (RFC 9700 §4.14.2).
    assert portal.userinfo(fresh.json()["access_token"]).status_code == 401
    assert RefreshToken.objects.filter(revoked__isnull=True).count() == 0
    refused = AuditEntry.objects.filter(action="sso.refused").order_by("seq")
    assert [e.after["reason"] for e in refused] == [
        "token_unknown",
        "refresh_token_invalid",
        "token_unknown",
    ]
    assert IDToken.objects.count() >= 1
