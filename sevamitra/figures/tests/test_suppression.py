"""Small-count suppression: the rules one by one, then what the public figures of the world in
fixtures.py show and hide."""

import datetime as dt
from decimal import Decimal

import pytest

from sevamitra.figures import selectors, suppression
from sevamitra.figures.selectors import FigureFilter
from sevamitra.figures.suppression import HIDDEN, NO_DATA, NOT_APPLICABLE, Cell
from sevamitra.figures.tests.fixtures import NOW, build_world, ist, provider

PERIOD = {"first_month": dt.date(2025, 4, 1), "last_month": dt.date(2026, 3, 1)}


# --- The rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "cell"),
    [
        (0, Cell(0)),  # nobody: shown as 0
        (1, HIDDEN),
        (4, HIDDEN),
        (5, Cell(5)),
        (123, Cell(123)),
    ],
)
def test_count_cell(n, cell):
    assert suppression.count_cell(n) == cell


def test_count_cell_refuses_negative():
    with pytest.raises(ValueError):
        suppression.count_cell(-1)


def test_stat_cell():
    assert suppression.stat_cell(None, 0) == NO_DATA
    assert suppression.stat_cell(Decimal("10.0"), 4) == HIDDEN
    assert suppression.stat_cell(Decimal("10.0"), 5) == Cell(Decimal("10.0"))


def test_percent_cell():
    shown, hidden = Cell(10), HIDDEN
    assert suppression.percent_cell(Cell(5), shown, 5, 10) == Cell(Decimal("50.0"))
    assert suppression.percent_cell(Cell(0), Cell(7), 0, 7) == Cell(Decimal("0.0"))
    assert suppression.percent_cell(Cell(5), Cell(6), 5, 6) == Cell(Decimal("83.3"))
    # The numerator hidden: 3 of 10 would give it away.
    assert suppression.percent_cell(hidden, shown, 3, 10) == HIDDEN
    assert suppression.percent_cell(Cell(0), hidden, 0, 3) == HIDDEN
    assert suppression.percent_cell(Cell(0), Cell(0), 0, 0) == NO_DATA
    assert suppression.percent_cell(NOT_APPLICABLE, NOT_APPLICABLE, 0, 0) == NOT_APPLICABLE


def test_nested_pair():
    # 7 registered, 5 verified: 2 not verified could be read off → verified hidden.
    assert suppression.nested(Cell(7), Cell(5), 7, 5) == HIDDEN
    assert suppression.nested(Cell(10), Cell(5), 10, 5) == Cell(5)  # 5 not verified: fine
    assert suppression.nested(Cell(9), Cell(9), 9, 9) == Cell(9)  # all verified: 0 left
    assert suppression.nested(HIDDEN, Cell(0), 3, 0) == Cell(0)


def protect(raw, total):
    cells = [suppression.count_cell(n) for n in raw]
    protected, hide_total = suppression.protect_column(cells, raw, suppression.count_cell(total))
    return [c.value if c.shown else "h" for c in protected], hide_total


def test_complementary_one_hidden_cell():
    # 22 = 3 + 7 + 12 + 0: 3 hidden alone would be 22 − 19. The smallest other non-zero cell
    # (7) is hidden too; 0 stays 0.
    assert protect([3, 7, 12, 0], 22) == (["h", "h", 12, 0], False)


def test_complementary_not_needed():
    assert protect([5, 7, 12], 24) == ([5, 7, 12], False)  # nothing hidden
    assert protect([2, 3, 12], 17) == (["h", "h", 12], False)  # 5 = 2 + 3 or 1 + 4 or …
    assert protect([3], 3) == (["h"], False)  # the total is hidden itself


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([1, 1, 9, 20], ["h", "h", "h", 20]),  # 1 + 1 = 2: both must be 1
        ([4, 4, 9, 20], ["h", "h", "h", 20]),  # 4 + 4 = 8: both must be 4
    ],
)
def test_complementary_hidden_cells_with_one_reading(raw, expected):
    assert protect(raw, sum(raw)) == (expected, False)


def test_complementary_without_a_cell_to_hide_hides_the_total():
    # 4 + 4 + 4 = 12 with nothing else to hide: only hiding the total protects them.
    assert protect([4, 4, 4, 0], 12) == (["h", "h", "h", 0], True)


# --- The public figures of the world -----------------------------------------------------


@pytest.fixture
def figures(db):
    build_world()
    return selectors.figures_compute(FigureFilter(**PERIOD), now=NOW)


