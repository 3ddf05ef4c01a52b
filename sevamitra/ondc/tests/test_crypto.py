"""Signing and verification (Ed25519 over BLAKE2b-512), key loading, the registry's challenge.
Cross-checked against the simulator's independent implementation."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from nacl.signing import SigningKey

from sevamitra.ondc import crypto
from sevamitra.ondc.tests import simulator

BODY = b'{"context":{"action":"search"},"message":{"intent":{}}}'
NOW = 1_800_000_000


@pytest.fixture
def key():
    return SigningKey.generate()


def header(key, body=BODY, created=NOW, expires=NOW + 60, subscriber="bap.example", ukid="k1"):
    return crypto.authorization_header(
        body,
        signing_key=key,
        subscriber_id=subscriber,
        unique_key_id=ukid,
        created=created,
        expires=expires,
    )


def verify(value, key, body=BODY, now=NOW + 1, **kwargs):
    return crypto.verify_authorization(
        value, body, public_key_lookup=lambda s, u: key.verify_key, now=now, **kwargs
    )


# --- Digest and header -----------------------------------------------------------------------


def test_digest_is_base64_blake2b_512_of_the_exact_bytes():
    # RFC 7693's BLAKE2b-512 of "The quick brown fox jumps over the lazy dog", well known.
    expected = bytes.fromhex(
        "a8add4bdddfd93e4877d2746e62817b116364a1fa7bc148d95090bc7333b3673"
        "f82401cf7aa2e4cb1ecd90296e3f14cb5413f8ed77be73045b13914cdcd6a918"
    )
    assert crypto.blake2b_digest(b"The quick brown fox jumps over the lazy dog") == (
        base64.b64encode(expected).decode()
    )
    assert crypto.blake2b_digest(BODY) != crypto.blake2b_digest(BODY + b" ")


def test_header_has_the_networks_exact_format(key):
    value = header(key)
    text = (
        f"(created): {NOW}\n(expires): {NOW + 60}\ndigest: BLAKE-512={crypto.blake2b_digest(BODY)}"
    )
    signature = key.sign(text.encode()).signature
    assert value == (
        'Signature keyId="bap.example|k1|ed25519",algorithm="ed25519",'
        f'created="{NOW}",expires="{NOW + 60}",headers="(created) (expires) digest",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )


def test_our_header_is_the_simulators_and_both_verify_each_other(key):
    ours = header(key)
    theirs = simulator.authorization(
        BODY,
        key=key,
        subscriber_id="bap.example",
        unique_key_id="k1",
        created=NOW,
        expires=NOW + 60,
    )
    assert ours == theirs
    assert verify(theirs, key) == ("bap.example", "k1")


def test_default_lifetime_is_five_minutes(key, monkeypatch):
    monkeypatch.setattr(crypto.time, "time", lambda: NOW)
    params = crypto.parse_authorization(
        crypto.authorization_header(BODY, signing_key=key, subscriber_id="s", unique_key_id="u")
    )
    assert (params.created, params.expires) == (NOW, NOW + 300)


# --- Verification: what is refused -----------------------------------------------------------


def test_valid_signature_verifies(key):
    assert verify(header(key), key) == ("bap.example", "k1")


def test_header_without_the_scheme_word_is_accepted(key):
    assert verify(header(key).removeprefix("Signature "), key) == ("bap.example", "k1")


def test_spaces_after_commas_are_accepted(key):
    assert verify(header(key).replace('",', '", '), key) == ("bap.example", "k1")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h: "", "missing"),
        (lambda h: "Bearer abc", 'malformed: expected name="value" pairs'),
        (lambda h: h.replace(',algorithm="ed25519"', ""), "malformed: missing algorithm"),
        (lambda h: h + ',created="1"', "malformed: created given twice"),
        (lambda h: h.replace("bap.example|k1|ed25519", "bap.example|ed25519"), "malformed keyId"),
        (lambda h: h.replace("bap.example|k1|", "|k1|"), "malformed keyId"),
        (lambda h: h.replace('algorithm="ed25519"', 'algorithm="rsa"'), "unsupported algorithm"),
        (lambda h: h.replace("k1|ed25519", "k1|rsa"), "unsupported algorithm"),
        (lambda h: h.replace("(created) (expires) digest", "digest"), "malformed: headers"),
        (lambda h: h.replace(f'created="{NOW}"', 'created="soon"'), "malformed: created"),
        (lambda h: h.replace(f'created="{NOW}"', f'created="{NOW + 60}"'), "not after created"),
        (lambda h: h[: h.index('signature="') + 11] + 'abc!"', "signature is not base64"),
        (lambda h: h[: h.index('signature="') + 11] + 'AAAA"', "signature is 64 bytes"),
        (lambda h: h + "x" * 2000, "header too long"),
    ],
)
def test_malformed_headers_are_refused_with_the_reason(key, change, reason):
    with pytest.raises(crypto.SignatureError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        verify(change(header(key)), key)


def test_tampered_body_is_refused(key):
    with pytest.raises(crypto.SignatureError, match="does not match the body"):
        verify(header(key), key, body=BODY.replace(b"search", b"select"))


def test_another_key_is_refused(key):
    with pytest.raises(crypto.SignatureError, match="does not match the body"):
        verify(header(SigningKey.generate()), key)


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        (NOW - 31, False),  # created more than the skew in the future
        (NOW - 30, True),
        (NOW + 60 + 30, True),  # expired, within the skew
        (NOW + 60 + 31, False),
    ],
)
def test_created_and_expires_with_clock_skew(key, now, ok):
    value = header(key)
    if ok:
        assert verify(value, key, now=now, clock_skew=30)
    else:
        with pytest.raises(crypto.SignatureError):
            verify(value, key, now=now, clock_skew=30)


def test_replay_after_the_maximum_age_is_refused_even_if_not_expired(key):
    value = header(key, expires=NOW + 3600)
    assert verify(value, key, now=NOW + 300, max_age=300)
    with pytest.raises(crypto.SignatureError, match="too old"):
        verify(value, key, now=NOW + 301, max_age=300)


def test_unknown_key_propagates(key):
    def lookup(subscriber_id, unique_key_id):
        raise crypto.UnknownKey("unknown key: not in the registry")

    with pytest.raises(crypto.UnknownKey):
        crypto.verify_authorization(header(key), BODY, public_key_lookup=lookup, now=NOW)


def test_lookup_may_return_base64_or_raw_keys(key):
    raw = bytes(key.verify_key)
    for found in (raw, base64.b64encode(raw).decode()):
        assert crypto.verify_authorization(
            header(key), BODY, public_key_lookup=lambda s, u, k=found: k, now=NOW
        )


# --- Keys ------------------------------------------------------------------------------------


def test_signing_key_from_seed_or_64_byte_secret_signs_the_same(key):
    seed = base64.b64encode(bytes(key)).decode()
    secret = base64.b64encode(bytes(key) + bytes(key.verify_key)).decode()
    assert crypto.load_signing_key(seed).verify_key == key.verify_key
    assert crypto.load_signing_key(secret).verify_key == key.verify_key


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not base64!", "not valid base64"),
        (base64.b64encode(b"x" * 16).decode(), "must be 32 bytes .* or 64 bytes .* not 16 bytes"),
        (base64.b64encode(b"x" * 64).decode(), "inconsistent"),
    ],
)
def test_bad_signing_keys_are_explained(value, reason):
    with pytest.raises(ValueError, match=reason):
        crypto.load_signing_key(value)


def test_encryption_keys_load_from_pkcs8_and_spki_der():
    private = X25519PrivateKey.generate()
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    loaded = crypto.load_encryption_private_key(base64.b64encode(der).decode())
    spki = crypto.encryption_public_key_b64(private)
    assert spki.startswith("MCowBQYDK2VuAyEA")  # the X25519 SPKI prefix the registry shows
    public = crypto.load_encryption_public_key(spki)
    raw = crypto.load_encryption_public_key(
        base64.b64encode(private.public_key().public_bytes_raw()).decode()
    )
    assert loaded.exchange(public) == loaded.exchange(raw)


def test_an_ed25519_key_is_not_an_encryption_key():
    der = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="not an X25519 key"):
        crypto.load_encryption_private_key(base64.b64encode(der).decode())
    with pytest.raises(ValueError, match="not a PKCS8 DER key"):
        crypto.load_encryption_private_key(base64.b64encode(b"junk").decode())
    with pytest.raises(ValueError, match="not an SPKI DER key"):
        crypto.load_encryption_public_key(base64.b64encode(b"junk").decode())


def test_generated_keys_load_back_and_match():
    keys = crypto.generate_keys()
    signing = crypto.load_signing_key(keys.signing_private_key)
    assert base64.b64encode(bytes(signing.verify_key)).decode() == keys.signing_public_key
    assert len(base64.b64decode(keys.signing_private_key)) == 64
    encryption = crypto.load_encryption_private_key(keys.encryption_private_key)
    assert crypto.encryption_public_key_b64(encryption) == keys.encryption_public_key
    assert len(keys.unique_key_id) == 36
    assert crypto.generate_keys().unique_key_id != keys.unique_key_id


# --- The registry's challenge ----------------------------------------------------------------


def test_challenge_from_the_registry_decrypts():
    ours = X25519PrivateKey.generate()
    registry = simulator.RegistryStub()  # its own implementation of the registry's side
    challenge = registry.encrypt_challenge("c0ffee-4e2f", node_public_key=ours.public_key())
    answer = crypto.decrypt_challenge(
        challenge, private_key=ours, peer_public_key=registry.encryption_key.public_key()
    )
    assert answer == "c0ffee-4e2f"
    registry.server.httpd.server_close()


def test_challenge_round_trip_with_our_own_encrypt():
    a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    sealed = crypto.encrypt_challenge("x" * 40, private_key=a, peer_public_key=b.public_key())
    assert len(base64.b64decode(sealed)) == 48  # three AES blocks, PKCS7-padded
    assert crypto.decrypt_challenge(sealed, private_key=b, peer_public_key=a.public_key()) == (
        "x" * 40
    )


@pytest.mark.parametrize(
    "challenge",
    ["not base64!", base64.b64encode(b"short").decode(), base64.b64encode(b"\0" * 32).decode()],
)
def test_challenges_that_do_not_decrypt_are_value_errors(challenge):
    a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    with pytest.raises(ValueError):
        crypto.decrypt_challenge(challenge, private_key=a, peer_public_key=b.public_key())


def test_site_verification_signs_the_text_itself(settings):
    keys = crypto.generate_keys()
    settings.ONDC_SUBSCRIBER_ID = "node.example"
    settings.ONDC_SUBSCRIBER_URL = "https://node.example/ondc"
    settings.ONDC_UNIQUE_KEY_ID = keys.unique_key_id
    settings.ONDC_SIGNING_PRIVATE_KEY = keys.signing_private_key
    settings.ONDC_REGISTRY_URL = "https://registry.example"
    signature = base64.b64decode(crypto.sign_text("req-123"))
    verify_key = crypto.load_verify_key(keys.signing_public_key)
    assert verify_key.verify(b"req-123", signature) == b"req-123"  # not hashed first
    assert hashlib.sha256(b"req-123").digest() != b"req-123"
