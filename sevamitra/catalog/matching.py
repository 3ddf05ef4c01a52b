"""Which service a person means by a free-text word: "प्लंबर", "nal wala", "plumbr chahiye".

Every active category's names and synonyms are brought to one normal form (`normalize_term`)
and kept in an in-memory index, built once per process and reused for `INDEX_TTL_SECONDS`.
Matching a query then runs without any database query. The admin calls
`invalidate_catalog_index()` after an edit; other processes see the edit when their copy
expires.

How a query is ranked: every run of consecutive words (an n-gram) is normalised and looked
up. Exact hits beat typo hits; among exact hits the longest matched text wins (so "deep
cleaning" beats "cleaning"), then a category's own name beats a synonym, then catalogue
order. A typo hit needs a difflib ratio of at least `FUZZY_CUTOFF` against a term of at
least `FUZZY_MIN_LENGTH` characters.

The Category instances in the index are shared between threads: read them, never modify them.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sevamitra.catalog.models import Category
from sevamitra.catalog.selectors import categories_active

INDEX_TTL_SECONDS = 60.0
FUZZY_CUTOFF = 0.8
FUZZY_MIN_LENGTH = 4
SUGGEST_CUTOFF = 0.65
SYNONYM_WEIGHT = 0.95
MAX_QUERY_CHARS = 200  # longer input is cut: search boxes, not essays
MAX_QUERY_WORDS = 12

# Devanagari: nukta dropped, chandrabindu read as anusvara, long ī/ū read as short (as Latin
# "ee"→"i"), candra-o/e (ऑ in डॉग) read as plain o/e.
_DEVANAGARI_FOLD = str.maketrans(
    {
        "\u093c": None,  # ़ nukta
        "\u0901": "\u0902",  # ँ → ं
        "\u0940": "\u093f",  # ी → ि
        "\u0942": "\u0941",  # ू → ु
        "\u0908": "\u0907",  # ई → इ
        "\u090a": "\u0909",  # ऊ → उ
        "\u0949": "\u094b",  # ॉ → ो
        "\u0911": "\u0913",  # ऑ → ओ
        "\u0945": "\u0947",  # ॅ → े
        "\u090d": "\u090f",  # ऍ → ए
    }
)
# A nasal consonant with virama before a consonant is written either way: "प्लम्बर" / "प्लंबर".
_NASAL_CLUSTER = re.compile("[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939])")
# Characters that are ignored inside words (zero-width joiners, BOM, emoji variation selectors).
_IGNORED = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f")
# Hinglish spelling folds, applied in this order; then doubled letters collapse.
_LATIN_FOLDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("w", "v"),
    ("z", "j"),
    ("q", "k"),
    ("ee", "i"),
    ("oo", "u"),
)
_DOUBLED_LATIN = re.compile(r"([a-z])\1+")
_NAME_SEPARATORS = re.compile(r"[/()&,]|\s(?:and|or|और|व)\s")

# Words that say nothing about which service is meant, including generic trade words
# ("mistri" must not typo-match "istri", ironing): an n-gram made only of these is not
# typo-matched and gets no suggestions.
_FILLER_WORDS = (
    "mujhe chahiye chahie chaiye chahiya hai ka ki ke ko se me mein main aur or ek koi "
    "kal aaj abhi jaldi please plz need want i a an the for my to of in at "
    "wala wali wale mistri mistry mechanic repair service theek karna karne karwana "
    "मुझे चाहिए चाहिये है का की के को से में और एक कोई कल आज अभी लिए लिये "
    "वाला वाली वाले मिस्त्री मैकेनिक रिपेयर सर्विस ठीक करना करने करवाना"
)


@dataclass(frozen=True)
class CategoryMatch:
    category_id: int
    slug: str
    score: float


@dataclass(frozen=True)
class _Hit:
    category_id: int
    is_name: bool


@dataclass(frozen=True)
class _Index:
    built_at: float
    categories: dict[int, Category]  # in catalogue order
    terms: dict[str, tuple[_Hit, ...]]  # normal form → categories it names
    fuzzy_terms: tuple[str, ...]  # normal forms long enough for typo matching
    max_words: int  # most words in any term


def _clean(text: str) -> str:
    """NFC, ignorable characters dropped, everything but letters, marks and digits a space."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _IGNORED:
            continue
        out.append(ch if unicodedata.category(ch)[0] in "LMN" else " ")
    return "".join(out)


def _words(text: str) -> list[str]:
    return _clean(text).split()


def normalize_term(text: str) -> str:
    """The form names, synonyms and queries are compared in.

    >>> normalize_term("Naal Waala") == normalize_term("nalvala")
    True
    """
    key = "".join(_clean(text).split()).casefold()
    key = key.translate(_DEVANAGARI_FOLD)
    key = _NASAL_CLUSTER.sub("\u0902", key)
    for old, new in _LATIN_FOLDS:
        key = key.replace(old, new)
    return _DOUBLED_LATIN.sub(r"\1", key)


_FILLER = frozenset(normalize_term(w) for w in _FILLER_WORDS.split())


# --- the cached index -------------------------------------------------------------------

_clock = time.monotonic  # replaced in tests
_lock = threading.Lock()
_index: _Index | None = None


def invalidate_catalog_index() -> None:
    """Forget the index; the next match rebuilds it from the database (this process only)."""
    global _index
    with _lock:
        _index = None


def _name_texts(category: Category) -> list[str]:
    return [category.name_en, category.name_hi, category.slug.replace("-", " ")]


