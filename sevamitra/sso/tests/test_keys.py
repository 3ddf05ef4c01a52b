"""The portal's signing key: what sign_jws signs verifies against the JWKS the endpoint
publishes (with a client library), a tampered token is refused, retired keys still verify."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from sevamitra.sso.keys import key_id, load_or_create_private_key, sign_jws, split_pems, verify_jws

PAYLOAD = {"kind": "work_history", "provider": 7, "name_hi": "आशा"}


def _pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["provider"] = 8
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.django_db(transaction=True)
def test_signature_verifies_against_the_published_jwks(live_server):
    import requests

    token = sign_jws(PAYLOAD, typ="work-history+jwt")
    jwks = requests.get(f"{live_server.url}/o/.well-known/jwks.json", timeout=10).json()

    verified = jws.deserialize_compact(token, KeySet.import_key_set(jwks), algorithms=["RS256"])

    assert json.loads(verified.payload) == PAYLOAD
    assert verified.protected == {"alg": "RS256", "kid": key_id(), "typ": "work-history+jwt"}
    assert verify_jws(token) == PAYLOAD
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(_tamper(token), KeySet.import_key_set(jwks), algorithms=["RS256"])


@pytest.mark.parametrize(
    "bad",
    [
        lambda token: _tamper(token),
        lambda token: token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
        lambda token: "not.a.token",
        lambda token: "",
        lambda token: token.split(".")[0] + ".." + token.split(".")[2],
    ],
)
def test_tampered_or_malformed_tokens_are_refused(bad):
    with pytest.raises(ValueError, match="signature does not verify"):
        verify_jws(bad(sign_jws(PAYLOAD)))


def test_a_token_signed_by_another_key_is_refused():
    from jwcrypto import jwk
    from jwcrypto import jws as jwcrypto_jws

    stranger = jwk.JWK.from_pem(_pem().encode())
    token = jwcrypto_jws.JWS(json.dumps(PAYLOAD).encode())
    token.add_signature(
        stranger, alg="RS256", protected=json.dumps({"alg": "RS256", "kid": key_id()})
    )

    with pytest.raises(ValueError):
        verify_jws(token.serialize(compact=True))


def test_after_rotation_old_signatures_still_verify(settings):
    old = sign_jws(PAYLOAD)
    retired = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": _pem(),
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [retired],
    }

    new = sign_jws(PAYLOAD)

    assert verify_jws(old) == PAYLOAD
    assert verify_jws(new) == PAYLOAD
    assert json.loads(base64.urlsafe_b64decode(new.split(".")[0] + "=="))["kid"] == key_id()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEYS_INACTIVE": []}
    with pytest.raises(ValueError):
        verify_jws(old)


def test_key_file_is_created_once_and_private(tmp_path):
    path = tmp_path / "keys" / "oidc.pem"

    first = load_or_create_private_key(path)
    second = load_or_create_private_key(path)

    assert first == second and first.startswith("-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_private_key(path, env_value="  PEM-FROM-ENV \n") == "PEM-FROM-ENV\n"


def test_split_pems_reads_several_keys():
    one, two = _pem(), _pem()

    assert split_pems(one + "\n" + two) == [one.strip() + "\n", two.strip() + "\n"]
    assert split_pems("") == []
