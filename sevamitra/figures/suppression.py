"""Small-count suppression: no published figure may single out a person.

The rules (figures.selectors applies them before anything is cached, so an unsuppressed count
never leaves the selector):

1. Primary. A count of 1 to 4 is not shown ("fewer than 5"). 0 is shown as 0: it says that
   nobody is in the group, which identifies no one (common practice of statistical offices).
2. Statistics. A median, average or percentage computed from fewer than 5 people or items is
   not shown; from none at all it is empty (no data), not suppressed. A percentage is also not
   shown when its numerator or denominator count is not shown.
3. Nested pairs in one row. Where a row shows a count and a count of a subset of it (registered
   ⊇ verified, calls ⊇ calls that became bookings), the difference is readable by subtraction:
   when it is 1 to 4 the subset is not shown.
4. Complementary (secondary). In a breakdown table each count column adds up to the total
   shown under it (district, gender, month are partitions; the "not known" row completes them).
   If the total is shown and the hidden cells of the column could be worked out from it — one
   hidden cell, or several whose sum leaves only one possibility (all 1s or all 4s) — the
   smallest non-zero cell still shown is hidden too. If there is no such cell, the total is
   hidden instead (everywhere it appears: the selector hides it in every table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    """One published figure. value None: not shown (suppressed), no data, or not applicable."""

    value: int | Decimal | None
    suppressed: bool = False
    applicable: bool = True

    @property
    def shown(self) -> bool:
        return self.value is not None


NOT_APPLICABLE = Cell(None, applicable=False)
NO_DATA = Cell(None)
HIDDEN = Cell(None, suppressed=True)


def count_cell(n: int) -> Cell:
    """Rule 1: 0 and 5 or more are shown, 1–4 are not."""
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if 0 < n < THRESHOLD:
        return HIDDEN
    return Cell(n)


def stat_cell(value: Decimal | None, n: int) -> Cell:
    """Rule 2: a statistic over n people or items."""
    if n == 0 or value is None:
        return NO_DATA
    if n < THRESHOLD:
        return HIDDEN
    return Cell(value)


def percent_cell(
    numerator: Cell, denominator: Cell, raw_numerator: int, raw_denominator: int
) -> Cell:
    """Rule 2 for a percentage (one decimal place, half up) of two count cells."""
    if not (numerator.applicable and denominator.applicable):
        return NOT_APPLICABLE
    if raw_denominator == 0:
        return NO_DATA
    if not (numerator.shown and denominator.shown) or raw_denominator < THRESHOLD:
        return HIDDEN
    return Cell(percent(raw_numerator, raw_denominator))


def percent(numerator: int, denominator: int) -> Decimal:
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def nested(whole: Cell, part: Cell, raw_whole: int, raw_part: int) -> Cell:
    """Rule 3: the part's cell, hidden when whole − part is 1–4 and both would be shown."""
    if whole.shown and part.shown and 0 < raw_whole - raw_part < THRESHOLD:
        return HIDDEN
    return part


def _derivable(hidden_raw: Sequence[int]) -> bool:
    """Could the hidden cells be worked out from the total and the cells shown? The reader
    knows their sum and that each primary-hidden cell is 1–4."""
    k, total = len(hidden_raw), sum(hidden_raw)
    if k == 0:
        return False
    if k == 1:
        return True
    # Several cells of 1–4 with sum k (all 1) or 4k (all 4) admit one reading only.
    return all(0 < v < THRESHOLD for v in hidden_raw) and total in (k, (THRESHOLD - 1) * k)


def protect_column(cells: list[Cell], raw: list[int], total: Cell) -> tuple[list[Cell], bool]:
    """Rule 4 for one count column of a table: (the cells, with secondary suppression added;
    whether the total must be hidden because no cell is left to hide)."""
    if not total.shown:
        return cells, False
    cells = list(cells)
    while True:
        hidden = [raw[i] for i, c in enumerate(cells) if c.applicable and c.suppressed]
        if not _derivable(hidden):
            return cells, False
        candidates = [
            (raw[i], i) for i, c in enumerate(cells) if c.applicable and c.shown and raw[i] > 0
        ]
        if not candidates:
            return cells, True
        _value, index = min(candidates)
        cells[index] = HIDDEN
