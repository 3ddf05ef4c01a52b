"""Signing, verification and the registry's encryption, as the network does them
(docs/ondc.md; ONDC developer-docs registry/signing-verification.md, Beckn BECKN-006).

No hand-rolled cryptography: Ed25519 and BLAKE2b-512 come from PyNaCl (libsodium), X25519 and
AES from `cryptography`.

- digest    = base64(BLAKE2b-512(the exact body bytes))
- signing string = "(created): {c}\\n(expires): {e}\\ndigest: BLAKE-512={digest}"
- header    = Signature keyId="{subscriber_id}|{unique_key_id}|ed25519",algorithm="ed25519",
              created="{c}",expires="{e}",headers="(created) (expires) digest",signature="{sig}"
- on_subscribe challenge: AES-256-ECB (PKCS7) with the X25519 shared secret of our encryption
  private key and the registry's encryption public key.

Keys, all base64: Ed25519 private key as the 32-byte seed or the 64-byte libsodium secret key
(seed + public key); Ed25519 public key raw 32 bytes; X25519 private key PKCS8 DER; X25519
public key SPKI DER (raw 32 bytes also accepted for a public key).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ALGORITHM = "ed25519"
SIGNED_HEADERS = "(created) (expires) digest"
# Lifetime of the signatures we make: the receiver refuses them after `expires`.
DEFAULT_SIGNATURE_SECONDS = 300


class SignatureError(Exception):
    """An Authorization header that is missing, malformed, expired or does not verify."""


class UnknownKey(SignatureError):
    """The registry has no valid key for this subscriber and unique key id."""


# --- Encodings --------------------------------------------------------------------------------


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(value: str, *, what: str = "value") -> bytes:
    """Strict standard base64 (padding required, no stray characters); ValueError otherwise."""
    try:
        return base64.b64decode(value.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError(f"{what} is not valid base64") from None


def blake2b_digest(body: bytes) -> str:
    """base64(BLAKE2b-512(body)): the `digest` of the signing string."""
    return b64encode(hashlib.blake2b(body, digest_size=64).digest())


def signing_string(*, created: int, expires: int, digest: str) -> str:
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}"


# --- Keys -------------------------------------------------------------------------------------


def load_signing_key(value: str) -> SigningKey:
    """An Ed25519 private key from base64: the 32-byte seed or the 64-byte secret key (seed +
    public key, libsodium's form). ValueError with a readable reason otherwise."""
    raw = b64decode(value, what="the signing private key")
    if len(raw) == 32:
        return SigningKey(raw)
    if len(raw) == 64:
        key = SigningKey(raw[:32])
        if bytes(key.verify_key) != raw[32:]:
            raise ValueError(
                "the 64-byte signing private key is inconsistent: its second half is not the "
                "public key of its first half"
            )
        return key
    raise ValueError(
        f"the signing private key must be 32 bytes (seed) or 64 bytes (secret key), "
        f"not {len(raw)} bytes"
    )


def load_verify_key(value: str | bytes) -> VerifyKey:
    """An Ed25519 public key: raw 32 bytes, or their base64."""
    raw = value if isinstance(value, bytes) else b64decode(value, what="the signing public key")
    if len(raw) != 32:
        raise ValueError(f"a signing public key is 32 bytes, not {len(raw)}")
    return VerifyKey(raw)


def load_encryption_private_key(value: str) -> X25519PrivateKey:
    """An X25519 private key from base64 PKCS8 DER."""
    raw = b64decode(value, what="the encryption private key")
    try:
        key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError):
        raise ValueError("the encryption private key is not a PKCS8 DER key (base64)") from None
    if not isinstance(key, X25519PrivateKey):
        raise ValueError("the encryption private key is not an X25519 key")
    return key


def load_encryption_public_key(value: str) -> X25519PublicKey:
    """An X25519 public key from base64 SPKI DER (the registry's form) or raw 32 bytes."""
    raw = b64decode(value, what="the encryption public key")
    if len(raw) == 32:
        return X25519PublicKey.from_public_bytes(raw)
    try:
        key = serialization.load_der_public_key(raw)
    except (ValueError, TypeError):
        raise ValueError("the encryption public key is not an SPKI DER key (base64)") from None
    if not isinstance(key, X25519PublicKey):
        raise ValueError("the encryption public key is not an X25519 key")
    return key


