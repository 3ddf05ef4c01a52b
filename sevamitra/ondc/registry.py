"""Other participants' public keys, from the ONDC registry (`POST {ONDC_REGISTRY_URL}/v2.0/lookup`).

The lookup is itself signed with our key (Authorization header, like every request) and asks
for one key: `{"subscriber_id": ..., "ukId": ..., "country": "IND"}`. The registry answers a
list of records (`subscriber_id`, `ukId`, `signing_public_key`, `encr_public_key`,
`subscriber_url`, `valid_from`, `valid_until`, ...). A record is used only inside its validity.

Answers are kept in the Django cache (shared by all processes) for ONDC_KEY_CACHE_SECONDS,
never beyond the key's `valid_until`; "no such key" is kept for a minute, so a burst of
requests signed with an unknown key does not become a burst of lookups.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from nacl.signing import VerifyKey

from sevamitra.ondc import client, crypto
from sevamitra.ondc.config import COUNTRY, ondc_config

logger = logging.getLogger(__name__)

LOOKUP_TIMEOUT_SECONDS = 5.0
UNKNOWN_CACHE_SECONDS = 60
_CACHE_PREFIX = "ondc:registry:v1:"


class RegistryUnavailable(Exception):
    """The registry could not be asked (network, timeout, 5xx, refused our lookup)."""


@dataclass(frozen=True)
class RegistryEntry:
    subscriber_id: str
    unique_key_id: str
    signing_public_key: str  # base64, raw 32 bytes
    subscriber_url: str
    type: str
    valid_until: str  # ISO 8601, "" when the registry gave none

    @property
    def verify_key(self) -> VerifyKey:
        return crypto.load_verify_key(self.signing_public_key)


def _cache_key(subscriber_id: str, unique_key_id: str) -> str:
    digest = hashlib.sha256(f"{subscriber_id}|{unique_key_id}".encode()).hexdigest()
    return _CACHE_PREFIX + digest


def _parse_time(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def lookup(subscriber_id: str, unique_key_id: str) -> RegistryEntry:
    """The registry's valid record for this key; crypto.UnknownKey when there is none,
    RegistryUnavailable when the registry cannot be asked."""
    key = _cache_key(subscriber_id, unique_key_id)
    cached = cache.get(key)
    if cached is not None:
        if cached.get("missing"):
            raise crypto.UnknownKey(cached["missing"])
        return RegistryEntry(**cached)
    try:
        entry = _ask_registry(subscriber_id, unique_key_id)
    except crypto.UnknownKey as unknown:
        cache.set(key, {"missing": str(unknown)}, min(UNKNOWN_CACHE_SECONDS, _cache_seconds()))
        raise
    seconds = _cache_seconds()
    until = _parse_time(entry.valid_until)
    if until is not None:
        seconds = min(seconds, int((until - datetime.now(UTC)).total_seconds()))
    if seconds > 0:
        cache.set(key, asdict(entry), seconds)
    return entry


def public_key(subscriber_id: str, unique_key_id: str) -> VerifyKey:
    """For crypto.verify_authorization(public_key_lookup=...)."""
    return lookup(subscriber_id, unique_key_id).verify_key


def forget(subscriber_id: str, unique_key_id: str) -> None:
    cache.delete(_cache_key(subscriber_id, unique_key_id))


def _cache_seconds() -> int:
    return max(int(getattr(settings, "ONDC_KEY_CACHE_SECONDS", 3600)), 1)


def _ask_registry(subscriber_id: str, unique_key_id: str) -> RegistryEntry:
    config = ondc_config()
    if config is None:
        raise RegistryUnavailable("ONDC is not configured")
    payload = {"subscriber_id": subscriber_id, "ukId": unique_key_id, "country": COUNTRY}
    body = json.dumps(payload, separators=(",", ":")).encode()
    url = f"{config.registry_url}/v2.0/lookup"
    try:
        response, _headers = client.signed_post(url, body, timeout=LOOKUP_TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        logger.warning(
            "ONDC registry lookup of %s|%s failed: %r", subscriber_id, unique_key_id, error
        )
        raise RegistryUnavailable(f"registry unreachable: {type(error).__name__}") from None
    if response.status_code == 404:
        raise crypto.UnknownKey("unknown key: not in the registry")
    if response.status_code != 200:
        logger.warning(
            "ONDC registry lookup of %s|%s: HTTP %s %s",
            subscriber_id,
            unique_key_id,
            response.status_code,
            response.text[:300],
        )
        raise RegistryUnavailable(f"registry answered HTTP {response.status_code}")
    try:
        records = response.json()
    except ValueError:
        raise RegistryUnavailable("registry answered something that is not JSON") from None
    if isinstance(records, dict):
        records = [records] if "subscriber_id" in records else []
    if not isinstance(records, list):
        raise RegistryUnavailable("registry answered an unexpected shape")
    return _pick(records, subscriber_id, unique_key_id)


def _pick(records: list[Any], subscriber_id: str, unique_key_id: str) -> RegistryEntry:
    now = datetime.now(UTC)
    reason = "unknown key: not in the registry"
    for record in records:
        if not isinstance(record, dict) or record.get("subscriber_id") != subscriber_id:
            continue
        record_key = record.get("ukId") or record.get("unique_key_id") or record.get("br_id")
        if str(record_key) != unique_key_id:
            continue
        valid_from = _parse_time(record.get("valid_from"))
        valid_until = _parse_time(record.get("valid_until"))
        if valid_from is not None and valid_from > now:
            reason = "unknown key: not valid yet"
            continue
        if valid_until is not None and valid_until <= now:
            reason = "unknown key: expired in the registry"
            continue
        signing = record.get("signing_public_key")
        try:
            crypto.load_verify_key(str(signing or ""))
        except ValueError:
            reason = "unknown key: the registry's signing key is malformed"
            continue
        return RegistryEntry(
            subscriber_id=subscriber_id,
            unique_key_id=unique_key_id,
            signing_public_key=str(signing),
            subscriber_url=str(record.get("subscriber_url") or ""),
            type=str(record.get("type") or ""),
            valid_until=valid_until.isoformat() if valid_until else "",
        )
    raise crypto.UnknownKey(reason)
