"""The portal's signing key: signs OpenID Connect ID tokens and the records we share.

One RSA key (RS256) serves both, so a sibling portal checks our ID tokens and our signed
work-history records against the same JWKS (`/o/.well-known/jwks.json`).

Where the key comes from, first match wins:
1. `OIDC_RSA_PRIVATE_KEY` in the environment (PEM text) — production, the same on every node;
2. the file at `OIDC_RSA_PRIVATE_KEY_FILE` (default `var/oidc_rsa.pem`), created with a new
   2048-bit key (mode 0600) the first time it is needed — development, demo and tests.

Rotation: the old key moves to `OIDC_RSA_PRIVATE_KEYS_INACTIVE` (PEM blocks one after the other,
`split_pems` reads them). The JWKS keeps publishing it, so tokens and records it signed still
verify (`verify_jws` picks the key by the `kid` in the header); only the active key signs.

This module is imported by the settings, so it must not import Django models at import time.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_PEM_BLOCK = re.compile(r"-----BEGIN (?P<label>[A-Z ]+)-----.+?-----END (?P=label)-----", re.DOTALL)


def load_or_create_private_key(path: Path, env_value: str = "") -> str:
    """The private key as PEM text (see the module docstring for where it comes from)."""
    if env_value.strip():
        return env_value.strip() + "\n"
    path = Path(path)
    if path.exists():
        return path.read_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    # Created exclusively: two processes starting at once keep the first one's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text()
    with os.fdopen(fd, "w") as f:
        f.write(pem)
    return pem


def split_pems(text: str) -> list[str]:
    """The PEM blocks in `text` (e.g. the retired keys in OIDC_RSA_PRIVATE_KEYS_INACTIVE)."""
    return [match.group(0) + "\n" for match in _PEM_BLOCK.finditer(text or "")]


def _jwk():
    from django.conf import settings
    from oauth2_provider.utils import jwk_from_pem

    return jwk_from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"])


def _verification_keys() -> dict[str, Any]:
    """{kid: key} of the active key and the retired ones the JWKS still publishes."""
    from django.conf import settings
    from oauth2_provider.utils import jwk_from_pem

    config = settings.OAUTH2_PROVIDER
    pems = [config["OIDC_RSA_PRIVATE_KEY"], *config.get("OIDC_RSA_PRIVATE_KEYS_INACTIVE", [])]
    keys = [jwk_from_pem(pem) for pem in pems]
    return {key.thumbprint(): key for key in keys}


def key_id() -> str:
    """The `kid` of the signing key, as the JWKS publishes it (the key's RFC 7638 thumbprint)."""
    return _jwk().thumbprint()


def sign_jws(payload: dict[str, Any], typ: str = "JWT") -> str:
    """Compact JWS (RS256) of `payload`, with the `kid` the JWKS publishes."""
    from jwcrypto import jws

    key = _jwk()
    token = jws.JWS(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
    token.add_signature(
        key,
        alg="RS256",
        protected=json.dumps({"alg": "RS256", "kid": key.thumbprint(), "typ": typ}),
    )
    return token.serialize(compact=True)


def verify_jws(token: str) -> dict[str, Any]:
    """The payload of a compact JWS signed by one of our keys (the active one, or a retired one
    still published); raises ValueError if it is not."""
    from jwcrypto import jws
    from jwcrypto.common import JWException

    try:
        obj = jws.JWS()
        obj.deserialize(token)
        header = obj.jose_header
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            raise ValueError("not an RS256 signature")
        keys = _verification_keys()
        key = keys.get(header.get("kid", "")) or _jwk()
        obj.verify(key, alg="RS256")
        return json.loads(obj.payload)
    except (JWException, ValueError, TypeError, KeyError) as exc:
        raise ValueError("signature does not verify") from exc
