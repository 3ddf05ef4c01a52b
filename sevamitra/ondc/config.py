"""The seller node's configuration, read from settings (ONDC_* in config/settings.py) at use.

    config = ondc_config()      # None when ONDC is not configured at all
    config.signing_key          # nacl SigningKey (32-byte seed or 64-byte secret, base64)

Settings are read on every call, never at import (tests change them with the `settings`
fixture). A half or wrong configuration raises ImproperlyConfigured naming the setting and what
is wrong with it; the endpoints answer 503 then, like an unconfigured node.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from nacl.signing import SigningKey

# The network's fixed values for this node.
DOMAIN = "ONDC:SRV11"
VERSION = "2.0.0"
COUNTRY = "IND"

# Without these the node cannot sign or verify anything.
REQUIRED = (
    "ONDC_SUBSCRIBER_ID",
    "ONDC_SUBSCRIBER_URL",
    "ONDC_UNIQUE_KEY_ID",
    "ONDC_SIGNING_PRIVATE_KEY",
    "ONDC_REGISTRY_URL",
)


@dataclass(frozen=True)
class OndcConfig:
    subscriber_id: str
    subscriber_url: str  # base URL ending in /ondc (our bpp_uri)
    unique_key_id: str
    signing_key: SigningKey
    # Needed only to answer the registry's on_subscribe challenge; None until configured.
    encryption_key: X25519PrivateKey | None
    registry_url: str  # without a trailing slash
    registry_encryption_public_key: X25519PublicKey | None
    city_codes: tuple[str, ...]

    @property
    def signing_public_key(self) -> str:
        """Our signing public key as registered: base64 of the raw 32 bytes."""
        from sevamitra.ondc.crypto import b64encode

        return b64encode(bytes(self.signing_key.verify_key))

    @property
    def key_id(self) -> str:
        return f"{self.subscriber_id}|{self.unique_key_id}|ed25519"

    def require_encryption(self) -> tuple[X25519PrivateKey, X25519PublicKey]:
        """Both keys of the on_subscribe challenge, or ImproperlyConfigured naming the missing."""
        missing = [
            name
            for name, value in (
                ("ONDC_ENCRYPTION_PRIVATE_KEY", self.encryption_key),
                ("ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY", self.registry_encryption_public_key),
            )
            if value is None
        ]
        if missing:
            raise ImproperlyConfigured(f"ONDC: set {' and '.join(missing)} to answer on_subscribe.")
        assert self.encryption_key is not None  # narrowed above
        assert self.registry_encryption_public_key is not None
        return self.encryption_key, self.registry_encryption_public_key


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "").strip()


def _http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL, not {value!r}.")
    return value.rstrip("/")


_OPTIONAL = ("ONDC_ENCRYPTION_PRIVATE_KEY", "ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY")


def ondc_config() -> OndcConfig | None:
    """The configuration, or None when no ONDC_* setting is set (the node is switched off)."""
    cities = getattr(settings, "ONDC_CITY_CODES", []) or []
    if isinstance(cities, str):
        cities = cities.split(",")
    raw = tuple(_setting(name) for name in (*REQUIRED, *_OPTIONAL))
    return _build(raw, tuple(str(code).strip() for code in cities if str(code).strip()))


@functools.lru_cache(maxsize=8)
def _build(raw: tuple[str, ...], cities: tuple[str, ...]) -> OndcConfig | None:
    """Parse the settings once per distinct set of values (keys are loaded on every request)."""
    from sevamitra.ondc import crypto

    values = dict(zip(REQUIRED, raw[: len(REQUIRED)], strict=True))
    encryption_raw, registry_public_raw = raw[len(REQUIRED) :]
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ImproperlyConfigured(f"ONDC is half configured: set {', '.join(missing)}.")
    subscriber_url = _http_url("ONDC_SUBSCRIBER_URL", values["ONDC_SUBSCRIBER_URL"])
    registry_url = _http_url("ONDC_REGISTRY_URL", values["ONDC_REGISTRY_URL"])
    try:
        signing_key = crypto.load_signing_key(values["ONDC_SIGNING_PRIVATE_KEY"])
    except ValueError as error:
        raise ImproperlyConfigured(f"ONDC_SIGNING_PRIVATE_KEY: {error}") from None
    encryption_key = None
    if encryption_raw:
        try:
            encryption_key = crypto.load_encryption_private_key(encryption_raw)
        except ValueError as error:
            raise ImproperlyConfigured(f"ONDC_ENCRYPTION_PRIVATE_KEY: {error}") from None
    registry_public = None
    if registry_public_raw:
        try:
            registry_public = crypto.load_encryption_public_key(registry_public_raw)
        except ValueError as error:
            raise ImproperlyConfigured(f"ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY: {error}") from None
    return OndcConfig(
        subscriber_id=values["ONDC_SUBSCRIBER_ID"],
        subscriber_url=subscriber_url,
        unique_key_id=values["ONDC_UNIQUE_KEY_ID"],
        signing_key=signing_key,
        encryption_key=encryption_key,
        registry_url=registry_url,
        registry_encryption_public_key=registry_public,
        city_codes=cities,
    )
