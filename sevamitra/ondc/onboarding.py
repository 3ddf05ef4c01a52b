"""Joining the network: the /subscribe request, the site-verification page and the challenge.

The registry's steps (ONDC developer-docs "Onboarding of Participants"):
1. we host `https://<subscriber_id>/ondc-site-verification.html` with a meta tag
   `ondc-site-verification` = our Ed25519 signature of the request_id of our /subscribe;
2. we POST /subscribe (ops_no 2: a seller app) with our keys, entity and network details;
3. the registry POSTs a challenge to `<subscriber_url>/on_subscribe`, encrypted with the
   X25519 shared key of its key and ours; we answer it decrypted.

Where the request_id lives: `manage.py ondc_subscribe` logs every /subscribe it builds as an
outbound OndcMessage (action "subscribe", message_id = request_id), sent or only printed; the
site-verification page signs the request_id of the latest one. The database (not the cache,
which may evict) is the one place every web process reads; the prune job keeps that row.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from sevamitra.ondc import crypto
from sevamitra.ondc.config import COUNTRY, DOMAIN, OndcConfig
from sevamitra.ondc.models import Direction, OndcMessage

SUBSCRIBE_ACTION = "subscribe"
SELLER_APP = "sellerApp"
OPS_NON_MSN_SELLER = 2
OPS_MSN_SELLER = 3


def latest_request_id() -> str | None:
    return (
        OndcMessage.objects.filter(direction=Direction.OUTBOUND, action=SUBSCRIBE_ACTION)
        .exclude(message_id="")
        .order_by("-created_at", "-id")
        .values_list("message_id", flat=True)
        .first()
    )


def answer_challenge(challenge: str, *, config: OndcConfig) -> str:
    """The registry's challenge decrypted; ImproperlyConfigured without the encryption keys,
    ValueError when it does not decrypt."""
    private_key, registry_key = config.require_encryption()
    return crypto.decrypt_challenge(
        challenge, private_key=private_key, peer_public_key=registry_key
    )


def subscribe_payload(
    *,
    config: OndcConfig,
    entity: dict[str, Any],
    request_id: str | None = None,
    ops_no: int = OPS_NON_MSN_SELLER,
    valid_days: int = 365,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The body of /subscribe for this node as a seller app of ONDC:SRV11.

    `entity` holds the legal details the registry asks for: gst {legal_entity_name,
    business_address, gst_no}, pan {name_as_per_pan, pan_no, date_of_incorporation},
    name_of_authorised_signatory, address_of_authorised_signatory, email_id, mobile_no.
    """
    from sevamitra.ondc.schemas import format_timestamp

    moment = now or timezone.now()
    private_key, _registry = config.require_encryption()
    path = urlsplit(config.subscriber_url).path.rstrip("/") or "/"
    cities = list(config.city_codes) or ["*"]
    gst = dict(entity.get("gst") or {})
    gst.setdefault("city_code", cities)
    body_entity = {
        **entity,
        "gst": gst,
        "country": COUNTRY,
        "subscriber_id": config.subscriber_id,
        "unique_key_id": config.unique_key_id,
        "callback_url": path,
        "key_pair": {
            "signing_public_key": config.signing_public_key,
            "encryption_public_key": crypto.encryption_public_key_b64(private_key),
            "valid_from": format_timestamp(moment),
            "valid_until": format_timestamp(moment + timedelta(days=valid_days)),
        },
    }
    participant: dict[str, Any] = {
        "subscriber_url": path,
        "domain": DOMAIN,
        "type": SELLER_APP,
        "msn": ops_no == OPS_MSN_SELLER,
        "city_code": cities,
    }
    return {
        "context": {"operation": {"ops_no": ops_no}},
        "message": {
            "request_id": request_id or str(uuid.uuid4()),
            "timestamp": format_timestamp(moment),
            "entity": body_entity,
            "network_participant": [participant],
        },
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def subscribe_record(*, payload: dict[str, Any], body: bytes, url: str) -> OndcMessage:
    """Log a built /subscribe (sent or not): the site-verification page signs its request_id."""
    return OndcMessage.objects.create(
        direction=Direction.OUTBOUND,
        action=SUBSCRIBE_ACTION,
        message_id=str(payload["message"]["request_id"])[:100],
        counterparty="registry",
        url=url[:500],
        body=body.decode("utf-8"),
    )