def shown(row, *names):
    return tuple(
        row.cells[n].value if row.cells[n].shown else ("h" if row.cells[n].suppressed else "-")
        for n in names
    )


def row(figures, dimension, key):
    return next(r for r in figures.breakdowns[dimension].rows if r.key == key)


def test_totals_shown_and_hidden(figures):
    total = figures.total
    assert figures.computed_at == NOW
    # 7 registered; 5 verified would show that 2 are not: hidden; 5 earned, median 700.
    assert shown(total, "registered", "verified", "earned_30d", "median_earnings_30d") == (
        7,
        "h",
        5,
        Decimal("700.00"),
    )
    assert shown(total, "new_registrations", "bookings_completed") == (6, 9)
    assert shown(
        total,
        "cancelled_by_customer",
        "cancelled_by_sevamitra",
        "no_shows_by_sevamitra",
        "no_shows_by_customer",
    ) == ("h", "h", "h", "h")
    # 6 calls, 3 booked: the count is hidden, and so the percentage.
    assert shown(total, "calls", "calls_booked", "call_conversion_percent") == (6, "h", "h")
    # 6 complaints; 4 decided: hidden, and their median (over 4) too.
    assert shown(total, "complaints", "complaints_resolved", "median_days_to_resolve") == (
        6,
        "h",
        "h",
    )
    assert shown(
        total,
        "government_orders",
        "invoices_paid",
        "median_days_to_payment",
        "average_days_to_payment",
    ) == ("h", "h", "h", "h")


def test_district_table_complementary(figures):
    # Bookings completed: Lucknow 5, Agra 4 (hidden), total 9: Lucknow is hidden too, or
    # Agra = 9 − 5.
    assert shown(row(figures, "district", "LUCKNOW"), "bookings_completed") == ("h",)
    assert shown(row(figures, "district", "AGRA"), "bookings_completed") == ("h",)
    assert shown(row(figures, "district", "KANPUR NAGAR"), "bookings_completed") == (0,)
    # Registered: 4 and 3 (hidden), 7 in all: 3 + 4 or 4 + 3, no secondary needed.
    assert shown(row(figures, "district", "LUCKNOW"), "registered") == ("h",)
    # The call with no pincode is in the "not known" row, hidden (1).
    assert [r.key for r in figures.breakdowns["district"].rows][-1] == ""
    assert shown(row(figures, "district", ""), "calls", "registered") == ("h", 0)
    assert len(figures.breakdowns["district"].rows) == 76


def test_month_table(figures):
    months = figures.breakdowns["month"].rows
    assert [r.key for r in months] == [f"{m:%Y-%m}" for m in figures.flt.months]
    # March 6 completed; February 2 and January 1 hidden: 1 + 2 = 3 has two readings.
    assert shown(row(figures, "month", "2026-03"), "bookings_completed") == (6,)
    assert shown(row(figures, "month", "2026-02"), "bookings_completed") == ("h",)
    assert shown(row(figures, "month", "2025-08"), "bookings_completed") == (0,)
    # Figures as of now have no month rows.
    assert row(figures, "month", "2026-03").cells["registered"] == NOT_APPLICABLE


def test_gender_table_has_no_calls(figures):
    assert row(figures, "gender", "female").cells["calls"] == NOT_APPLICABLE
    assert row(figures, "gender", "female").cells["call_conversion_percent"] == NOT_APPLICABLE
    assert shown(row(figures, "gender", "other"), "registered", "median_earnings_30d") == (0, "-")


def test_under_a_gender_filter_calls_are_not_given(db):
    build_world()
    figures = selectors.figures_compute(FigureFilter(**PERIOD, gender="female"), now=NOW)
    assert figures.total.cells["calls"] == NOT_APPLICABLE
    assert [r.key for r in figures.breakdowns["gender"].rows] == ["female"]


def test_four_hidden_five_shown(db):
    when = ist(2025, 6, 1, 10, 0)
    for _ in range(4):
        provider("BASTI", "female", "verified", ["cook"], when)
    flt = FigureFilter(**PERIOD, district="BASTI")
    four = selectors.figures_compute(flt, now=NOW).total.cells
    assert (four["registered"], four["verified"], four["calls"]) == (HIDDEN, HIDDEN, Cell(0))
    provider("BASTI", "female", "verified", ["cook"], when)
    five = selectors.figures_compute(flt, now=NOW).total.cells
    assert (five["registered"], five["verified"]) == (Cell(5), Cell(5))
