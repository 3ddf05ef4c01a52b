"""Bad requests, over HTTP on loopback: each refused as RFC 6749 / RFC 7636 / OpenID Connect
Core say, with nothing issued, and one audit entry (sso.refused: the protocol's error and our
reason, never a code, token or secret)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from django.utils import timezone
from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

from sevamitra.accounts.models import User
from sevamitra.audit.models import AuditEntry
from sevamitra.sso.models import Consent, RedeemedCode
from sevamitra.sso.tests.factories import PHONE, portal_client
from sevamitra.sso.tests.oidc import Portal, force_login, query_of

pytestmark = pytest.mark.django_db(transaction=True)


def refused() -> list[dict]:
    return [
        {
            "actor": entry.actor_id,
            "object": (entry.object_type, entry.object_id),
            **entry.after,
        }
        for entry in AuditEntry.objects.filter(action="sso.refused").order_by("seq")
    ]


def nothing_issued() -> bool:
    return not (
        Grant.objects.exists()
        or AccessToken.objects.exists()
        or RefreshToken.objects.exists()
        or IDToken.objects.exists()
    )


def app_ref(application) -> tuple[str, str]:
    return ("oauth2_provider.application", str(application.pk))


@pytest.fixture
def signed_in(browser_at, person):
    return force_login(browser_at(), person)


@pytest.fixture
def code(portal, signed_in):
    """A fresh authorization code (consent given) and the redirect carrying it."""

    def make() -> str:
        page = signed_in.get(portal.authorization_url())
        if page.status_code == 200:
            page = signed_in.answer_consent(page, allow=True)
        assert page.status_code == 302, page.text[:300]
        return page.headers["Location"]

    return make


# --- Authorization endpoint: never redirected --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("hi", "पंजीकृत नहीं"), ("en", "is not registered with Sevamitra")],
)
def test_unknown_client_gets_an_error_page_not_a_redirect(browser_at, portal, language, words):
    browser = browser_at()
    browser.session.cookies.set("django_language", language)
    url = portal.authorization_url().replace(portal.client_id, "no-such-client")

    page = browser.get(url)

    assert page.status_code == 400
    assert "Location" not in page.headers
    assert f'<html lang="{language}">' in page.text
    assert words in page.text
    assert refused() == [
        {
            "actor": None,
            "object": ("oauth2_provider.application", ""),
            "error": "invalid_request",
            "reason": "client_unknown",
            "client_id": "no-such-client",
        }
    ]
    assert nothing_issued()


def test_unregistered_redirect_uri_is_never_followed(browser_at, portal, registered):
    application, _secret = registered
    url = portal.authorization_url(redirect_uri="https://evil.example/steal")

    page = browser_at().get(url)

    assert page.status_code == 400
    assert "Location" not in page.headers
    assert 'href="https://evil.example' not in page.text
    assert refused() == [
        {
            "actor": None,
            "object": app_ref(application),
            "error": "invalid_request",
            "reason": "redirect_uri_not_registered",
        }
    ]
    assert nothing_issued()


def test_unregistered_redirect_uri_when_signed_in_names_the_person(
    signed_in, portal, registered, person
):
    url = portal.authorization_url(redirect_uri=portal.redirect_uri + "/other")

    page = signed_in.get(url)

    assert page.status_code == 400
    assert [(r["actor"], r["reason"]) for r in refused()] == [
        (person.pk, "redirect_uri_not_registered")
    ]


# --- Authorization endpoint: redirected to the client with the error -------------------------


def _error_redirect(response, portal) -> dict[str, str]:
    assert response.status_code == 302, response.text[:300]
    location = response.headers["Location"]
    assert location.startswith(portal.redirect_uri + "?")
    return query_of(location)


def test_missing_pkce_challenge(signed_in, portal, registered, person):
    url = portal.authorization_url()
    url = "&".join(p for p in url.split("&") if not p.startswith("code_challenge"))

    params = _error_redirect(signed_in.get(url), portal)

    assert params["error"] == "invalid_request"
    assert params["state"] == portal.state
    assert refused() == [
        {
            "actor": person.pk,
            "object": app_ref(registered[0]),
            "error": "invalid_request",
            "reason": "pkce_challenge_missing",
        }
    ]
    assert nothing_issued()


@pytest.mark.parametrize("method", ["plain", None])
def test_pkce_plain_is_refused(signed_in, portal, method):
    url = portal.authorization_url()
    url = url.replace("code_challenge_method=S256", f"code_challenge_method={method}")
    if method is None:
        url = url.replace("&code_challenge_method=None", "")

    params = _error_redirect(signed_in.get(url), portal)

    assert params["error"] == "invalid_request"
    assert [r["reason"] for r in refused()] == ["pkce_method_not_s256"]
    assert nothing_issued() and not Consent.objects.exists()


def test_scope_the_client_was_not_granted(live_server, signed_in, callback, person):
    application, secret = portal_client(
        redirect_uris=[callback], scopes=["openid", "profile"], name_en="Jobs", name_hi="नौकरी"
    )
    narrow = Portal(live_server.url, application.client_id, secret, callback)

    for scope in ("openid phone", "openid email"):
        params = _error_redirect(signed_in.get(narrow.authorization_url(scope=scope)), narrow)
        assert (params["error"], params["state"]) == ("invalid_scope", narrow.state)

    assert [(r["reason"], r["object"]) for r in refused()] == [
        ("scope_not_allowed", app_ref(application)),
        ("scope_not_allowed", app_ref(application)),
    ]
    assert nothing_issued()


def test_scope_not_granted_is_refused_before_sign_in(browser_at, live_server, callback):
    application, secret = portal_client(redirect_uris=[callback], scopes=["openid"])
    narrow = Portal(live_server.url, application.client_id, secret, callback)

    params = _error_redirect(
        browser_at().get(narrow.authorization_url(scope="openid roles")), narrow
    )

    assert params["error"] == "invalid_scope"
    assert [(r["actor"], r["reason"]) for r in refused()] == [(None, "scope_not_allowed")]


def test_declining_sends_access_denied_back(signed_in, portal):
    page = signed_in.get(portal.authorization_url())

    params = _error_redirect(signed_in.answer_consent(page, allow=False), portal)

    assert (params["error"], params["state"]) == ("access_denied", portal.state)
    assert nothing_issued()
    assert not Consent.objects.exists()
    assert refused() == []  # the person's own answer, not a refused request


def test_a_consent_form_with_another_redirect_uri_is_refused(signed_in, portal):
    page = signed_in.get(portal.authorization_url())
    form = signed_in.consent_form(page)

    for allow in (True, False):
        data = {**form["inputs"], "redirect_uri": "https://evil.example/cb"}
        if allow:
            data["allow"] = "1"
        answer = signed_in.post(form["action"], data)
        assert answer.status_code == 400
        assert "Location" not in answer.headers

    assert [r["reason"] for r in refused()] == [
        "redirect_uri_not_registered",
        "redirect_uri_not_registered",
    ]
    assert nothing_issued() and not Consent.objects.exists()


# --- Token endpoint ----------------------------------------------------------------------------


def test_wrong_pkce_verifier(portal, code, registered, person):
    location = code()
    answer = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": "x" * 50,
        }
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert answer.headers["Cache-Control"] == "no-store"
    assert not AccessToken.objects.exists()
    assert refused() == [
        {
            "actor": None,
            "object": app_ref(registered[0]),
            "error": "invalid_grant",
            "reason": "pkce_verifier_mismatch",
        }
    ]


def test_missing_pkce_verifier(portal, code):
    answer = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(code())["code"],
            "redirect_uri": portal.redirect_uri,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")
    assert [r["reason"] for r in refused()] == ["pkce_verifier_missing"]
    assert not AccessToken.objects.exists()


def test_replayed_code_is_refused_and_revokes_what_it_gave(portal, code, registered, person):
    location = code()
    token = portal.fetch_token(location)
    assert portal.userinfo(token["access_token"]).status_code == 200

    replay = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": portal.verifier,
        }
    )

    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_grant")
    # RFC 6749 §4.1.2: the tokens issued from that code are revoked.
    assert portal.userinfo(token["access_token"]).status_code == 401
    again = portal.token_request(
        {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    )
    assert again.status_code == 400
    assert not AccessToken.objects.exists()
    assert RedeemedCode.objects.get().replayed_at is not None
    assert refused()[0] == {
        "actor": person.pk,
        "object": app_ref(registered[0]),
        "error": "invalid_grant",
        "reason": "code_replayed",
        "tokens_revoked": 2,
    }


def test_expired_code(portal, code, person):
    location = code()
    Grant.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))

    answer = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": portal.verifier,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")
    assert [(r["actor"], r["reason"]) for r in refused()] == [(person.pk, "code_expired")]
    assert not AccessToken.objects.exists()


def test_another_clients_code(portal, code, live_server, callback):
    other_app, other_secret = portal_client(redirect_uris=[callback], name_en="Other")
    other = Portal(live_server.url, other_app.client_id, other_secret, callback)
    location = code()

    answer = other.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": portal.verifier,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")
    assert [(r["reason"], r["object"]) for r in refused()] == [("code_unknown", app_ref(other_app))]
    assert not AccessToken.objects.exists()
    assert portal.fetch_token(location)["access_token"]  # the rightful client still can


def test_wrong_client_secret(portal, code, registered):
    location = code()
    wrong = Portal(portal.base_url, portal.client_id, "not-the-secret", portal.redirect_uri)

    answer = wrong.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": portal.verifier,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")
    assert [(r["reason"], r["object"]) for r in refused()] == [
        ("client_authentication_failed", app_ref(registered[0]))
    ]
    assert "not-the-secret" not in str(refused())


def test_redirect_uri_differs_at_the_token_endpoint(portal, code):
    location = code()

    answer = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri + "?x=1",
            "code_verifier": portal.verifier,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")
    assert [r["reason"] for r in refused()] == ["redirect_uri_mismatch"]
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("grant_type", ["password", "client_credentials", "implicit", ""])
def test_other_grant_types(portal, grant_type):
    answer = portal.token_request({"grant_type": grant_type, "username": PHONE, "password": "x"})

    assert (answer.status_code, answer.json()["error"]) == (400, "unsupported_grant_type")
    assert [r["reason"] for r in refused()] == ["grant_type_unsupported"]
    assert nothing_issued()


def test_a_person_no_longer_active_gets_no_tokens(portal, code, person):
    location = code()
    User.objects.filter(pk=person.pk).update(is_active=False)

    answer = portal.token_request(
        {
            "grant_type": "authorization_code",
            "code": query_of(location)["code"],
            "redirect_uri": portal.redirect_uri,
            "code_verifier": portal.verifier,
        }
    )

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")
    assert [r["reason"] for r in refused()] == ["user_inactive"]
    assert not AccessToken.objects.exists()


# --- Userinfo ----------------------------------------------------------------------------------


def test_expired_access_token(portal, code, registered, person):
    token = portal.fetch_token(code())
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))

    answer = portal.userinfo(token["access_token"])

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    assert refused() == [
        {
            "actor": person.pk,
            "object": app_ref(registered[0]),
            "error": "invalid_token",
            "reason": "token_expired",
        }
    ]
    assert token["access_token"] not in str(refused())


@pytest.mark.parametrize(
    ("headers", "reason"),
    [({}, "token_missing"), ({"Authorization": "Bearer made-up"}, "token_unknown")],
)
def test_userinfo_without_a_valid_token(portal, headers, reason):
    answer = requests.get(portal.discovery["userinfo_endpoint"], headers=headers, timeout=10)

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert [r["reason"] for r in refused()] == [reason]


def test_access_token_in_the_query_string_is_not_accepted(portal, code):
    token = portal.fetch_token(code())

    answer = requests.get(
        portal.discovery["userinfo_endpoint"],
        params={"access_token": token["access_token"]},
        timeout=10,
    )

    assert answer.status_code == 400
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_request"'
    assert [r["reason"] for r in refused()] == ["token_in_query"]


def test_a_request_without_openid_is_refused(signed_in, portal):
    params = _error_redirect(signed_in.get(portal.authorization_url(scope="profile phone")), portal)

    assert params["error"] == "invalid_scope"
    assert [r["reason"] for r in refused()] == ["scope_not_allowed"]
    assert nothing_issued()