def _name_parts(name: str) -> list[str]:
    """Parts of a compound name: "Housekeeping / maid" → "Housekeeping", "maid"."""
    parts = [p.strip() for p in _NAME_SEPARATORS.split(name)]
    return [p for p in parts if p and p != name.strip()]


def _build_index() -> _Index:
    categories = {c.pk: c for c in categories_active()}
    found: dict[str, dict[int, bool]] = {}
    max_words = 1

    def add(text: str, category_id: int, is_name: bool) -> None:
        nonlocal max_words
        key = normalize_term(text)
        if not key:
            return
        hits = found.setdefault(key, {})
        hits[category_id] = hits.get(category_id, False) or is_name
        max_words = max(max_words, len(_words(text)))

    for category in categories.values():
        for name in _name_texts(category):
            add(name, category.pk, True)
            for part in _name_parts(name):
                add(part, category.pk, False)
        for synonym in category.synonym_list:
            add(synonym, category.pk, False)

    terms = {
        key: tuple(_Hit(cid, is_name) for cid, is_name in hits.items())
        for key, hits in found.items()
    }
    return _Index(
        built_at=_clock(),
        categories=categories,
        terms=terms,
        fuzzy_terms=tuple(k for k in terms if len(k) >= FUZZY_MIN_LENGTH),
        max_words=max_words,
    )


def _get_index() -> _Index:
    global _index
    index = _index
    if index is not None and _clock() - index.built_at < INDEX_TTL_SECONDS:
        return index
    with _lock:
        index = _index
        if index is None or _clock() - index.built_at >= INDEX_TTL_SECONDS:
            index = _index = _build_index()
        return index


# --- matching ---------------------------------------------------------------------------


def _ngrams(words: list[str], max_n: int) -> list[tuple[str, bool]]:
    """(normal form, only filler words) of every run of up to max_n consecutive words."""
    grams = []
    for n in range(min(len(words), max_n), 0, -1):
        for i in range(len(words) - n + 1):
            chunk = words[i : i + n]
            key = normalize_term(" ".join(chunk))
            if key:
                grams.append((key, all(normalize_term(w) in _FILLER for w in chunk)))
    return grams


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _close_terms(key: str, terms: Iterable[str], cutoff: float) -> list[tuple[str, float]]:
    matcher = SequenceMatcher()
    matcher.set_seq2(key)
    close = []
    for term in terms:
        if 2 * min(len(term), len(key)) / (len(term) + len(key)) < cutoff:
            continue  # the length difference alone rules it out
        matcher.set_seq1(term)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff:
                close.append((term, ratio))
    return close


def find_matches(q: str) -> list[CategoryMatch]:
    """Every category the query could mean, best first (empty when nothing fits)."""
    return _find(_get_index(), q)


def _find(index: _Index, q: str) -> list[CategoryMatch]:
    words = _words((q or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    if not words:
        return []
    grams = _ngrams(words, index.max_words + 1)
    # rank: (exact, ratio, matched length, is a name) — compared as a tuple, larger is better
    best: dict[int, tuple[tuple[int, float, int, bool], float]] = {}

    def consider(hit: _Hit, rank: tuple[int, float, int, bool], score: float) -> None:
        if hit.category_id not in best or rank > best[hit.category_id][0]:
            best[hit.category_id] = (rank, score)

    for key, _filler in grams:
        for hit in index.terms.get(key, ()):
            consider(hit, (1, 1.0, len(key), hit.is_name), 1.0 if hit.is_name else SYNONYM_WEIGHT)
    if not best:
        for key, filler in grams:
            if filler or len(key) < FUZZY_MIN_LENGTH:
                continue
            for term, ratio in _close_terms(key, index.fuzzy_terms, FUZZY_CUTOFF):
                if term[0] != key[0]:
                    continue  # people seldom mistype the first letter
                for hit in index.terms[term]:
                    weight = 1.0 if hit.is_name else SYNONYM_WEIGHT
                    consider(hit, (0, round(ratio, 3), len(key), hit.is_name), ratio * weight)

    order = {cid: pos for pos, cid in enumerate(index.categories)}
    ranked = sorted(best.items(), key=lambda item: (item[1][0], -order[item[0]]), reverse=True)
    return [
        CategoryMatch(category_id=cid, slug=index.categories[cid].slug, score=round(score, 3))
        for cid, (_rank, score) in ranked
    ]


def match_category(q: str) -> Category | None:
    """The active category the query most likely means, or None."""
    index = _get_index()
    matches = _find(index, q)
    return index.categories[matches[0].category_id] if matches else None


def suggest_categories(q: str, limit: int = 3) -> list[Category]:
    """Categories whose names come closest to an unknown word ("Did you mean …?")."""
    words = _words((q or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    if not words or limit <= 0:
        return []
    index = _get_index()
    keys = {normalize_term(" ".join(words))} | {normalize_term(w) for w in words}
    keys = {k for k in keys if len(k) >= 3 and k not in _FILLER}
    scores: dict[int, float] = {}
    for key in keys:
        close = dict(_close_terms(key, index.terms, SUGGEST_CUTOFF))
        for term in index.terms:
            if term.startswith(key):  # the beginning of a word: "plu" → plumber
                close[term] = max(close.get(term, 0.0), 0.85)
        for term, ratio in close.items():
            for hit in index.terms[term]:
                scores[hit.category_id] = max(scores.get(hit.category_id, 0.0), ratio)
    order = {cid: pos for pos, cid in enumerate(index.categories)}
    ranked = sorted(scores, key=lambda cid: (-scores[cid], order[cid]))
    return [index.categories[cid] for cid in ranked[:limit]]
