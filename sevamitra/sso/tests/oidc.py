"""Test drivers for the OpenID Connect flow over real HTTP on loopback (pytest-django's
live_server): a sibling portal (`Portal`: Authlib's OAuth2Session, our discovery document, the
ID token checked with joserfc against our JWKS and Authlib's OpenID claims rules) and a
person's browser at Sevamitra (`Browser`: a requests session that signs in through the real
sign-in pages with the code from the SMS outbox, reads the consent form and answers it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from sevamitra.core.tests.browser import last_sms_code

TIMEOUT = 10


class _Forms(HTMLParser):
    """The forms of a page: [{action, inputs: {name: value}, buttons: [(name, value)]}]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"action": values.get("action", ""), "inputs": {}, "buttons": []})
        elif self.forms and tag == "input" and values.get("name"):
            self.forms[-1]["inputs"][values["name"]] = values.get("value", "")
        elif self.forms and tag == "button":
            self.forms[-1]["buttons"].append((values.get("name", ""), values.get("value", "")))


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class Browser:
    """A person's browser at Sevamitra (cookies kept, redirects not followed)."""

    base_url: str
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.session.get(
            self._absolute(url), allow_redirects=False, timeout=TIMEOUT, **kwargs
        )

    def post(self, url: str, data: dict[str, str], **kwargs: Any) -> requests.Response:
        headers = {"Referer": self._absolute(url)}
        return self.session.post(
            self._absolute(url), data=data, headers=headers, allow_redirects=False,
            timeout=TIMEOUT, **kwargs,
        )  # fmt: skip

    def close(self) -> None:
        """Close the kept-alive connections (each holds a live-server thread and its database
        connection)."""
        self.session.close()

    def _absolute(self, url: str) -> str:
        return url if url.startswith("http") else self.base_url + url

    def csrf(self, html: str) -> str:
        for form in forms_of(html):
            if "csrfmiddlewaretoken" in form["inputs"]:
                return form["inputs"]["csrfmiddlewaretoken"]
        raise AssertionError("no CSRF token on the page")

    def sign_in(self, phone: str, next_url: str = "/") -> requests.Response:
        """Through the real sign-in pages: number, then the texted code; the last response
        (a redirect to next_url)."""
        url = "/accounts/signin/?" + urlencode({"next": next_url})
        page = self.get(url)
        asked = self.post(
            url,
            {"csrfmiddlewaretoken": self.csrf(page.text), "action": "request", "phone": phone,
             "next": next_url},
        )  # fmt: skip
        assert asked.status_code == 302, asked.text[:500]
        code_page = self.get(asked.headers["Location"])
        done = self.post(
            url,
            {"csrfmiddlewaretoken": self.csrf(code_page.text), "action": "verify",
             "code": last_sms_code(phone), "next": next_url},
        )  # fmt: skip
        assert done.status_code == 302, done.text[:500]
        return done

    def consent_form(self, page: requests.Response) -> dict[str, Any]:
        forms = [f for f in forms_of(page.text) if f["action"].endswith("/o/authorize/")]
        assert len(forms) == 1, page.text[:1000]
        return forms[0]

    def answer_consent(self, page: requests.Response, *, allow: bool) -> requests.Response:
        form = self.consent_form(page)
        data = dict(form["inputs"])
        if allow:
            data["allow"] = "1"
        return self.post(form["action"], data)


@dataclass
class Portal:
    """A sibling portal: Authlib's client over HTTP, configured from our discovery document."""

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scope: str = "openid profile phone district roles"
    discovery: dict[str, Any] = field(default_factory=dict)
    verifier: str = ""
    nonce: str = ""
    state: str = ""

    def __post_init__(self) -> None:
        answer = requests.get(f"{self.base_url}/.well-known/openid-configuration", timeout=TIMEOUT)
        answer.raise_for_status()
        self.discovery = answer.json()

    def session(self, **kwargs: Any) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret or None,
            scope=kwargs.pop("scope", self.scope),
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
            **kwargs,
        )

    def authorization_url(self, **params: Any) -> str:
        """A fresh authorization request (new state, nonce and PKCE verifier)."""
        self.verifier = generate_token(48)
        self.nonce = generate_token(20)
        url, self.state = self.session(
            scope=params.pop("scope", self.scope)
        ).create_authorization_url(
            self.discovery["authorization_endpoint"],
            code_verifier=self.verifier,
            nonce=self.nonce,
            **params,
        )
        return url

    def fetch_token(self, callback_url: str, **kwargs: Any) -> dict[str, Any]:
        """Exchange the code in the redirect for tokens (Authlib checks the state)."""
        with self.session() as client:
            return dict(
                client.fetch_token(
                    self.discovery["token_endpoint"],
                    authorization_response=callback_url,
                    state=self.state,
                    code_verifier=kwargs.pop("code_verifier", self.verifier),
                    **kwargs,
                )
            )

    def token_request(self, data: dict[str, str]) -> requests.Response:
        """A raw token request (for the refusals), authenticated like the client would."""
        auth = (self.client_id, self.client_secret) if self.client_secret else None
        if not self.client_secret:
            data = {"client_id": self.client_id, **data}
        return requests.post(
            self.discovery["token_endpoint"], data=data, auth=auth, timeout=TIMEOUT
        )

    def jwks(self) -> dict[str, Any]:
        answer = requests.get(self.discovery["jwks_uri"], timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()

    def id_token_claims(self, token: dict[str, Any], *, nonce: str | None = None) -> CodeIDToken:
        """The ID token's claims, after its signature is verified against our JWKS and its
        claims (iss, aud, exp, iat, nonce, at_hash) by Authlib's rules; raises otherwise."""
        decoded = jwt.decode(
            token["id_token"],
            KeySet.import_key_set(self.jwks()),
            registry=JWSRegistry(
                algorithms=self.discovery["id_token_signing_alg_values_supported"]
            ),
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": [self.discovery["issuer"]]},
                "aud": {"essential": True, "values": [self.client_id]},
            },
            {
                "nonce": self.nonce if nonce is None else nonce,
                "client_id": self.client_id,
                "access_token": token["access_token"],
            },
        )
        claims.validate(leeway=0)
        return claims

    def userinfo(self, access_token: str) -> requests.Response:
        return requests.get(
            self.discovery["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT,
        )


def force_login(browser: Browser, user: Any) -> Browser:
    """Sign the browser in as `user` without the pages (for tests about something else)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    browser.session.cookies.set(name, client.cookies[name].value)
    return browser
