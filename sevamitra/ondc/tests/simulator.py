"""A buyer app of our own, over real HTTP on loopback: the test peer of the seller node.

Independent of sevamitra.ondc.crypto on purpose (PyNaCl, hashlib and `cryptography` used
directly), so a mistake in our signing cannot hide itself in both ends. It runs:

- a registry stub (`POST /v2.0/lookup`) that knows our node's, the buyer's and a gateway's
  keys, and checks the signature of the lookups it receives (recorded in `registry.lookups`);
- a callback receiver at `bap_uri` (`POST {bap_uri}/on_<action>`) that verifies every callback
  with OUR public key, records it (`Callback`) and answers ACK — or fails on purpose;
- a client: `sim.send(action, body, ...)` signs and POSTs to the node's `/ondc/<action>`.

    with BuyerSimulator() as sim:
        sim.configure(settings, base_url=live_server.url)   # ONDC_* settings with test keys
        status, answer = sim.send("search", sim.search_body(category="SRV11-1025", gps=...))
        callback = sim.wait("on_search", message_id)         # verified, recorded

Tests that use Django's test client instead of a live server take `sim.headers_for(body)`.
Bodies follow the documented structure of ONDC:SRV11 2.0.0 (written by us, not copied).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

NODE_ID = "sevamitra.test"
NODE_KEY_ID = "node-key-1"
BUYER_ID = "buyer.sim.test"
BUYER_KEY_ID = "buyer-key-1"
GATEWAY_ID = "gateway.sim.test"
GATEWAY_KEY_ID = "gateway-key-1"
CITY = "std:0522"  # Lucknow
DOMAIN = "ONDC:SRV11"
VERSION = "2.0.0"
IST = timedelta(hours=5, minutes=30)


# --- Plain helpers (our own implementation of the network's signing) -------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def digest(body: bytes) -> str:
    return b64(hashlib.blake2b(body, digest_size=64).digest())


def authorization(
    body: bytes,
    *,
    key: SigningKey,
    subscriber_id: str,
    unique_key_id: str,
    created: int | None = None,
    expires: int | None = None,
) -> str:
    created = int(time.time()) if created is None else created
    expires = created + 60 if expires is None else expires
    text = f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest(body)}"
    signature = b64(key.sign(text.encode()).signature)
    return (
        f'Signature keyId="{subscriber_id}|{unique_key_id}|ed25519",algorithm="ed25519",'
        f'created="{created}",expires="{expires}",headers="(created) (expires) digest",'
        f'signature="{signature}"'
    )


_PARAMS = re.compile(r'(\w+)="([^"]*)"')


def check_authorization(
    header: str, body: bytes, *, key_id: str, public_key: VerifyKey, skew: int = 5
) -> tuple[bool, str]:
    """(ok, reason) for a signature made by `key_id` over exactly `body`."""
    if not header:
        return False, "no Authorization header"
    params = dict(_PARAMS.findall(header))
    if params.get("keyId") != key_id:
        return False, f"keyId {params.get('keyId')!r}, expected {key_id!r}"
    if params.get("algorithm") != "ed25519" or params.get("headers") != (
        "(created) (expires) digest"
    ):
        return False, "algorithm/headers"
    try:
        created, expires = int(params["created"]), int(params["expires"])
        signature = base64.b64decode(params["signature"], validate=True)
    except (KeyError, ValueError):
        return False, "malformed"
    now = time.time()
    if created > now + skew or expires < now - skew:
        return False, "outside its validity"
    text = f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest(body)}"
    try:
        public_key.verify(text.encode(), signature)
    except BadSignatureError:
        return False, "bad signature"
    return True, "ok"


def spki(key: X25519PrivateKey | X25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return b64(
        public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def pkcs8(key: X25519PrivateKey) -> str:
    return b64(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def iso(value: datetime) -> str:
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def now_iso() -> str:
    return iso(datetime.now(UTC))


def default_slot(days: int = 2, hour: int = 10, hours: int = 1) -> tuple[datetime, datetime]:
    """A slot `days` ahead at `hour`:00 India time, `hours` long (UTC datetimes)."""
    local_day = (datetime.now(UTC) + IST).date() + timedelta(days=days)
    start = datetime(local_day.year, local_day.month, local_day.day, hour, tzinfo=UTC) - IST
    return start, start + timedelta(hours=hours)


# --- Threaded HTTP servers ---------------------------------------------------------------------


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler], owner: Any) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = owner  # type: ignore[attr-defined]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def owner(self) -> Any:
        return self.server.owner  # type: ignore[attr-defined]

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def answer(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# --- Registry stub ------------------------------------------------------------------------------


@dataclass
class Lookup:
    request: dict[str, Any]
    signed_by: str  # keyId of the lookup's Authorization, "" when unsigned
    signature_ok: bool
    answered: int


class _RegistryHandler(_Handler):
    def do_POST(self) -> None:
        registry: RegistryStub = self.owner
        body = self.read_body()
        if self.path.rstrip("/") == "/subscribe":
            registry.subscriptions.append((dict(self.headers.items()), body))
            self.answer(200, {"message": {"ack": {"status": "ACK"}}})
            return
        if self.path.rstrip("/") != "/v2.0/lookup":
            self.answer(404, {"error": "not found"})
            return
        try:
            request = json.loads(body)
        except ValueError:
            self.answer(400, {"error": "bad json"})
            return
        header = self.headers.get("Authorization", "")
        key_id = dict(_PARAMS.findall(header)).get("keyId", "")
        signed_ok = False
        if key_id:
            subscriber, _, rest = key_id.partition("|")
            record = registry.find(subscriber, rest.partition("|")[0])
            if record is not None:
                verify_key = VerifyKey(base64.b64decode(record["signing_public_key"]))
                signed_ok, _reason = check_authorization(
                    header, body, key_id=key_id, public_key=verify_key, skew=60
                )
        status = 200
        if registry.fail_with:
            status = registry.fail_with
        elif registry.require_signed and not signed_ok:
            status = 401
        registry.lookups.append(
            Lookup(request=request, signed_by=key_id, signature_ok=signed_ok, answered=status)
        )
        if status != 200:
            self.answer(status, {"message": {"ack": {"status": "NACK"}}})
            return
        wanted_id = request.get("subscriber_id")
        wanted_key = request.get("ukId") or request.get("unique_key_id")
        found = [
            record
            for record in registry.records
            if (not wanted_id or record["subscriber_id"] == wanted_id)
            and (not wanted_key or record["ukId"] == wanted_key)
        ]
        self.answer(200, found)


class RegistryStub:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.lookups: list[Lookup] = []
        self.subscriptions: list[tuple[dict[str, str], bytes]] = []  # POST /subscribe received
        self.require_signed = True  # the real registry refuses unsigned v2.0 lookups
        self.fail_with = 0  # e.g. 503: every lookup fails with this status
        self.encryption_key = X25519PrivateKey.generate()
        self.server = _Server(_RegistryHandler, self)

    @property
    def url(self) -> str:
        return self.server.url

    def add(
        self,
        *,
        subscriber_id: str,
        unique_key_id: str,
        signing_public_key: bytes,
        encryption_public_key: str,
        subscriber_url: str,
        type: str,  # the registry's field name
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        record = {
            "subscriber_id": subscriber_id,
            "ukId": unique_key_id,
            "br_id": unique_key_id,
            "domain": DOMAIN,
            "country": "IND",
            "city": "*",
            "type": type,
            "subscriber_url": subscriber_url,
            "signing_public_key": b64(signing_public_key),
            "encr_public_key": encryption_public_key,
            "valid_from": iso(valid_from or now - timedelta(days=1)),
            "valid_until": iso(valid_until or now + timedelta(days=365)),
            "status": "SUBSCRIBED",
            "created": iso(now - timedelta(days=1)),
            "updated": iso(now - timedelta(days=1)),
        }
        self.records = [
            r
            for r in self.records
            if (r["subscriber_id"], r["ukId"]) != (subscriber_id, unique_key_id)
        ]
        self.records.append(record)
        return record

    def remove(self, subscriber_id: str) -> None:
        self.records = [r for r in self.records if r["subscriber_id"] != subscriber_id]

    def find(self, subscriber_id: str, unique_key_id: str) -> dict[str, Any] | None:
        for record in self.records:
            if (record["subscriber_id"], record["ukId"]) == (subscriber_id, unique_key_id):
                return record
        return None

    def encrypt_challenge(self, plain: str, *, node_public_key: X25519PublicKey) -> str:
        """What the registry sends to on_subscribe: AES-256-ECB/PKCS7 with the X25519 secret."""
        shared = self.encryption_key.exchange(node_public_key)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(plain.encode()) + padder.finalize()
        encryptor = Cipher(algorithms.AES(shared), modes.ECB()).encryptor()  # noqa: S305
        return b64(encryptor.update(padded) + encryptor.finalize())


# --- Callback receiver (the buyer app's bap_uri) ------------------------------------------------


@dataclass
class Callback:
    action: str  # on_search, on_select, ...
    context: dict[str, Any]
    message: dict[str, Any] | None
    error: dict[str, Any] | None
    signature_ok: bool
    signature_detail: str
    received_at: float
    answered: int  # HTTP status the receiver gave
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def message_id(self) -> str:
        return str(self.context.get("message_id", ""))

    @property
    def transaction_id(self) -> str:
        return str(self.context.get("transaction_id", ""))


class _ReceiverHandler(_Handler):
    def do_POST(self) -> None:
        receiver: CallbackReceiver = self.owner
        body = self.read_body()
        prefix = receiver.path + "/"
        if not self.path.startswith(prefix):
            self.answer(404, {"error": "not found"})
            return
        action = self.path[len(prefix) :].strip("/")
        ok, detail = receiver.verify(self.headers.get("Authorization", ""), body)
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {}
        status, answer = receiver.next_answer()
        callback = Callback(
            action=action,
            context=payload.get("context") or {},
            message=payload.get("message"),
            error=payload.get("error"),
            signature_ok=ok,
            signature_detail=detail,
            received_at=time.time(),
            answered=status,
            headers=dict(self.headers.items()),
            body=body,
        )
        with receiver.condition:
            receiver.callbacks.append(callback)
            receiver.condition.notify_all()
        if answer is None:  # drop the connection without an answer
            self.close_connection = True
            return
        self.answer(status, answer)


ACK = {"message": {"ack": {"status": "ACK"}}}


class CallbackReceiver:
    def __init__(self, *, path: str = "/bap") -> None:
        self.path = path
        self.callbacks: list[Callback] = []
        self.condition = threading.Condition()
        self.planned: list[tuple[int, Any]] = []
        self.verify: Callable[[str, bytes], tuple[bool, str]] = lambda header, body: (
            False,
            "no node key",
        )
        self.server = _Server(_ReceiverHandler, self)

    @property
    def url(self) -> str:
        return self.server.url + self.path

    def next_answer(self) -> tuple[int, Any]:
        with self.condition:
            if self.planned:
                return self.planned.pop(0)
        return 200, ACK

    def fail_next(self, times: int = 1, *, status: int = 500) -> None:
        """The next `times` callbacks get HTTP `status` (the node must retry)."""
        with self.condition:
            self.planned.extend([(status, {"error": "receiver down"})] * times)

    def nack_next(self, times: int = 1, *, code: str = "23001", type: str = "CORE-ERROR") -> None:
        with self.condition:
            nack = {
                "message": {"ack": {"status": "NACK"}},
                "error": {"type": type, "code": code, "message": "planned NACK"},
            }
            self.planned.extend([(200, nack)] * times)

    def find(
        self,
        action: str | None = None,
        *,
        message_id: str | None = None,
        transaction_id: str | None = None,
    ) -> list[Callback]:
        with self.condition:
            return [
                c
                for c in self.callbacks
                if (action is None or c.action == action)
                and (message_id is None or c.message_id == message_id)
                and (transaction_id is None or c.transaction_id == transaction_id)
            ]


# --- The simulator ------------------------------------------------------------------------------


class BuyerSimulator:
    def __init__(self, *, server_url: str = "") -> None:
        # Our node's keys (the tests configure the node with them) ...
        self.node_key = SigningKey.generate()
        self.node_encryption_key = X25519PrivateKey.generate()
        # ... the buyer app's and a gateway's.
        self.buyer_key = SigningKey.generate()
        self.gateway_key = SigningKey.generate()
        self.registry = RegistryStub()
        self.receiver = CallbackReceiver()
        self.receiver.verify = self._verify_callback
        self.server_url = server_url.rstrip("/")
        self.node_url = ""  # ONDC_SUBSCRIBER_URL, set by configure()
        self.last_response: httpx.Response | None = None
        self._client = httpx.Client(timeout=30)

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> BuyerSimulator:
        self.registry.server.start()
        self.receiver.server.start()
        self._register()
        return self

    def stop(self) -> None:
        self._client.close()
        self.registry.server.stop()
        self.receiver.server.stop()

    def __enter__(self) -> BuyerSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def bap_uri(self) -> str:
        return self.receiver.url

    def _register(self) -> None:
        self.registry.add(
            subscriber_id=BUYER_ID,
            unique_key_id=BUYER_KEY_ID,
            signing_public_key=bytes(self.buyer_key.verify_key),
            encryption_public_key=spki(X25519PrivateKey.generate()),
            subscriber_url=self.bap_uri,
            type="BAP",
        )
        self.registry.add(
            subscriber_id=GATEWAY_ID,
            unique_key_id=GATEWAY_KEY_ID,
            signing_public_key=bytes(self.gateway_key.verify_key),
            encryption_public_key=spki(X25519PrivateKey.generate()),
            subscriber_url=self.registry.url + "/gateway",
            type="BG",
        )
        self._register_node()

    def _register_node(self) -> None:
        self.registry.add(
            subscriber_id=NODE_ID,
            unique_key_id=NODE_KEY_ID,
            signing_public_key=bytes(self.node_key.verify_key),
            encryption_public_key=spki(self.node_encryption_key),
            subscriber_url=self.node_url or "http://testserver/ondc",
            type="BPP",
        )

    def settings_values(self, *, base_url: str = "http://testserver") -> dict[str, Any]:
        """The ONDC_* settings of a node using the simulator's registry and our test keys."""
        return {
            "ONDC_SUBSCRIBER_ID": NODE_ID,
            "ONDC_SUBSCRIBER_URL": base_url.rstrip("/") + "/ondc",
            "ONDC_UNIQUE_KEY_ID": NODE_KEY_ID,
            "ONDC_SIGNING_PRIVATE_KEY": b64(bytes(self.node_key)),
            "ONDC_ENCRYPTION_PRIVATE_KEY": pkcs8(self.node_encryption_key),
            "ONDC_REGISTRY_URL": self.registry.url,
            "ONDC_REGISTRY_ENCRYPTION_PUBLIC_KEY": spki(self.registry.encryption_key),
            "ONDC_CITY_CODES": [CITY, "std:0512"],
        }

    def configure(self, settings: Any, *, base_url: str = "") -> None:
        """Point the node (pytest-django `settings` fixture) at the simulator; `base_url` is the
        live server's URL (default: the test client's http://testserver)."""
        base = (base_url or self.server_url or "http://testserver").rstrip("/")
        if base_url:
            self.server_url = base
        for name, value in self.settings_values(base_url=base).items():
            setattr(settings, name, value)
        # A fresh cache namespace: keys cached by an earlier test (another simulator's keys under
        # the same subscriber ids) must not be found. The cache table outlives transactions.
        caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
        for config in caches.values():
            config["KEY_PREFIX"] = f"ondc-sim-{uuid.uuid4().hex}"
        settings.CACHES = caches
        self.node_url = base + "/ondc"
        self._register_node()

    # --- signing and sending --------------------------------------------------------------

    @staticmethod
    def encode(body: dict[str, Any] | bytes) -> bytes:
        if isinstance(body, bytes):
            return body
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def headers_for(
        self,
        body: bytes,
        *,
        sign: bool = True,
        expired: bool = False,
        key: SigningKey | None = None,
        subscriber_id: str = BUYER_ID,
        unique_key_id: str = BUYER_KEY_ID,
        created: int | None = None,
        expires: int | None = None,
        via_gateway: bool = False,
        gateway_key: SigningKey | None = None,
    ) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if expired:
            created = int(time.time()) - 3600 if created is None else created
            expires = created + 60
        if sign:
            headers["Authorization"] = authorization(
                body,
                key=key or self.buyer_key,
                subscriber_id=subscriber_id,
                unique_key_id=unique_key_id,
                created=created,
                expires=expires,
            )
        if via_gateway:
            headers["X-Gateway-Authorization"] = authorization(
                body,
                key=gateway_key or self.gateway_key,
                subscriber_id=GATEWAY_ID,
                unique_key_id=GATEWAY_KEY_ID,
            )
        return headers

    def send(
        self,
        action: str,
        body: dict[str, Any] | bytes,
        *,
        tamper: str | Callable[[bytes], bytes] | None = None,
        sign: bool = True,
        expired: bool = False,
        key: SigningKey | None = None,
        headers: dict[str, str] | None = None,
        **signing: Any,
    ) -> tuple[int, Any]:
        """Sign and POST `body` to the node's /ondc/<action>; (HTTP status, JSON answer).

        tamper: "body" changes one byte after signing, "signature" flips a bit of the
        signature, or a function bytes -> bytes applied to the signed body.
        """
        data = self.encode(body)
        sent_headers = self.headers_for(data, sign=sign, expired=expired, key=key, **signing)
        if tamper == "body":
            data = _change_one_value(data)
        elif tamper == "signature":
            sent_headers["Authorization"] = _flip_signature(sent_headers["Authorization"])
        elif callable(tamper):
            data = tamper(data)
        sent_headers.update(headers or {})
        url = f"{self.server_url or 'http://testserver'}/ondc/{action}"
        response = self._client.post(url, content=data, headers=sent_headers)
        self.last_response = response
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return response.status_code, answer

    def _verify_callback(self, header: str, body: bytes) -> tuple[bool, str]:
        return check_authorization(
            header,
            body,
            key_id=f"{NODE_ID}|{NODE_KEY_ID}|ed25519",
            public_key=self.node_key.verify_key,
        )

    def wait(
        self,
        action: str,
        message_id: str | None = None,
        *,
        transaction_id: str | None = None,
        timeout: float = 10,
        count: int = 1,
    ) -> Callback:
        """The first callback `action` (e.g. "on_search"; "search" works too) for that
        message (or transaction); waits up to `timeout` s for `count` of them."""
        name = action if action.startswith("on_") else f"on_{action}"
        deadline = time.monotonic() + timeout
        with self.receiver.condition:
            while True:
                found = [
                    c
                    for c in self.receiver.callbacks
                    if c.action == name
                    and (message_id is None or c.message_id == message_id)
                    and (transaction_id is None or c.transaction_id == transaction_id)
                ]
                if len(found) >= count:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no {name} for message {message_id} / transaction {transaction_id} "
                        f"within {timeout} s (received: "
                        f"{[(c.action, c.message_id) for c in self.receiver.callbacks]})"
                    )
                self.receiver.condition.wait(left)

    # --- bodies ---------------------------------------------------------------------------

    def context(
        self,
        action: str,
        *,
        transaction_id: str | None = None,
        message_id: str | None = None,
        city: str = CITY,
        bpp: bool = True,
        timestamp: str | None = None,
        ttl: str = "PT30S",
        **overrides: Any,
    ) -> dict[str, Any]:
        context: dict[str, Any] = {
            "domain": DOMAIN,
            "location": {"city": {"code": city}, "country": {"code": "IND"}},
            "action": action,
            "version": VERSION,
            "bap_id": BUYER_ID,
            "bap_uri": self.bap_uri,
            "transaction_id": transaction_id or str(uuid.uuid4()),
            "message_id": message_id or str(uuid.uuid4()),
            "timestamp": timestamp or now_iso(),
            "ttl": ttl,
        }
        if bpp:
            context["bpp_id"] = NODE_ID
            context["bpp_uri"] = self.node_url or "http://testserver/ondc"
        context.update(overrides)
        return context

    @staticmethod
    def _end_stop(
        *,
        gps: str,
        area_code: str,
        start: datetime | None = None,
        end: datetime | None = None,
        label: str | None = None,
        full: bool = False,
    ) -> dict[str, Any]:
        stop: dict[str, Any] = {"type": "end", "location": {"gps": gps, "area_code": area_code}}
        if start is not None and end is not None:
            stop["time"] = {"range": {"start": iso(start), "end": iso(end)}}
            if label:
                stop["time"]["label"] = label
        if full:
            stop["location"].update(
                {
                    "address": "12, Gomti Nagar, Lucknow",
                    "city": {"name": "Lucknow"},
                    "state": {"name": "Uttar Pradesh"},
                    "country": {"code": "IND"},
                }
            )
            stop["contact"] = {"phone": "9876543210"}
            stop["person"] = {"name": "Sim Buyer"}
        return stop

    def search_body(
        self,
        *,
        category: str | None = None,
        item: str | None = None,
        gps: str = "26.846700,80.946200",
        area_code: str = "226010",
        start: datetime | None = None,
        end: datetime | None = None,
        finder_fee: str = "3",
        **context: Any,
    ) -> dict[str, Any]:
        intent: dict[str, Any] = {
            "fulfillment": {
                "type": "Home-Service",
                "stops": [self._end_stop(gps=gps, area_code=area_code, start=start, end=end)],
            },
            "payment": {"type": "ON-FULFILLMENT", "collected_by": "BPP"},
            "tags": [
                {
                    "descriptor": {"code": "BAP_Terms"},
                    "list": [
                        {"descriptor": {"code": "finder_fee_type"}, "value": "percent"},
                        {"descriptor": {"code": "finder_fee_amount"}, "value": finder_fee},
                    ],
                }
            ],
        }
        if category:
            intent["category"] = {"id": category}
        if item:
            intent["item"] = {"descriptor": {"name": item}}
        context.setdefault("bpp", False)
        return {"context": self.context("search", **context), "message": {"intent": intent}}

    def _order(
        self,
        *,
        provider_id: str,
        item_id: str,
        start: datetime | None,
        end: datetime | None,
        gps: str,
        area_code: str,
        label: str,
        full: bool,
        fulfillment_id: str = "F1",
    ) -> dict[str, Any]:
        item: dict[str, Any] = {"id": item_id, "quantity": {"selected": {"count": 1}}}
        fulfillment: dict[str, Any] = {
            "type": "Home-Service",
            "stops": [
                self._end_stop(
                    gps=gps, area_code=area_code, start=start, end=end, label=label, full=full
                )
            ],
        }
        if full:
            item["fulfillment_ids"] = [fulfillment_id]
            fulfillment["id"] = fulfillment_id
        return {
            "provider": {"id": provider_id},
            "items": [item],
            "fulfillments": [fulfillment],
            "payments": [{"type": "ON-FULFILLMENT", "collected_by": "BPP"}],
        }

    def select_body(
        self,
        *,
        provider_id: str,
        item_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        gps: str = "26.846700,80.946200",
        area_code: str = "226010",
        **context: Any,
    ) -> dict[str, Any]:
        order = self._order(
            provider_id=provider_id,
            item_id=item_id,
            start=start,
            end=end,
            gps=gps,
            area_code=area_code,
            label="selected",
            full=False,
        )
        return {"context": self.context("select", **context), "message": {"order": order}}

    def init_body(
        self,
        *,
        provider_id: str,
        item_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        gps: str = "26.846700,80.946200",
        area_code: str = "226010",
        **context: Any,
    ) -> dict[str, Any]:
        order = self._order(
            provider_id=provider_id,
            item_id=item_id,
            start=start,
            end=end,
            gps=gps,
            area_code=area_code,
            label="selected",
            full=True,
        )
        order["billing"] = {
            "name": "Sim Buyer",
            "phone": "9876543210",
            "address": "12, Gomti Nagar, Lucknow",
            "email": "buyer@example.in",
        }
        return {"context": self.context("init", **context), "message": {"order": order}}

    def confirm_body(
        self,
        *,
        provider_id: str,
        item_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        quote: dict[str, Any] | None = None,
        order_id: str | None = None,
        gps: str = "26.846700,80.946200",
        area_code: str = "226010",
        **context: Any,
    ) -> dict[str, Any]:
        body = self.init_body(
            provider_id=provider_id,
            item_id=item_id,
            start=start,
            end=end,
            gps=gps,
            area_code=area_code,
        )
        order = body["message"]["order"]
        stamp = now_iso()
        order.update(
            {
                "id": order_id or f"SIM-{uuid.uuid4().hex[:10]}",
                "status": "Created",
                "created_at": stamp,
                "updated_at": stamp,
                "quote": quote or {"price": {"currency": "INR", "value": "0"}},
            }
        )
        order["fulfillments"][0]["stops"][0].get("time", {}).update({"label": "confirmed"})
        return {"context": self.context("confirm", **context), "message": {"order": order}}

    def status_body(self, *, order_id: str, **context: Any) -> dict[str, Any]:
        return {"context": self.context("status", **context), "message": {"order_id": order_id}}

    def track_body(self, *, order_id: str, **context: Any) -> dict[str, Any]:
        return {"context": self.context("track", **context), "message": {"order_id": order_id}}

    def cancel_body(self, *, order_id: str, reason_id: str = "001", **context: Any) -> dict:
        message = {"order_id": order_id, "cancellation_reason_id": reason_id}
        return {"context": self.context("cancel", **context), "message": message}

    def update_body(
        self, *, order_id: str, start: datetime, end: datetime, **context: Any
    ) -> dict[str, Any]:
        """A reschedule: update_target "fulfillments" with the new slot on the end stop."""
        message = {
            "update_target": "fulfillments",
            "order": {
                "id": order_id,
                "fulfillments": [
                    {
                        "id": "F1",
                        "type": "Home-Service",
                        "stops": [
                            {
                                "type": "end",
                                "time": {
                                    "label": "selected",
                                    "range": {"start": iso(start), "end": iso(end)},
                                },
                            }
                        ],
                    }
                ],
            },
        }
        return {"context": self.context("update", **context), "message": message}

    def rating_body(
        self, *, rated_id: str, value: str = "5", category: str = "Order", **context: Any
    ) -> dict[str, Any]:
        message = {"ratings": [{"rating_category": category, "id": rated_id, "value": value}]}
        return {"context": self.context("rating", **context), "message": message}

    def support_body(self, *, ref_id: str, **context: Any) -> dict[str, Any]:
        message = {"support": {"ref_id": ref_id, "callback_phone": "9876543210"}}
        return {"context": self.context("support", **context), "message": message}


@contextlib.contextmanager
def running(settings: Any, *, base_url: str = "") -> Iterator[BuyerSimulator]:
    """A started simulator with the node configured to use it (pytest-django `settings`).

    @pytest.fixture
    def sim(settings, live_server):
        with running(settings, base_url=live_server.url) as simulator:
            yield simulator
    """
    simulator = BuyerSimulator().start()
    try:
        simulator.configure(settings, base_url=base_url)
        yield simulator
    finally:
        simulator.stop()


def _change_one_value(data: bytes) -> bytes:
    """The same JSON with one value changed (a tampered body that still parses)."""
    try:
        payload = json.loads(data)
    except ValueError:
        return data + b" "
    payload.setdefault("message", {})["tampered"] = True
    return json.dumps(payload, separators=(",", ":")).encode()


def _flip_signature(header: str) -> str:
    params = dict(_PARAMS.findall(header))
    raw = bytearray(base64.b64decode(params["signature"]))
    raw[0] ^= 1
    return header.replace(params["signature"], b64(bytes(raw)))
