"""Words of a job posting and of a query, in the catalogue's normal form.

- `category_ids_for(texts)`: the catalogue services a posting is about, from its title and
  skills, through the catalogue's names and Hindi/Hinglish synonyms (catalog.matching): "नल
  मिस्त्री", "Plumbing" and "Plumber" all mean the plumber service. Only confident matches
  count (an exact name or synonym, or a typo of one at least MIN_SCORE alike).
- `search_text(parts)`: the posting's words, normalised, for word-prefix search in SQL.
- `query_terms(q)`: the words of a query that must be found in that text (words that say
  nothing, such as "job", "chahiye", "नौकरी", are dropped).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sevamitra.catalog.matching import find_matches, normalize_term

MIN_SCORE = 0.95  # catalog.matching: 1.0 a name, 0.95 a synonym; typos score lower
MAX_QUERY_TERMS = 8

_STOP_WORDS = (
    "job jobs naukri naukari vacancy vacancies kaam kam opening openings "
    "chahiye chahie chaiye hai ka ki ke ko se me mein main aur or ek koi ya "
    "wala wali wale the a an of for in at and to my i need want please near "
    "नौकरी नौकरियाँ नौकरियां काम भर्ती रिक्ति चाहिए चाहिये है का की के को से "
    "में और एक कोई या वाला वाली वाले लिए"
)
_STOP = frozenset(normalize_term(w) for w in _STOP_WORDS.split())


def words(text: str) -> list[str]:
    """Runs of letters, marks and digits (Devanagari vowel signs stay inside their word)."""
    out = []
    for ch in unicodedata.normalize("NFC", text or ""):
        out.append(ch if unicodedata.category(ch)[0] in "LMN" else " ")
    return "".join(out).split()


def category_ids_for(
    texts: Iterable[str], *, memo: dict[str, frozenset[int]] | None = None
) -> set[int]:
    """Catalogue categories the texts name (no database query once the index is built).
    `memo` remembers each text's answer for the caller (an import run: feeds repeat the same
    titles and skills, and fuzzy matching is most of the cost of a row)."""
    found: set[int] = set()
    for text in texts:
        if not text:
            continue
        ids = memo.get(text) if memo is not None else None
        if ids is None:
            ids = frozenset(m.category_id for m in find_matches(text) if m.score >= MIN_SCORE)
            if memo is not None:
                memo[text] = ids
        found.update(ids)
    return found


def search_text(parts: Iterable[str]) -> str:
    """ " w1 w2 … " of every word of the parts, normalised and without repeats."""
    seen = dict.fromkeys(normalize_term(w) for part in parts for w in words(part or ""))
    seen.pop("", None)
    return f" {' '.join(seen)} " if seen else ""


def query_terms(q: str) -> list[str]:
    """The normalised words of a query that must each begin a word of a posting."""
    terms = []
    for word in words(q)[: MAX_QUERY_TERMS * 2]:
        term = normalize_term(word)
        if len(term) >= 2 and term not in _STOP and term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]
