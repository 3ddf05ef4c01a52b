"""Who sent this request: the `Authorization` header (the buyer app) and, for requests forwarded
by a gateway, the `X-Gateway-Authorization` header (the gateway). Both are verified over the
exact bytes received, with keys from the registry (registry.py).

A failure is an `AuthenticationFailed`: HTTP 401, a NACK with error 30016 (invalid signature,
type POLICY-ERROR: the network's signing policy was not met) and the challenge header of
BECKN-006: `WWW-Authenticate: Signature realm="<our subscriber id>",headers="(created)
(expires) digest"`. BECKN-006 asks for `Proxy-Authenticate` when the gateway's signature
fails, but that is a hop-by-hop header a WSGI application may not send (PEP 3333; wsgiref
refuses it): the gateway's failure is answered with WWW-Authenticate too, and the NACK's
message names the X-Gateway-Authorization header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from sevamitra.ondc import crypto, errors, registry
from sevamitra.ondc.config import OndcConfig

GATEWAY_HEADER = "X-Gateway-Authorization"
_KEY_ID = re.compile(r'keyId\s*=\s*"([^"|]{1,255})\|')


@dataclass(frozen=True)
class Signer:
    subscriber_id: str
    unique_key_id: str
    subscriber_url: str  # as registered: callbacks may only go below it
    gateway_id: str = ""


class AuthenticationFailed(errors.OndcError):
    def __init__(self, message: str, *, config: OndcConfig, gateway: bool = False) -> None:
        super().__init__(
            errors.INVALID_SIGNATURE, message, type=errors.POLICY_ERROR, http_status=401
        )
        self.gateway = gateway
        self.challenge_header = "WWW-Authenticate"
        self.challenge = (
            f'Signature realm="{config.subscriber_id}",headers="{crypto.SIGNED_HEADERS}"'
        )


def claimed_subscriber(header: str) -> str:
    """The subscriber id a header claims (for the log, before anything is verified)."""
    match = _KEY_ID.search(header or "")
    return match.group(1) if match else ""


def _verify(header: str, body: bytes) -> tuple[str, str, registry.RegistryEntry]:
    entries: list[registry.RegistryEntry] = []

    def lookup(subscriber_id: str, unique_key_id: str):
        entry = registry.lookup(subscriber_id, unique_key_id)
        entries.append(entry)
        return entry.verify_key

    subscriber_id, unique_key_id = crypto.verify_authorization(
        header,
        body,
        public_key_lookup=lookup,
        clock_skew=settings.ONDC_CLOCK_SKEW_SECONDS,
        max_age=settings.ONDC_MAX_SIGNATURE_AGE_SECONDS,
    )
    return subscriber_id, unique_key_id, entries[-1]


def authenticate(headers: Mapping[str, str], body: bytes, *, config: OndcConfig) -> Signer:
    """The verified signer of `body`; AuthenticationFailed (401), or OndcError 31001 with HTTP
    503 when the registry cannot be reached to get the key."""
    try:
        subscriber_id, unique_key_id, entry = _verify(headers.get("Authorization", ""), body)
    except crypto.SignatureError as error:
        raise AuthenticationFailed(f"Authorization header: {error}", config=config) from None
    except registry.RegistryUnavailable as error:
        raise _registry_down(error) from None
    gateway_id = ""
    gateway_header = headers.get(GATEWAY_HEADER, "")
    if gateway_header:
        try:
            gateway_id, _key, _entry = _verify(gateway_header, body)
        except crypto.SignatureError as error:
            raise AuthenticationFailed(
                f"{GATEWAY_HEADER} header: {error}", config=config, gateway=True
            ) from None
        except registry.RegistryUnavailable as error:
            raise _registry_down(error) from None
    return Signer(
        subscriber_id=subscriber_id,
        unique_key_id=unique_key_id,
        subscriber_url=entry.subscriber_url,
        gateway_id=gateway_id,
    )


def _registry_down(error: Exception) -> errors.OndcError:
    return errors.OndcError(
        errors.INTERNAL_ERROR,
        f"cannot verify the signature now ({error}); please retry",
        type=errors.CORE_ERROR,
        http_status=503,
    )