def encryption_public_key_b64(key: X25519PrivateKey | X25519PublicKey) -> str:
    """The X25519 public key as the registry wants it: base64 SPKI DER."""
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return b64encode(
        public.public_bytes(
            encoding=serialization.Encoding.DER,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
    )


@dataclass(frozen=True)
class KeySet:
    """A fresh set of keys for `manage.py ondc_keys`."""

    signing_private_key: str  # base64 of the 64-byte libsodium secret key
    signing_public_key: str  # base64 of the raw 32 bytes
    encryption_private_key: str  # base64 PKCS8 DER
    encryption_public_key: str  # base64 SPKI DER
    unique_key_id: str


def generate_keys() -> KeySet:
    signing = SigningKey.generate()
    public = bytes(signing.verify_key)
    encryption = X25519PrivateKey.generate()
    private_der = encryption.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return KeySet(
        signing_private_key=b64encode(bytes(signing) + public),
        signing_public_key=b64encode(public),
        encryption_private_key=b64encode(private_der),
        encryption_public_key=encryption_public_key_b64(encryption),
        unique_key_id=str(uuid.uuid4()),
    )


# --- Signing ----------------------------------------------------------------------------------


def authorization_header(
    body: bytes,
    *,
    signing_key: SigningKey,
    subscriber_id: str,
    unique_key_id: str,
    created: int | None = None,
    expires: int | None = None,
) -> str:
    """The Authorization header value for exactly these body bytes."""
    created = int(time.time()) if created is None else int(created)
    expires = created + DEFAULT_SIGNATURE_SECONDS if expires is None else int(expires)
    text = signing_string(created=created, expires=expires, digest=blake2b_digest(body))
    signature = b64encode(signing_key.sign(text.encode("utf-8")).signature)
    return (
        f'Signature keyId="{subscriber_id}|{unique_key_id}|{ALGORITHM}",'
        f'algorithm="{ALGORITHM}",created="{created}",expires="{expires}",'
        f'headers="{SIGNED_HEADERS}",signature="{signature}"'
    )


def sign_body(body: bytes, *, created: int | None = None, expires: int | None = None) -> str:
    """The Authorization header value for `body`, signed with our configured key."""
    config = _config()
    return authorization_header(
        body,
        signing_key=config.signing_key,
        subscriber_id=config.subscriber_id,
        unique_key_id=config.unique_key_id,
        created=created,
        expires=expires,
    )


def sign_text(text: str) -> str:
    """base64 Ed25519 signature of the text itself (not hashed): the site-verification tag."""
    return b64encode(_config().signing_key.sign(text.encode("utf-8")).signature)


def _config():
    from sevamitra.ondc.config import ondc_config

    config = ondc_config()
    if config is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("ONDC is not configured (ONDC_SUBSCRIBER_ID and keys).")
    return config


# --- Verification -----------------------------------------------------------------------------

# name="value" pairs separated by commas (optional spaces around them).
_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')
_REQUIRED = ("keyId", "algorithm", "created", "expires", "headers", "signature")
# The longest header we look at: keyIds are FQDNs and uuids, signatures 88 characters.
MAX_HEADER_CHARS = 2000


@dataclass(frozen=True)
class SignatureParams:
    subscriber_id: str
    unique_key_id: str
    algorithm: str
    created: int
    expires: int
    signature: bytes


def parse_authorization(header: str) -> SignatureParams:
    """Parse an Authorization / X-Gateway-Authorization value strictly; SignatureError says why.

    Accepted: the auth-scheme "Signature" (also without it, as some participants send), every
    one of keyId, algorithm, created, expires, headers, signature exactly once, quoted; keyId
    "{subscriber_id}|{unique_key_id}|ed25519"; algorithm ed25519; headers "(created) (expires)
    digest"; created and expires integers with created < expires; a 64-byte base64 signature.
    """
    if not header or not header.strip():
        raise SignatureError("missing")
    if len(header) > MAX_HEADER_CHARS:
        raise SignatureError("header too long")
    text = header.strip()
    if text[:10].lower() == "signature ":
        text = text[10:].strip()
    params: dict[str, str] = {}
    position = 0
    while position < len(text):
        match = _PARAM.match(text, position)
        if match is None or match.end() == position:
            raise SignatureError('malformed: expected name="value" pairs')
        name, value = match.group(1), match.group(2)
        if name in params:
            raise SignatureError(f"malformed: {name} given twice")
        params[name] = value
        position = match.end()
    missing = [name for name in _REQUIRED if name not in params]
    if missing:
        raise SignatureError(f"malformed: missing {', '.join(missing)}")
    parts = params["keyId"].split("|")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise SignatureError("malformed keyId: expected subscriber_id|unique_key_id|ed25519")
    subscriber_id, unique_key_id, key_algorithm = parts
    if params["algorithm"] != ALGORITHM or key_algorithm != ALGORITHM:
        raise SignatureError("unsupported algorithm: only ed25519")
    if "".join(params["headers"].split()) != SIGNED_HEADERS.replace(" ", ""):
        raise SignatureError(f'malformed: headers must be "{SIGNED_HEADERS}"')
    if not (params["created"].isdigit() and params["expires"].isdigit()):
        raise SignatureError("malformed: created and expires must be unix timestamps")
    created, expires = int(params["created"]), int(params["expires"])
    if expires <= created:
        raise SignatureError("malformed: expires is not after created")
    try:
        signature = b64decode(params["signature"], what="signature")
    except ValueError:
        raise SignatureError("malformed: signature is not base64") from None
    if len(signature) != 64:
        raise SignatureError("malformed: an ed25519 signature is 64 bytes")
    return SignatureParams(
        subscriber_id=subscriber_id,
        unique_key_id=unique_key_id,
        algorithm=ALGORITHM,
        created=created,
        expires=expires,
        signature=signature,
    )


PublicKeyLookup = Callable[[str, str], "VerifyKey | bytes | str"]


def verify_authorization(
    header: str,
    body: bytes,
    *,
    public_key_lookup: PublicKeyLookup,
    now: float | None = None,
    clock_skew: int = 30,
    max_age: int = 300,
) -> tuple[str, str]:
    """Check a signature header against exactly `body`; (subscriber_id, unique_key_id).

    Time: refused when `created` is more than `clock_skew` seconds in the future, when
    `expires` has passed (by more than the skew), or when the signature was made more than
    `max_age` seconds ago, even if it claims to expire later: a request replayed outside that
    window is refused. `public_key_lookup(subscriber_id, unique_key_id)` returns the key (raw,
    base64 or VerifyKey) or raises UnknownKey. Raises SignatureError with the reason.
    """
    params = parse_authorization(header)
    current = time.time() if now is None else now
    if params.created > current + clock_skew:
        raise SignatureError("created is in the future")
    if params.expires < current - clock_skew:
        raise SignatureError("expired")
    if current - params.created > max_age:
        raise SignatureError(f"too old: signed more than {max_age} s ago")
    key = public_key_lookup(params.subscriber_id, params.unique_key_id)
    verify_key = key if isinstance(key, VerifyKey) else load_verify_key(key)
    text = signing_string(
        created=params.created, expires=params.expires, digest=blake2b_digest(body)
    )
    try:
        verify_key.verify(text.encode("utf-8"), params.signature)
    except BadSignatureError:
        raise SignatureError("signature does not match the body") from None
    return params.subscriber_id, params.unique_key_id


# --- The registry's challenge (on_subscribe) ---------------------------------------------------


def shared_key(private_key: X25519PrivateKey, peer_public_key: X25519PublicKey) -> bytes:
    return private_key.exchange(peer_public_key)


def decrypt_challenge(
    challenge: str, *, private_key: X25519PrivateKey, peer_public_key: X25519PublicKey
) -> str:
    """The registry's challenge (base64 AES-256-ECB, PKCS7) decrypted with the X25519 shared key.

    ECB is what the registry uses for this one-block-or-so random challenge; we use it for
    nothing else. ValueError when the challenge cannot be decrypted.
    """
    data = b64decode(challenge, what="challenge")
    if not data or len(data) % 16:
        raise ValueError("challenge is not a whole number of AES blocks")
    key = shared_key(private_key, peer_public_key)
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()  # noqa: S305 - registry's
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plain = unpadder.update(padded) + unpadder.finalize()
        return plain.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("challenge does not decrypt with our key") from None


def encrypt_challenge(
    plain: str, *, private_key: X25519PrivateKey, peer_public_key: X25519PublicKey
) -> str:
    """The inverse of decrypt_challenge (what the registry does); used by tests and tools."""
    key = shared_key(private_key, peer_public_key)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - registry's
    return b64encode(encryptor.update(padded) + encryptor.finalize())
