"""Badge tokens: what the QR code on a Sevamitra's ID card holds.

A token is the base64url text (RFC 4648 §5, no "=" padding) of exactly 77 bytes:

    offset  size  field
    0       1     version, 1
    1       4     provider id                         unsigned, big-endian
    5       4     badge number (Badge.pk)             unsigned, big-endian
    9       2     issued on, days since 2020-01-01    unsigned, big-endian
    11      2     valid until (last valid day), same  unsigned, big-endian
    13      64    Ed25519 signature of bytes 0–12 with the portal's badge key
                  (settings.BADGE_SIGNING_PRIVATE_KEY, separate from the ONDC keys)

so a token is always 103 characters of [A-Za-z0-9_-]. The text must be the canonical encoding
(re-encoding the decoded bytes gives the same text), so no character of a token can change
without the token becoming "not valid". static/js/badge-verify.js reads the same layout.

verify() never raises: any malformed, truncated, altered or foreign-key token gives None.
"""

import base64
import binascii
import datetime as dt
import hashlib
import re
import struct
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

VERSION = 1
EPOCH = dt.date(2020, 1, 1)
_PAYLOAD = struct.Struct(">BIIHH")  # 13 bytes
SIGNATURE_BYTES = 64
TOKEN_BYTES = _PAYLOAD.size + SIGNATURE_BYTES  # 77
TOKEN_CHARS = 103
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{103}")
MAX_DAY = 0xFFFF
MAX_ID = 0xFFFFFFFF

# Used when BADGE_SIGNING_PRIVATE_KEY is empty (development and tests); `check --deploy`
# refuses it (sevamitra/badges/checks.py).
DEVELOPMENT_SEED = hashlib.sha256(b"sevamitra badge development key - never in production").digest()


@dataclass(frozen=True)
class BadgeClaims:
    provider_id: int
    badge_number: int
    issued_on: dt.date
    valid_until: dt.date


def _day(value: dt.date) -> int:
    days = (value - EPOCH).days
    if not 0 <= days <= MAX_DAY:
        raise ValueError("date out of the token's range")
    return days


def _seed_from_settings(value: str) -> bytes:
    if not value:
        return DEVELOPMENT_SEED
    raw = base64.b64decode(value.strip(), validate=True)
    if len(raw) == 64:  # libsodium form: seed + public key
        raw = raw[:32]
    if len(raw) != 32:
        raise ValueError("BADGE_SIGNING_PRIVATE_KEY must be a base64 Ed25519 seed (32 bytes)")
    return raw


@lru_cache(maxsize=4)
def _signing_key(value: str) -> SigningKey:
    return SigningKey(_seed_from_settings(value))


def signing_key() -> SigningKey:
    return _signing_key(settings.BADGE_SIGNING_PRIVATE_KEY)


def public_key_raw() -> bytes:
    """The 32 raw bytes of the badge public key (embedded in the offline verifier)."""
    return bytes(signing_key().verify_key)


def public_key_b64url() -> str:
    return base64.urlsafe_b64encode(public_key_raw()).rstrip(b"=").decode("ascii")


def sign(claims: BadgeClaims, *, key: SigningKey | None = None) -> str:
    if not (0 < claims.provider_id <= MAX_ID and 0 < claims.badge_number <= MAX_ID):
        raise ValueError("id out of the token's range")
    payload = _PAYLOAD.pack(
        VERSION,
        claims.provider_id,
        claims.badge_number,
        _day(claims.issued_on),
        _day(claims.valid_until),
    )
    signature = (key or signing_key()).sign(payload).signature
    return base64.urlsafe_b64encode(payload + signature).rstrip(b"=").decode("ascii")


def extract(text: str) -> str:
    """The token in what someone pasted: the token itself, or a /verify/<token> URL."""
    text = (text or "").strip()
    if "/verify/" in text:
        text = text.rsplit("/verify/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].strip("/ ")


def verify(token: str, *, key: VerifyKey | None = None) -> BadgeClaims | None:
    """The claims of a genuine token, or None. Never raises."""
    try:
        if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
            return None
        raw = base64.urlsafe_b64decode(token + "=")
        if len(raw) != TOKEN_BYTES:
            return None
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != token:
            return None  # not the canonical text
        payload, signature = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
        version, provider_id, badge_number, issued, valid_until = _PAYLOAD.unpack(payload)
        if version != VERSION:
            return None
        (key or signing_key().verify_key).verify(payload, signature)
        if issued > valid_until or provider_id == 0 or badge_number == 0:
            return None
        return BadgeClaims(
            provider_id=provider_id,
            badge_number=badge_number,
            issued_on=EPOCH + dt.timedelta(days=issued),
            valid_until=EPOCH + dt.timedelta(days=valid_until),
        )
    except (BadSignatureError, binascii.Error, ValueError, TypeError, struct.error):
        return None
