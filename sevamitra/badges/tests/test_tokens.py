import base64
import datetime as dt

import pytest
from nacl.signing import SigningKey

from sevamitra.badges import tokens
from sevamitra.badges.tokens import BadgeClaims

CLAIMS = BadgeClaims(
    provider_id=4242,
    badge_number=77,
    issued_on=dt.date(2026, 11, 28),
    valid_until=dt.date(2027, 11, 27),
)

# (field, first byte, last byte + 1) of the layout documented in tokens.py
FIELDS = [
    ("version", 0, 1),
    ("provider id", 1, 5),
    ("badge number", 5, 9),
    ("issued on", 9, 11),
    ("valid until", 11, 13),
    ("signature", 13, 77),
]


def _raw(token: str) -> bytearray:
    return bytearray(base64.urlsafe_b64decode(token + "="))


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_round_trip_and_size():
    token = tokens.sign(CLAIMS)
    assert len(token) == tokens.TOKEN_CHARS == 103
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert tokens.verify(token) == CLAIMS
    raw = _raw(token)
    assert len(raw) == 77
    assert raw[0] == 1
    assert int.from_bytes(raw[1:5], "big") == 4242
    assert int.from_bytes(raw[5:9], "big") == 77
    assert int.from_bytes(raw[9:11], "big") == (dt.date(2026, 11, 28) - dt.date(2020, 1, 1)).days


@pytest.mark.parametrize(("field", "start", "end"), FIELDS)
def test_changing_any_byte_of_each_field_makes_it_not_valid(field, start, end):
    token = tokens.sign(CLAIMS)
    for index in range(start, end):
        for flip in (0x01, 0x80):
            raw = _raw(token)
            raw[index] ^= flip
            assert tokens.verify(_text(raw)) is None, (field, index, flip)


@pytest.mark.parametrize(
    "changed",
    [
        {"provider_id": 4243},
        {"badge_number": 78},
        {"issued_on": dt.date(2026, 11, 27)},
        {"valid_until": dt.date(2030, 1, 1)},
    ],
)
def test_a_field_swapped_under_the_old_signature_is_not_valid(changed):
    token = tokens.sign(CLAIMS)
    other = tokens.sign(BadgeClaims(**{**CLAIMS.__dict__, **changed}))
    spliced = _raw(other)[:13] + _raw(token)[13:]
    assert tokens.verify(_text(spliced)) is None


def test_every_truncation_and_extension_is_not_valid():
    token = tokens.sign(CLAIMS)
    for length in range(len(token)):
        assert tokens.verify(token[:length]) is None
    assert tokens.verify(token + "A") is None
    assert tokens.verify(token + "=") is None


def test_any_changed_character_is_not_valid_even_a_non_canonical_last_one():
    token = tokens.sign(CLAIMS)
    for position in (0, 50, 101, 102):
        for char in "AQgw_-":
            if token[position] != char:
                assert tokens.verify(token[:position] + char + token[position + 1 :]) is None


def test_signed_with_another_key_is_not_valid():
    other = SigningKey.generate()
    token = tokens.sign(CLAIMS, key=other)
    assert tokens.verify(token) is None
    assert tokens.verify(token, key=other.verify_key) == CLAIMS


@pytest.mark.parametrize(
    "junk",
    ["", "abc", "x" * 103, "é" * 103, "A" * 103, "/" * 103, "A" * 5000, None, 12, b"bytes"],
)
def test_junk_never_raises(junk):
    assert tokens.verify(junk) is None


def test_the_key_comes_from_settings(settings):
    seed = bytes(range(32))
    settings.BADGE_SIGNING_PRIVATE_KEY = base64.b64encode(seed).decode()
    token = tokens.sign(CLAIMS)
    assert tokens.public_key_raw() == bytes(SigningKey(seed).verify_key)
    assert tokens.verify(token) == CLAIMS
    settings.BADGE_SIGNING_PRIVATE_KEY = ""
    assert tokens.verify(token) is None  # the development key does not accept it


def test_extract_accepts_the_url_or_the_token():
    token = tokens.sign(CLAIMS)
    assert tokens.extract(f"  https://sevamitra.up.gov.in/verify/{token}?x=1 ") == token
    assert tokens.extract(token) == token


def test_deploy_check_refuses_the_development_key(settings):
    from sevamitra.badges.checks import badge_key_check

    settings.BADGE_SIGNING_PRIVATE_KEY = ""
    assert [e.id for e in badge_key_check(None)] == ["badges.E001"]
    settings.BADGE_SIGNING_PRIVATE_KEY = base64.b64encode(tokens.DEVELOPMENT_SEED).decode()
    assert [e.id for e in badge_key_check(None)] == ["badges.E001"]
    settings.BADGE_SIGNING_PRIVATE_KEY = "not base64!"
    assert [e.id for e in badge_key_check(None)] == ["badges.E002"]
    settings.BADGE_SIGNING_PRIVATE_KEY = base64.b64encode(bytes(range(32))).decode()
    assert badge_key_check(None) == []
